import type { HandlerResult, RequestContext, Router } from '../server';
import type { CloudAppsAlert } from '../store/types';
import type { FieldTable } from './common';
import {
	applyFilters,
	badRequest,
	callerName,
	CLOUD_APPS_ROLES,
	cloudAppsRoute,
	filtersOf,
	listPage,
	notFound,
	pagingOf,
	requestParameters,
	sortOf,
	sortRecords,
	state,
	wire,
} from './common';

/** Filters of api-alerts.md ("Filters"); `id` as every example writes it and `ID` as the table does. */
const entityValues = (type: string) => (alert: CloudAppsAlert) => alert.entities.filter((entity) => entity.type === type).map((entity) => entity.id);
const ALERT_FIELDS: FieldTable<CloudAppsAlert> = {
	'entity.entity': {
		kind: 'entity',
		operators: ['eq', 'neq'],
		values: (alert) => alert.entities.filter((entity) => entity.inst !== undefined).map((entity) => ({ id: String(entity.id), inst: entity.inst, saas: entity.saas })),
	},
	'entity.ip': { kind: 'string', operators: ['eq', 'neq'], values: entityValues('ip') },
	'entity.service': { kind: 'integer', operators: ['eq', 'neq'], values: entityValues('service') },
	'entity.instance': { kind: 'integer', operators: ['eq', 'neq'], values: entityValues('service') },
	'entity.policy': { kind: 'string', operators: ['eq', 'neq'], values: entityValues('policyRule') },
	'entity.file': { kind: 'string', operators: ['eq', 'neq'], values: entityValues('file') },
	alertOpen: { kind: 'boolean', operators: ['eq'], values: (alert) => [alert.resolutionStatusValue === 0] },
	severity: { kind: 'integer', operators: ['eq', 'neq'], values: (alert) => [alert.severityValue] },
	resolutionStatus: { kind: 'integer', operators: ['eq', 'neq'], values: (alert) => [alert.resolutionStatusValue] },
	read: { kind: 'boolean', operators: ['eq'], values: (alert) => [alert.statusValue !== 0] },
	date: { kind: 'timestamp', operators: ['lte', 'gte', 'range', 'lte_ndays', 'gte_ndays'], values: (alert) => [alert.timestamp] },
	resolutionDate: {
		kind: 'timestamp',
		operators: ['lte', 'gte', 'range'],
		values: (alert) => (alert.hidden.resolutionDate === null ? [] : [alert.hidden.resolutionDate]),
	},
	risk: { kind: 'integer', operators: ['eq', 'neq'], values: (alert) => [alert.hidden.risk] },
	alertType: { kind: 'integer', operators: ['eq', 'neq'], values: (alert) => [alert.hidden.alertType] },
	id: { kind: 'string', operators: ['eq', 'neq'], values: (alert) => [alert._id] },
	ID: { kind: 'string', operators: ['eq', 'neq'], values: (alert) => [alert._id] },
	source: { kind: 'string', operators: ['eq'], values: (alert) => [alert.hidden.source] },
};

/** api-alerts-list.md: sortField date or severity. */
const ALERT_SORT = { fields: { date: (alert: CloudAppsAlert) => alert.timestamp, severity: (alert: CloudAppsAlert) => alert.severityValue }, defaultField: 'date' };

/**
 * The three verdicts (api-alerts-close-benign.md, -close-false-positive.md, -close-true-positive.md): the response key,
 * the resolution status set, and the reason codes each page lists (none for true positive).
 */
const CLOSE_VERDICTS = {
	close_benign: { key: 'closed_benign', resolutionStatus: 4, reasons: [2, 4, 5, 6] },
	close_false_positive: { key: 'closed_false_positive', resolutionStatus: 3, reasons: [0, 1, 3, 4] },
	close_true_positive: { key: 'closed_true_positive', resolutionStatus: 5, reasons: null },
} as const;

function findAlert(context: RequestContext): CloudAppsAlert {
	const alert = state(context).alerts.find((candidate) => candidate._id === context.params.pk);
	return alert ?? notFound(context, `Alert ${context.params.pk}`);
}

function listAlerts(context: RequestContext): HandlerResult {
	const parameters = requestParameters(context);
	const matching = applyFilters(context, state(context).alerts, filtersOf(context, parameters), ALERT_FIELDS);
	const sort = sortOf(context, parameters, ALERT_SORT);
	return listPage(sortRecords(matching, sort.key, sort.direction), pagingOf(context, parameters), wire);
}

function optionalString(context: RequestContext, parameters: Record<string, unknown>, name: string): string | undefined {
	const value = parameters[name];
	if (value === undefined || value === null) return undefined;
	if (typeof value !== 'string') return badRequest(context, `'${name}' must be a string.`);
	return value;
}

function optionalBoolean(context: RequestContext, parameters: Record<string, unknown>, name: string): boolean {
	const value = parameters[name];
	if (value === undefined || value === null) return false;
	if (typeof value !== 'boolean') return badRequest(context, `'${name}' must be true or false.`);
	return value;
}

/** Ids an `id`/`ID` `eq` filter names, to report those not found as the close pages' example does. */
function namedIds(filters: Record<string, unknown>): string[] {
	const ids: string[] = [];
	for (const field of ['id', 'ID']) {
		const condition = filters[field] as { eq?: unknown } | undefined;
		if (condition && Array.isArray(condition.eq)) ids.push(...condition.eq.map(String));
	}
	return ids;
}

function closeAlerts(verdict: keyof typeof CLOSE_VERDICTS) {
	return (context: RequestContext): HandlerResult => {
		const spec = CLOSE_VERDICTS[verdict];
		const parameters = requestParameters(context);
		if (parameters.filters === undefined) return badRequest(context, "'filters' is required: it selects the alerts to close.");
		const filters = filtersOf(context, parameters);
		const reasonId = parameters.reasonId;
		if (spec.reasons === null) {
			if (reasonId !== undefined) return badRequest(context, `'reasonId' is not a parameter of ${verdict}.`);
		} else if (reasonId !== undefined && !(spec.reasons as readonly unknown[]).includes(reasonId)) {
			return badRequest(context, `'reasonId' must be one of ${spec.reasons.join(', ')} for ${verdict}.`);
		}
		const comment = optionalString(context, parameters, 'comment');
		const sendFeedback = optionalBoolean(context, parameters, 'sendFeedback');
		const feedbackText = optionalString(context, parameters, 'feedbackText');
		const allowContact = optionalBoolean(context, parameters, 'allowContact');
		const contactEmail = optionalString(context, parameters, 'contactEmail');

		const tenant = state(context);
		const matching = applyFilters(context, tenant.alerts, filters, ALERT_FIELDS);
		const now = context.runtime.clock.nowMs();
		for (const alert of matching) {
			alert.resolutionStatusValue = spec.resolutionStatus;
			alert.comment = comment ?? '';
			alert.handledByUser = callerName(context);
			alert.resolveTime = new Date(now).toISOString();
			alert.hidden.resolutionDate = now;
		}
		if (sendFeedback) {
			tenant.alertFeedback.push({ verdict, alertIds: matching.map((alert) => alert._id), reasonId, feedbackText, allowContact, contactEmail });
		}
		const found = new Set(matching.map((alert) => alert._id));
		const notFoundIds = namedIds(filters).filter((id) => !found.has(id) && !tenant.alerts.some((alert) => alert._id === id));
		return { status: 200, body: { [spec.key]: matching.length, ...(notFoundIds.length > 0 ? { alertsNotFound: notFoundIds } : {}) } };
	};
}

function markAlert(statusValue: 0 | 1) {
	return (context: RequestContext): HandlerResult => {
		findAlert(context).statusValue = statusValue;
		return { status: 200 };
	};
}

/** api-alerts-*.md (CloudAppSecurityDocs / defender-docs CloudAppSecurityDocs), paths as the HTTP-request lines print them. */
export function registerAlertRoutes(router: Router): void {
	// api-alerts-list.md: GET or POST /api/v1/alerts/
	cloudAppsRoute(router, 'GET', '/api/v1/alerts/', CLOUD_APPS_ROLES.alertRead, listAlerts);
	cloudAppsRoute(router, 'POST', '/api/v1/alerts/', CLOUD_APPS_ROLES.alertRead, listAlerts);
	// api-alerts-close-benign.md, api-alerts-close-false-positive.md: POST …/close_benign/, …/close_false_positive/
	cloudAppsRoute(router, 'POST', '/api/v1/alerts/close_benign/', CLOUD_APPS_ROLES.alertClose, closeAlerts('close_benign'));
	cloudAppsRoute(router, 'POST', '/api/v1/alerts/close_false_positive/', CLOUD_APPS_ROLES.alertClose, closeAlerts('close_false_positive'));
	// api-alerts-close-true-positive.md: the HTTP-request line has the slash, its curl example does not; both are served.
	cloudAppsRoute(router, 'POST', '/api/v1/alerts/close_true_positive/', CLOUD_APPS_ROLES.alertClose, closeAlerts('close_true_positive'));
	cloudAppsRoute(router, 'POST', '/api/v1/alerts/close_true_positive', CLOUD_APPS_ROLES.alertClose, closeAlerts('close_true_positive'));
	// api-alerts-fetch.md: GET /api/v1/alerts/<pk>/
	cloudAppsRoute(router, 'GET', '/api/v1/alerts/:pk/', CLOUD_APPS_ROLES.alertRead, (context) => ({ status: 200, body: wire(findAlert(context)) }));
	// api-alerts-mark-read.md, api-alerts-mark-unread.md: POST /api/v1/alerts/<pk>/read/, …/unread/ (no response body documented).
	cloudAppsRoute(router, 'POST', '/api/v1/alerts/:pk/read/', CLOUD_APPS_ROLES.alertRead, markAlert(1));
	cloudAppsRoute(router, 'POST', '/api/v1/alerts/:pk/unread/', CLOUD_APPS_ROLES.alertRead, markAlert(0));
}
