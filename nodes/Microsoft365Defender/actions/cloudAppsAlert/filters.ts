import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { filtersCollection } from '../../descriptions/common';
import { CLOUD_APPS_RESOLUTION_STATUSES, CLOUD_APPS_SEVERITIES, OFFICE_365_APP_ID } from '../../descriptions/cloudApps';
import {
	addBooleanCondition,
	addCondition,
	FILTER_JSON_LABEL,
	filterJsonOption,
	integerList,
	mergeFilterJson,
	stringList,
	toMilliseconds,
	validateObjectIds,
	type CloudAppsFilters,
} from '../cloudApps';

/** The alert filters of api-alerts.md ("Filters") as fields; Get Many and the Close operations share them. */
export const alertFilterFields: INodeProperties[] = [
	filtersCollection([
		{ displayName: 'Alert IDs', name: 'ids', type: 'string', default: '', placeholder: '603f704aaf7417985bbf3b22, 603f704aaf7417985bbf3b23', description: 'Comma-separated alert IDs' },
		{ displayName: 'Alert Type IDs', name: 'alertTypes', type: 'string', default: '', description: 'Comma-separated alert type numbers' },
		{ displayName: 'App IDs', name: 'services', type: 'string', default: '', placeholder: '11161, 20893', description: 'Comma-separated app (service) IDs the alerts concern, e.g. 11161 for Microsoft 365' },
		{
			displayName: 'Entity ID',
			name: 'entityId',
			type: 'string',
			default: '',
			placeholder: '6204bdaf-ad46-4e99-a25d-374a0532c666',
			description: 'ID of a user or account entity the alerts concern (as an alert\'s entities list it)',
		},
		{ displayName: 'Entity Instance', name: 'entityInstance', type: 'number', default: 0, description: 'The app instance of that entity (0 unless the app has several instances)' },
		{ displayName: 'IP Addresses', name: 'ips', type: 'string', default: '', description: 'Comma-separated IP addresses the alerts concern' },
		{
			displayName: 'Open',
			name: 'open',
			type: 'options',
			options: [
				{ name: 'Either', value: '' },
				{ name: 'Open Only', value: 'yes' },
				{ name: 'Closed Only', value: 'no' },
			],
			default: '',
		},
		{ displayName: 'Policy IDs', name: 'policies', type: 'string', default: '', description: 'Comma-separated IDs of the policies that raised the alerts' },
		{ displayName: 'Raised After', name: 'raisedAfter', type: 'dateTime', default: '' },
		{ displayName: 'Raised Before', name: 'raisedBefore', type: 'dateTime', default: '' },
		{
			displayName: 'Read',
			name: 'read',
			type: 'options',
			options: [
				{ name: 'Either', value: '' },
				{ name: 'Read Only', value: 'yes' },
				{ name: 'Unread Only', value: 'no' },
			],
			default: '',
		},
		{ displayName: 'Resolution Status', name: 'resolutionStatus', type: 'multiOptions', options: CLOUD_APPS_RESOLUTION_STATUSES, default: [] },
		{ displayName: 'Severity', name: 'severity', type: 'multiOptions', options: CLOUD_APPS_SEVERITIES, default: [] },
		{
			displayName: 'Source',
			name: 'source',
			type: 'string',
			default: '',
			description: 'The alert\'s origin: built-in or policy (api-alerts.md names no spelling; use Filter (JSON) to send another)',
		},
	]),
	{
		displayName: 'Filter Options',
		name: 'filterOptions',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [filterJsonOption],
	},
];

/** The `filters` body of the fields above and the raw JSON option. */
export function alertFilters(this: IExecuteFunctions, itemIndex: number): CloudAppsFilters {
	const values = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const options = this.getNodeParameter('filterOptions', itemIndex, {}) as IDataObject;
	const filters: CloudAppsFilters = {};
	if (values.ids) addCondition(filters, 'id', 'eq', validateObjectIds(values.ids, 'Alert IDs'));
	addCondition(filters, 'severity', 'eq', values.severity);
	addCondition(filters, 'resolutionStatus', 'eq', values.resolutionStatus);
	addBooleanCondition(filters, 'alertOpen', values.open);
	addBooleanCondition(filters, 'read', values.read);
	if (values.raisedAfter) addCondition(filters, 'date', 'gte', toMilliseconds(values.raisedAfter, 'Raised After'));
	if (values.raisedBefore) addCondition(filters, 'date', 'lte', toMilliseconds(values.raisedBefore, 'Raised Before'));
	addCondition(filters, 'entity.service', 'eq', integerList(values.services, 'App IDs'));
	addCondition(filters, 'entity.policy', 'eq', stringList(values.policies));
	addCondition(filters, 'entity.ip', 'eq', stringList(values.ips));
	addCondition(filters, 'alertType', 'eq', integerList(values.alertTypes, 'Alert Type IDs'));
	const entityId = String(values.entityId ?? '').trim();
	if (entityId) addCondition(filters, 'entity.entity', 'eq', [{ id: entityId, inst: Number(values.entityInstance ?? 0) }]);
	const source = String(values.source ?? '').trim();
	if (source) addCondition(filters, 'source', 'eq', [source]);
	return mergeFilterJson(filters, options.filterJson);
}

export { FILTER_JSON_LABEL, OFFICE_365_APP_ID };
