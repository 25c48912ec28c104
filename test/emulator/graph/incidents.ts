import type { RequestContext, Router } from '../server';
import type { Store } from '../store/store';
import type { Incident } from '../store/types';
import { CLASSIFICATIONS, DETERMINATIONS, INCIDENT_STATUSES, SEVERITIES } from '../store/types';
import { serializeAlert } from './alerts';
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
	stringCollectionRule,
	validatePatch,
} from './common';
import type { Shaping } from './common';
import { evolvableRoute, registerEvolvableSchema } from './evolvable';
import type { EntitySchema } from './odata';

export const incidentSchema: EntitySchema = {
	typeName: 'microsoft.graph.security.incident',
	properties: {
		id: { type: 'string', filterable: true },
		tenantId: { type: 'string' },
		status: { type: 'enum', enumValues: INCIDENT_STATUSES, enumTypeName: 'microsoft.graph.security.incidentStatus', filterable: true },
		incidentWebUrl: { type: 'string' },
		redirectIncidentId: { type: 'string' },
		displayName: { type: 'string', filterable: true },
		createdDateTime: { type: 'datetime', filterable: true, sortable: true },
		lastUpdateDateTime: { type: 'datetime', filterable: true, sortable: true },
		assignedTo: { type: 'string', filterable: true },
		classification: { type: 'enum', enumValues: CLASSIFICATIONS, enumTypeName: 'microsoft.graph.security.alertClassification', filterable: true },
		determination: { type: 'enum', enumValues: DETERMINATIONS, enumTypeName: 'microsoft.graph.security.alertDetermination', filterable: true },
		severity: { type: 'enum', enumValues: SEVERITIES, enumTypeName: 'microsoft.graph.security.alertSeverity', filterable: true, sortable: true },
		customTags: { type: 'stringCollection', filterable: true },
		systemTags: { type: 'stringCollection' },
		description: { type: 'string' },
		summary: { type: 'string' },
		resolvingComment: { type: 'string' },
		comments: { type: 'stringCollection' },
		lastModifiedBy: { type: 'string' },
		alerts: { type: 'stringCollection' },
	},
};

const INCIDENT_PAGE_MAX = 50;

export function serializeIncident(store: Store, incident: Incident, shaping: Shaping): Record<string, unknown> {
	const serialized: Record<string, unknown> = { '@odata.type': '#microsoft.graph.security.incident', ...structuredClone(incident) };
	if (shaping.expand.has('alerts')) serialized.alerts = store.alertsOfIncident(incident.id).map(serializeAlert);
	return applySelect(serialized, shaping);
}

function findIncidentOr404(context: RequestContext): Incident {
	const found = context.runtime.store.getIncident(context.params.id);
	const incident = found && inCallersTenant(context, found) ? found : undefined;
	if (!incident) return context.fail(404, 'NotFound', `Incident with id '${context.params.id}' was not found.`);
	return incident;
}

/** Updatable per the v1.0 docs, plus description/resolvingComment/summary that newer tenants accept. */
const INCIDENT_UPDATABLE = {
	assignedTo: nullableStringRule,
	classification: classificationRule,
	determination: determinationRule,
	status: enumRule('microsoft.graph.security.incidentStatus', ['active', 'resolved', 'inProgress', 'redirected']),
	customTags: stringCollectionRule,
	description: nullableStringRule,
	resolvingComment: nullableStringRule,
	summary: nullableStringRule,
};

registerEvolvableSchema(incidentSchema);

export function registerIncidentRoutes(router: Router): void {
	router.add(evolvableRoute({
		...graphRoute('GET', '/v1.0/security/incidents'),
		handler: (context) => {
			const { store } = context.runtime;
			return listCollection({
				context,
				items: store.listIncidents().filter((incident) => inCallersTenant(context, incident)),
				schema: incidentSchema,
				resourcePath: 'security/incidents',
				maxTop: INCIDENT_PAGE_MAX,
				defaultPageSize: INCIDENT_PAGE_MAX,
				defaultOrder: [{ property: 'createdDateTime', descending: true, schema: incidentSchema.properties.createdDateTime }],
				tieBreaker: (a, b) => Number(b.id) - Number(a.id),
				allowedExpand: ['alerts'],
				serialize: (incident, shaping) => serializeIncident(store, incident, shaping),
			});
		},
	}));

	router.add(evolvableRoute({
		...graphRoute('GET', '/v1.0/security/incidents/:id'),
		handler: (context) => {
			const shaping = parseShaping(context, incidentSchema, ['alerts']);
			const incident = findIncidentOr404(context);
			return {
				status: 200,
				body: { '@odata.context': metadataUrl(context, 'security/incidents/$entity'), ...serializeIncident(context.runtime.store, incident, shaping) },
			};
		},
	}));

	router.add(evolvableRoute({
		...graphRoute('PATCH', '/v1.0/security/incidents/:id'),
		handler: (context) => {
			const incident = findIncidentOr404(context);
			const changes = validatePatch(context, incidentSchema, INCIDENT_UPDATABLE);
			const { store } = context.runtime;
			const updated = store.updateIncident(incident.id, changes, actorName(context));
			return {
				status: 200,
				body: { '@odata.context': metadataUrl(context, 'security/incidents/$entity'), ...serializeIncident(store, updated, { expand: new Set() }) },
			};
		},
	}));

	router.add(evolvableRoute({
		...graphRoute('POST', '/v1.0/security/incidents/:id/comments'),
		handler: (context) => {
			const incident = findIncidentOr404(context);
			const comments = context.runtime.store.addIncidentComment(incident.id, commentText(context), actorName(context));
			return {
				status: 200,
				body: { '@odata.context': metadataUrl(context, `security/incidents('${incident.id}')/comments`), value: structuredClone(comments) },
			};
		},
	}));
}
