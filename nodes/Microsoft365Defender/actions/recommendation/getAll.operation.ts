import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { filtersCollection } from '../../descriptions/common';
import { RECOMMENDATION_CATEGORIES, RECOMMENDATION_STATUSES, REMEDIATION_TYPES } from '../../descriptions/mde';
import { allOf, anyOf, odataString } from '../../transport/odata';
import { listOf, listFiltered, returnAllOrLimitFor, showFor } from '../defenderForEndpoint';

export const description = showFor('recommendation', 'getAll', [
	...returnAllOrLimitFor(),
	filtersCollection([
		{ displayName: 'Category', name: 'recommendationCategory', type: 'multiOptions', options: RECOMMENDATION_CATEGORIES, default: [] },
		{ displayName: 'Product Name', name: 'productName', type: 'string', default: '', placeholder: 'chrome' },
		{ displayName: 'Remediation Type', name: 'remediationType', type: 'multiOptions', options: REMEDIATION_TYPES, default: [] },
		{ displayName: 'Status', name: 'status', type: 'multiOptions', options: RECOMMENDATION_STATUSES, default: [] },
		{ displayName: 'Vendor', name: 'vendor', type: 'string', default: '', placeholder: 'google' },
	]),
]);

function recommendationFilter(filters: IDataObject): string | undefined {
	const text = (name: string) => String(filters[name] ?? '').trim().toLowerCase();
	return allOf([
		text('productName') ? `productName eq ${odataString(text('productName'))}` : undefined,
		text('vendor') ? `vendor eq ${odataString(text('vendor'))}` : undefined,
		anyOf('recommendationCategory', listOf(filters.recommendationCategory)),
		anyOf('remediationType', listOf(filters.remediationType)),
		anyOf('status', listOf(filters.status)),
	]);
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	return await listFiltered.call(this, itemIndex, { path: '/api/recommendations', permission: 'SecurityRecommendation.Read.All', filter: recommendationFilter });
}
