import type { IDataObject } from 'n8n-workflow';

import { alertLocator } from '../../descriptions/common';
import { ALERT_FILTER_STATUSES, ALERT_STATUSES, SERVICE_SOURCES } from '../../descriptions/enums';
import { anyOf } from '../../transport/odata';
import { ALERT_ID } from '../../transport/paths';
import type { SecurityItemKind } from '../securityItems';

export const ALERT: SecurityItemKind = {
	resource: 'alert',
	noun: 'alert',
	collectionPath: '/v1.0/security/alerts_v2',
	locator: alertLocator,
	idFormat: ALERT_ID,
	readPermission: 'SecurityAlert.Read.All',
	writePermission: 'SecurityAlert.ReadWrite.All',
	maxPageSize: 1000,
	statuses: ALERT_FILTER_STATUSES,
	settableStatuses: ALERT_STATUSES,
	extraFilters: [
		{
			displayName: 'Service Source',
			name: 'serviceSource',
			type: 'multiOptions',
			options: SERVICE_SOURCES,
			default: [],
			description: 'The Microsoft product that raised the alert',
		},
	],
	extraFilterClauses: (filters: IDataObject) => [
		anyOf('serviceSource', Array.isArray(filters.serviceSource) ? filters.serviceSource.map(String) : []),
	],
	readOptions: [],
	readQuery: () => ({}),
};
