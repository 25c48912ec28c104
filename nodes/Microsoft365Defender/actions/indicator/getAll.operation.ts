import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { filtersCollection } from '../../descriptions/common';
import { INDICATOR_FILTER_ACTIONS, INDICATOR_SEVERITIES, INDICATOR_TYPES } from '../../descriptions/mde';
import { allOf, anyOf, odataDateTime, odataString } from '../../transport/odata';
import { listOf, listFiltered, returnAllOrLimitFor, showFor } from '../defenderForEndpoint';

export const description = showFor('indicator', 'getAll', [
	...returnAllOrLimitFor(),
	filtersCollection([
		{ displayName: 'Action', name: 'action', type: 'multiOptions', options: INDICATOR_FILTER_ACTIONS, default: [] },
		{ displayName: 'Created After', name: 'createdAfter', type: 'dateTime', default: '' },
		{ displayName: 'Created By', name: 'createdBy', type: 'string', default: '', description: 'User principal name or application ID that created the indicator' },
		{ displayName: 'Severity', name: 'severity', type: 'multiOptions', options: INDICATOR_SEVERITIES, default: [] },
		{ displayName: 'Title', name: 'title', type: 'string', default: '' },
		{ displayName: 'Type', name: 'indicatorType', type: 'multiOptions', options: INDICATOR_TYPES, default: [] },
		{ displayName: 'Value', name: 'indicatorValue', type: 'string', default: '', description: 'The exact hash, IP address, domain or URL' },
	]),
]);

export function indicatorFilter(filters: IDataObject): string | undefined {
	const text = (name: string) => String(filters[name] ?? '').trim();
	return allOf([
		text('indicatorValue') ? `indicatorValue eq ${odataString(text('indicatorValue'))}` : undefined,
		anyOf('indicatorType', listOf(filters.indicatorType)),
		anyOf('action', listOf(filters.action)),
		anyOf('severity', listOf(filters.severity)),
		text('title') ? `title eq ${odataString(text('title'))}` : undefined,
		text('createdBy') ? `createdBy eq ${odataString(text('createdBy'))}` : undefined,
		filters.createdAfter ? `creationTimeDateTimeUtc gt ${odataDateTime('Created After', filters.createdAfter)}` : undefined,
	]);
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	return await listFiltered.call(this, itemIndex, { path: '/api/indicators', permission: 'Ti.ReadWrite.All', filter: indicatorFilter });
}
