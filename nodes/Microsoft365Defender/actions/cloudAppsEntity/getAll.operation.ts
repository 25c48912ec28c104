import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { filtersCollection, returnAllOrLimit } from '../../descriptions/common';
import { ENTITY_STATUSES, OFFICE_365_APP_ID } from '../../descriptions/cloudApps';
import { showFor } from '../defenderForEndpoint';
import {
	addBooleanCondition,
	addCondition,
	cloudAppsList,
	integerList,
	listOptions,
	mergeFilterJson,
	readReturnLimit,
	sortBody,
	stringList,
	YES_NO_EITHER,
	type CloudAppsFilters,
} from '../cloudApps';

export const description = showFor('cloudAppsEntity', 'getAll', [
	...returnAllOrLimit(100),
	filtersCollection([
		{ displayName: 'Admin', name: 'admin', type: 'options', options: YES_NO_EITHER, default: '' },
		{ displayName: 'App IDs', name: 'apps', type: 'string', default: '', placeholder: '11161, 20892', description: 'Comma-separated IDs of apps the entities use' },
		{ displayName: 'Domains', name: 'domains', type: 'string', default: '', description: 'Comma-separated domains of the entities' },
		{ displayName: 'External', name: 'external', type: 'options', options: YES_NO_EITHER, default: '' },
		{ displayName: 'Organizations', name: 'organizations', type: 'string', default: '', description: 'Comma-separated organizational units' },
		{ displayName: 'Status', name: 'status', type: 'multiOptions', options: ENTITY_STATUSES, default: [] },
		{
			displayName: 'Type',
			name: 'type',
			type: 'options',
			options: [
				{ name: 'Any', value: '' },
				{ name: 'User', value: 'user' },
				{ name: 'Account', value: 'account' },
			],
			default: '',
		},
		{ displayName: 'User or Account ID', name: 'entityId', type: 'string', default: '', description: 'An entity\'s ID; for a user this also returns its app accounts' },
		{ displayName: 'User or Account App ID', name: 'entityApp', type: 'number', default: OFFICE_365_APP_ID, description: 'That entity\'s app ID (11161 for a Microsoft 365 user)' },
	]),
	listOptions([
		{ name: 'Date', value: 'date' },
		{ name: 'Severity', value: 'severity' },
	]),
]);

function entityFilters(this: IExecuteFunctions, itemIndex: number, options: IDataObject): CloudAppsFilters {
	const values = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const filters: CloudAppsFilters = {};
	if (values.type) addCondition(filters, 'type', 'eq', [values.type]);
	addBooleanCondition(filters, 'isAdmin', values.admin);
	addBooleanCondition(filters, 'isExternal', values.external);
	addCondition(filters, 'app', 'eq', integerList(values.apps, 'App IDs'));
	addCondition(filters, 'domain', 'eq', stringList(values.domains));
	addCondition(filters, 'organization', 'eq', stringList(values.organizations));
	addCondition(filters, 'status', 'eq', values.status);
	const entityId = String(values.entityId ?? '').trim();
	if (entityId) addCondition(filters, 'entity', 'eq', [{ id: entityId, saas: Number(values.entityApp ?? OFFICE_365_APP_ID), inst: 0 }]);
	return mergeFilterJson(filters, options.filterJson);
}

/** api-entities-list.md: POST /api/v1/entities/ (filters, sortField date / severity, sortDirection, skip, limit). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const filters = entityFilters.call(this, itemIndex, options);
	const limit = readReturnLimit.call(this, itemIndex);
	return await cloudAppsList.call(this, { method: 'POST', path: '/api/v1/entities/', body: { filters, ...sortBody(options) }, permission: 'Investigation.read', itemIndex }, limit);
}
