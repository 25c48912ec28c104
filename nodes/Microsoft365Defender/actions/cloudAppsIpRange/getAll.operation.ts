import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { filtersCollection, returnAllOrLimit } from '../../descriptions/common';
import { IP_RANGE_CATEGORIES } from '../../descriptions/cloudApps';
import { showFor } from '../defenderForEndpoint';
import {
	addBooleanCondition,
	addCondition,
	cloudAppsList,
	listOptions,
	mergeFilterJson,
	readReturnLimit,
	sortBody,
	stringList,
	YES_NO_EITHER,
	type CloudAppsFilters,
} from '../cloudApps';

export const description = showFor('cloudAppsIpRange', 'getAll', [
	...returnAllOrLimit(100),
	filtersCollection([
		{ displayName: 'Built-In', name: 'builtIn', type: 'options', options: YES_NO_EITHER, default: '' },
		{ displayName: 'Category', name: 'category', type: 'multiOptions', options: IP_RANGE_CATEGORIES, default: [] },
		{ displayName: 'Tag IDs', name: 'tags', type: 'string', default: '', description: 'Comma-separated tag IDs' },
	]),
	listOptions([
		{ name: 'Name', value: 'name' },
		{ name: 'Category', value: 'category' },
		{ name: 'Tags', value: 'tags' },
	]),
]);

/** api-data-enrichment-list.md: POST /api/v1/subnet/ (filters, sortField category / tags / name, sortDirection, skip, limit). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const values = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const filters: CloudAppsFilters = {};
	addCondition(filters, 'category', 'eq', values.category);
	addCondition(filters, 'tags', 'eq', stringList(values.tags));
	addBooleanCondition(filters, 'builtIn', values.builtIn);
	const limit = readReturnLimit.call(this, itemIndex);
	const body = { filters: mergeFilterJson(filters, options.filterJson), ...sortBody(options) };
	return await cloudAppsList.call(this, { method: 'POST', path: '/api/v1/subnet/', body, permission: 'Settings.read', itemIndex }, limit);
}
