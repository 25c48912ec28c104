import type { INodePropertyOptions } from 'n8n-workflow';

import { ALERT_FILTER_STATUSES, INCIDENT_STATUSES } from '../descriptions/enums';

export type TriggerEvent = 'newIncident' | 'updatedIncident' | 'newAlert' | 'updatedAlert';

export interface EventDefinition {
	event: TriggerEvent;
	kind: 'incident' | 'alert';
	/** New: fires once per id, on createdDateTime. Updated: once per (id, lastUpdateDateTime). */
	change: 'new' | 'updated';
	/** The timestamp the cursor follows, filtered with `ge` on the server. */
	timestampField: 'createdDateTime' | 'lastUpdateDateTime';
	collectionPath: string;
	permission: string;
	/** Largest `$top` the collection accepts. */
	pageSize: number;
	titleField: 'displayName' | 'title';
	statuses: INodePropertyOptions[];
}

const INCIDENTS = {
	kind: 'incident',
	collectionPath: '/v1.0/security/incidents',
	permission: 'SecurityIncident.Read.All',
	pageSize: 50,
	titleField: 'displayName',
	statuses: INCIDENT_STATUSES,
} as const;

const ALERTS = {
	kind: 'alert',
	collectionPath: '/v1.0/security/alerts_v2',
	permission: 'SecurityAlert.Read.All',
	pageSize: 1000,
	titleField: 'title',
	statuses: ALERT_FILTER_STATUSES,
} as const;

export const EVENTS: Record<TriggerEvent, EventDefinition> = {
	newIncident: { event: 'newIncident', change: 'new', timestampField: 'createdDateTime', ...INCIDENTS },
	updatedIncident: { event: 'updatedIncident', change: 'updated', timestampField: 'lastUpdateDateTime', ...INCIDENTS },
	newAlert: { event: 'newAlert', change: 'new', timestampField: 'createdDateTime', ...ALERTS },
	updatedAlert: { event: 'updatedAlert', change: 'updated', timestampField: 'lastUpdateDateTime', ...ALERTS },
};

export function eventDefinition(event: unknown): EventDefinition {
	const definition = EVENTS[event as TriggerEvent];
	if (!definition) throw new Error(`Unknown event "${String(event)}"`);
	return definition;
}
