import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { filtersCollection } from '../../descriptions/common';
import { allOf, anyOf, odataDateTime } from '../../transport/odata';
import { listFiltered, listOf, returnAllOrLimitFor, showFor } from '../defenderForEndpoint';

/** get-remediation-all-activities.md: $filter on createdOn and status; $top at most 10,000. */
export const description = showFor('remediationActivity', 'getAll', [
	...returnAllOrLimitFor(),
	filtersCollection([
		{ displayName: 'Created After', name: 'createdAfter', type: 'dateTime', default: '' },
		{
			displayName: 'Status',
			name: 'status',
			type: 'multiOptions',
			options: [
				{ name: 'Active', value: 'Active' },
				{ name: 'Completed', value: 'Completed' },
			],
			default: [],
		},
	]),
]);

function remediationFilter(filters: IDataObject): string | undefined {
	return allOf([
		filters.createdAfter ? `createdOn gt ${odataDateTime('Created After', filters.createdAfter)}` : undefined,
		anyOf('status', listOf(filters.status)),
	]);
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	return await listFiltered.call(this, itemIndex, { path: '/api/remediationTasks', permission: 'RemediationTasks.Read.All', filter: remediationFilter });
}
