import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { returnAllOrLimit } from '../../descriptions/common';
import { showFor } from '../defenderForEndpoint';
import { cloudAppsList, readReturnLimit, sortBody, sortOptions } from '../cloudApps';
import { alertFilterFields, alertFilters } from './filters';

export const description = showFor('cloudAppsAlert', 'getAll', [
	...returnAllOrLimit(100),
	...alertFilterFields,
	{
		displayName: 'Sort',
		name: 'sort',
		type: 'collection',
		placeholder: 'Add sort',
		default: {},
		options: sortOptions([
			{ name: 'Date', value: 'date' },
			{ name: 'Severity', value: 'severity' },
		]),
	},
]);

/** api-alerts-list.md: POST /api/v1/alerts/ with filters, sortField (date, severity), sortDirection, skip, limit. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const filters = alertFilters.call(this, itemIndex);
	const limit = readReturnLimit.call(this, itemIndex);
	const sort = sortBody(this.getNodeParameter('sort', itemIndex, {}) as IDataObject);
	return await cloudAppsList.call(this, { method: 'POST', path: '/api/v1/alerts/', body: { filters, ...sort }, permission: 'Investigation.read', itemIndex }, limit);
}
