import { incidentLocator } from '../../descriptions/common';
import { INCIDENT_SETTABLE_STATUSES, INCIDENT_STATUSES } from '../../descriptions/enums';
import { INCIDENT_ID } from '../../transport/paths';
import type { SecurityItemKind } from '../securityItems';

export const INCIDENT: SecurityItemKind = {
	resource: 'incident',
	noun: 'incident',
	collectionPath: '/v1.0/security/incidents',
	locator: incidentLocator,
	idFormat: INCIDENT_ID,
	readPermission: 'SecurityIncident.Read.All',
	writePermission: 'SecurityIncident.ReadWrite.All',
	maxPageSize: 50,
	statuses: INCIDENT_STATUSES,
	settableStatuses: INCIDENT_SETTABLE_STATUSES,
	extraFilters: [],
	extraFilterClauses: () => [],
	readOptions: [
		{
			displayName: 'Include Alerts',
			name: 'includeAlerts',
			type: 'boolean',
			default: false,
			description: 'Whether to return each incident with its alerts (and their evidence)',
		},
	],
	readQuery: (options) => ({ $expand: options.includeAlerts ? 'alerts' : undefined }),
};
