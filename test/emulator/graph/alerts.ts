import type { RequestContext, Router } from '../server';
import type { Alert } from '../store/types';
import { ALERT_STATUSES, CLASSIFICATIONS, DETECTION_SOURCES, DETERMINATIONS, SERVICE_SOURCES, SEVERITIES } from '../store/types';
import {
	actorName,
	applySelect,
	classificationRule,
	commentText,
	determinationRule,
	enumRule,
	graphRoute,
	inCallersTenant,
	listCollection,
	metadataUrl,
	nullableStringRule,
	parseShaping,
	validatePatch,
} from './common';
import type { Shaping } from './common';
import { evolvableRoute, registerEvolvableSchema } from './evolvable';
import type { EntitySchema } from './odata';

export const alertSchema: EntitySchema = {
	typeName: 'microsoft.graph.security.alert',
	properties: {
		id: { type: 'string', filterable: true },
		providerAlertId: { type: 'string', filterable: true },
		incidentId: { type: 'string', filterable: true },
		status: { type: 'enum', enumValues: ALERT_STATUSES, enumTypeName: 'microsoft.graph.security.alertStatus', filterable: true },
		severity: { type: 'enum', enumValues: SEVERITIES, enumTypeName: 'microsoft.graph.security.alertSeverity', filterable: true, sortable: true },
		classification: { type: 'enum', enumValues: CLASSIFICATIONS, enumTypeName: 'microsoft.graph.security.alertClassification', filterable: true },
		determination: { type: 'enum', enumValues: DETERMINATIONS, enumTypeName: 'microsoft.graph.security.alertDetermination', filterable: true },
		serviceSource: { type: 'enum', enumValues: SERVICE_SOURCES, enumTypeName: 'microsoft.graph.security.serviceSource', filterable: true },
		detectionSource: { type: 'enum', enumValues: DETECTION_SOURCES, enumTypeName: 'microsoft.graph.security.detectionSource', filterable: true },
		productName: { type: 'string' },
		detectorId: { type: 'string' },
		tenantId: { type: 'string' },
		title: { type: 'string', filterable: true },
		description: { type: 'string' },
		recommendedActions: { type: 'string' },
		category: { type: 'string', filterable: true },
		assignedTo: { type: 'string', filterable: true },
		alertWebUrl: { type: 'string' },
		incidentWebUrl: { type: 'string' },
		actorDisplayName: { type: 'string' },
		threatDisplayName: { type: 'string' },
		threatFamilyName: { type: 'string' },
		mitreTechniques: { type: 'stringCollection' },
		createdDateTime: { type: 'datetime', filterable: true, sortable: true },
		lastUpdateDateTime: { type: 'datetime', filterable: true, sortable: true },
		resolvedDateTime: { type: 'datetime', sortable: true },
		firstActivityDateTime: { type: 'datetime' },
		lastActivityDateTime: { type: 'datetime' },
		comments: { type: 'stringCollection' },
		evidence: { type: 'stringCollection' },
		systemTags: { type: 'stringCollection' },
	},
};

const ALERT_PAGE_MAX = 2000;
const ALERT_DEFAULT_PAGE = 1000;

export function serializeAlert(alert: Alert): Record<string, unknown> {
	return { '@odata.type': '#microsoft.graph.security.alert', ...structuredClone(alert) };
}

function shapeAlert(alert: Alert, shaping: Shaping): Record<string, unknown> {
	return applySelect(serializeAlert(alert), shaping);
}

function findAlertOr404(context: RequestContext): Alert {
	const found = context.runtime.store.getAlert(context.params.id);
	const alert = found && inCallersTenant(context, found) ? found : undefined;
	if (!alert) return context.fail(404, 'NotFound', `Alert with id '${context.params.id}' was not found.`);
	return alert;
}

const ALERT_UPDATABLE = {
	status: enumRule('microsoft.graph.security.alertStatus', ['new', 'inProgress', 'resolved']),
	classification: classificationRule,
	determination: determinationRule,
	assignedTo: nullableStringRule,
};

registerEvolvableSchema(alertSchema);

export function registerAlertRoutes(router: Router): void {
	router.add(evolvableRoute({
		...graphRoute('GET', '/v1.0/security/alerts_v2'),
		handler: (context) =>
			listCollection({
				context,
				items: context.runtime.store.listAlerts().filter((alert) => inCallersTenant(context, alert)),
				schema: alertSchema,
				resourcePath: 'security/alerts_v2',
				maxTop: ALERT_PAGE_MAX,
				defaultPageSize: ALERT_DEFAULT_PAGE,
				defaultOrder: [{ property: 'createdDateTime', descending: true, schema: alertSchema.properties.createdDateTime }],
				tieBreaker: (a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0),
				allowedExpand: [],
				serialize: (alert) => serializeAlert(alert),
			}),
	}));

	router.add(evolvableRoute({
		...graphRoute('GET', '/v1.0/security/alerts_v2/:id'),
		handler: (context) => {
			const shaping = parseShaping(context, alertSchema, []);
			const alert = findAlertOr404(context);
			return { status: 200, body: { '@odata.context': metadataUrl(context, 'security/alerts_v2/$entity'), ...shapeAlert(alert, shaping) } };
		},
	}));

	router.add(evolvableRoute({
		...graphRoute('PATCH', '/v1.0/security/alerts_v2/:id'),
		handler: (context) => {
			const alert = findAlertOr404(context);
			const changes = validatePatch(context, alertSchema, ALERT_UPDATABLE);
			const updated = context.runtime.store.updateAlert(alert.id, changes);
			return { status: 200, body: { '@odata.context': metadataUrl(context, 'security/alerts_v2/$entity'), ...serializeAlert(updated) } };
		},
	}));

	router.add(evolvableRoute({
		...graphRoute('POST', '/v1.0/security/alerts_v2/:id/comments'),
		handler: (context) => {
			const alert = findAlertOr404(context);
			const comments = context.runtime.store.addAlertComment(alert.id, commentText(context), actorName(context));
			return {
				status: 200,
				body: { '@odata.context': metadataUrl(context, `security/alerts_v2('${alert.id}')/comments`), value: structuredClone(comments) },
			};
		},
	}));
}
