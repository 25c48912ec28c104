import type { HandlerResult, RequestContext, Router } from '../server';
import type { CloudAppsActivity } from '../store/types';
import type { FieldTable } from './common';
import {
	applyFilters,
	badRequest,
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
	without,
} from './common';

/** Filters of api-activities.md ("Filters"). */
const ACTIVITY_FIELDS: FieldTable<CloudAppsActivity> = {
	service: { kind: 'integer', operators: ['eq', 'neq'], values: (activity) => [activity.appId] },
	instance: { kind: 'integer', operators: ['eq', 'neq'], values: (activity) => [activity.instance] },
	'user.orgUnit': { kind: 'string', operators: ['eq', 'neq', 'isset', 'isnotset'], values: (activity) => (activity.user.orgUnit ? [activity.user.orgUnit] : []) },
	'activity.eventType': { kind: 'string', operators: ['eq', 'neq'], values: (activity) => [activity.eventTypeName] },
	'activity.id': { kind: 'string', operators: ['eq'], values: (activity) => [activity._id] },
	'activity.impersonated': { kind: 'boolean', operators: ['eq'], values: (activity) => [activity.isImpersonated] },
	'activity.type': { kind: 'boolean', operators: ['eq'], values: (activity) => [activity.isAdmin] },
	'activity.takenAction': { kind: 'string', operators: ['eq', 'neq'], values: (activity) => [activity.hidden.takenAction ?? 'null'] },
	'device.type': { kind: 'string', operators: ['eq', 'neq'], values: (activity) => [activity.device.type] },
	'device.tags': { kind: 'string', operators: ['eq', 'neq'], values: (activity) => activity.device.tags },
	'userAgent.userAgent': { kind: 'string', operators: ['contains', 'ncontains'], values: (activity) => [activity.userAgent.userAgent] },
	'userAgent.tags': { kind: 'string', operators: ['eq', 'neq'], values: (activity) => activity.userAgent.tags },
	'location.country': { kind: 'string', operators: ['eq', 'neq', 'isset', 'isnotset'], values: (activity) => [activity.location.countryCode] },
	'location.organizations': {
		kind: 'string',
		operators: ['eq', 'neq', 'isset', 'isnotset', 'contains'],
		values: (activity) => [activity.location.organizationSearchable],
	},
	'ip.address': {
		kind: 'string',
		operators: ['eq', 'startswith', 'doesnotstartwith', 'isset', 'isnotset', 'neq'],
		values: (activity) => (activity.ipAddress ? [activity.ipAddress] : []),
	},
	fileId: { kind: 'string', operators: ['eq'], values: (activity) => activity.hidden.fileIds },
	'ip.category': { kind: 'integer', operators: ['eq', 'neq'], values: (activity) => (activity.hidden.ipCategory === null ? [] : [activity.hidden.ipCategory]) },
	text: { kind: 'string', operators: ['eq', 'startswithsingle', 'text'], values: (activity) => [activity.description] },
	date: { kind: 'timestamp', operators: ['lte', 'gte', 'range', 'lte_ndays', 'gte_ndays'], values: (activity) => [activity.timestamp] },
	policy: { kind: 'string', operators: ['eq', 'neq', 'isset', 'isnotset'], values: (activity) => activity.hidden.policies },
	source: { kind: 'string', operators: ['eq', 'neq'], values: (activity) => [String(activity.hidden.source), `t:${activity.hidden.source}`] },
	'activity.alertId': { kind: 'string', operators: ['eq'], values: (activity) => activity.hidden.alertIds },
	created: { kind: 'timestamp', operators: ['lte', 'gte', 'range', 'gt', 'lt', 'eq'], values: (activity) => [activity.created] },
	entity: { kind: 'entity', operators: ['eq', 'neq', 'isset', 'isnotset', 'startswith'], values: (activity) => [activity.actor] },
	'user.username': { kind: 'string', operators: ['eq', 'neq', 'isset', 'isnotset', 'startswith'], values: (activity) => [activity.user.userName] },
	'user.tags': { kind: 'string', operators: ['eq', 'neq', 'isset', 'isnotset', 'startswith'], values: (activity) => activity.user.tags },
	'user.domain': { kind: 'string', operators: ['eq', 'neq', 'isset', 'isnotset'], values: (activity) => [activity.user.domain] },
};

/** api-activities-list.md / api-activities-investigate-script.md: sortField date (default) or created. */
const ACTIVITY_SORT = {
	fields: { date: (activity: CloudAppsActivity) => activity.timestamp, created: (activity: CloudAppsActivity) => activity.created },
	defaultField: 'date',
};

/** api-activities-investigate-script.md: "In scan mode, between 500 and 5000 (defaults to 500)". */
const SCAN_LIMIT = { fallback: 500, min: 500, max: 5000 };

function serialize(activity: CloudAppsActivity): Partial<CloudAppsActivity> {
	return without(activity, ['hidden', 'feedback']);
}

function findActivity(context: RequestContext): CloudAppsActivity {
	const activity = state(context).activities.find((candidate) => candidate._id === context.params.pk);
	return activity ?? notFound(context, `Activity ${context.params.pk}`);
}

/**
 * Scan mode (api-activities-investigate-script.md): a page of up to `limit`; when more remain, "the last few records
 * will be dropped to ensure that all data is listed only once" and `nextQueryFilters` is the query for the rest. The
 * records dropped are those sharing the edge timestamp, which the next query (bounded inclusively at that timestamp)
 * returns whole. The page does not say what happens when one timestamp fills a whole page: the emulator then returns
 * every record of that timestamp in the page and bounds the next query past it.
 */
function scan(context: RequestContext, parameters: Record<string, unknown>, filters: Record<string, unknown>): HandlerResult {
	const sort = sortOf(context, parameters, ACTIVITY_SORT);
	const { limit } = pagingOf(context, { limit: parameters.limit }, SCAN_LIMIT);
	const sorted = sortRecords(applyFilters(context, state(context).activities, filters, ACTIVITY_FIELDS), sort.key, sort.direction);
	if (sorted.length <= limit) return { status: 200, body: { total: sorted.length, hasNext: false, data: sorted.map(serialize) } };

	const edge = Number(sort.key(sorted[limit - 1]));
	const step = sort.direction === 'asc' ? 1 : -1;
	let page = sorted.slice(0, limit);
	let nextBound = edge + step;
	if (Number(sort.key(sorted[limit])) === edge) {
		const before = page.filter((activity) => Number(sort.key(activity)) !== edge);
		if (before.length > 0) {
			page = before;
			nextBound = edge;
		} else {
			page = sorted.filter((activity) => Number(sort.key(activity)) === edge);
		}
	}
	const rest = sorted.length - page.length;
	const boundOperator = sort.direction === 'asc' ? 'gte' : 'lte';
	const current = (filters[sort.field] ?? {}) as Record<string, unknown>;
	const nextQueryFilters = { ...filters, [sort.field]: { ...current, [boundOperator]: nextBound } };
	return { status: 200, body: { total: sorted.length, hasNext: rest > 0, data: page.map(serialize), nextQueryFilters } };
}

function listActivities(context: RequestContext): HandlerResult {
	const parameters = requestParameters(context);
	const filters = filtersOf(context, parameters);
	if (parameters.isScan === true || parameters.isScan === 'true') return scan(context, parameters, filters);
	const sort = sortOf(context, parameters, ACTIVITY_SORT);
	const matching = applyFilters(context, state(context).activities, filters, ACTIVITY_FIELDS);
	return listPage(sortRecords(matching, sort.key, sort.direction), pagingOf(context, parameters), serialize);
}

/** api-activities-feedback.md: the table names `feedback`, the example sends feedbackValue, feedbackText, allowContact, contactEmail. */
function sendFeedback(context: RequestContext): HandlerResult {
	const activity = findActivity(context);
	const parameters = requestParameters(context);
	if (parameters.feedback === undefined && parameters.feedbackValue === undefined) {
		return badRequest(context, "'feedbackValue' (or 'feedback') is required.");
	}
	const { feedback, feedbackValue, feedbackText, allowContact, contactEmail } = parameters;
	activity.feedback.push({ feedback, feedbackValue, feedbackText, allowContact, contactEmail });
	return { status: 200 };
}

export function registerActivityRoutes(router: Router): void {
	// api-activities-list.md: GET or POST /api/v1/activities/ (scan mode: api-activities-investigate-script.md)
	cloudAppsRoute(router, 'GET', '/api/v1/activities/', CLOUD_APPS_ROLES.investigationRead, listActivities);
	cloudAppsRoute(router, 'POST', '/api/v1/activities/', CLOUD_APPS_ROLES.investigationRead, listActivities);
	// api-activities-fetch.md: GET /api/v1/activities/<pk>/
	cloudAppsRoute(router, 'GET', '/api/v1/activities/:pk/', CLOUD_APPS_ROLES.investigationRead, (context) => ({ status: 200, body: serialize(findActivity(context)) }));
	// api-activities-feedback.md: POST /api/v1/activities/<pk>/feedback (no trailing slash, in the table and the example)
	cloudAppsRoute(router, 'POST', '/api/v1/activities/:pk/feedback', CLOUD_APPS_ROLES.investigationRead, sendFeedback);
}
