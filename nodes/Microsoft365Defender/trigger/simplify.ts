import type { IDataObject } from 'n8n-workflow';

import type { EventDefinition } from './events';

const pick = (item: IDataObject, fields: string[]): IDataObject => {
	const result: IDataObject = {};
	for (const field of fields) if (item[field] !== undefined) result[field] = item[field];
	return result;
};

const list = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);

/** The fields a workflow usually branches on, with the same names for incidents and alerts. */
export function simplifyAlert(alert: IDataObject): IDataObject {
	return {
		id: alert.id,
		title: alert.title,
		severity: alert.severity,
		status: alert.status,
		createdDateTime: alert.createdDateTime,
		lastUpdateDateTime: alert.lastUpdateDateTime,
		assignedTo: alert.assignedTo ?? null,
		webUrl: alert.alertWebUrl,
		...pick(alert, ['classification', 'determination', 'category', 'serviceSource', 'detectionSource', 'incidentId', 'incidentWebUrl']),
		mitreTechniques: list(alert.mitreTechniques),
	};
}

export function simplifyIncident(incident: IDataObject): IDataObject {
	const simplified: IDataObject = {
		id: incident.id,
		title: incident.displayName,
		severity: incident.severity,
		status: incident.status,
		createdDateTime: incident.createdDateTime,
		lastUpdateDateTime: incident.lastUpdateDateTime,
		assignedTo: incident.assignedTo ?? null,
		webUrl: incident.incidentWebUrl,
		...pick(incident, ['classification', 'determination']),
		tags: [...list(incident.customTags), ...list(incident.systemTags)],
	};
	if (Array.isArray(incident.alerts)) {
		simplified.alertCount = incident.alerts.length;
		simplified.alerts = (incident.alerts as IDataObject[]).map(simplifyAlert);
	}
	return simplified;
}

export function simplifyItem(definition: EventDefinition, item: IDataObject): IDataObject {
	return definition.kind === 'incident' ? simplifyIncident(item) : simplifyAlert(item);
}
