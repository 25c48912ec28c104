import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { filtersCollection } from '../../descriptions/common';
import { allOf, odataString } from '../../transport/odata';
import { listFiltered, returnAllOrLimitFor, showFor } from '../defenderForEndpoint';

export const description = showFor('software', 'getAll', [
	...returnAllOrLimitFor(),
	filtersCollection([
		{ displayName: 'Name', name: 'name', type: 'string', default: '', placeholder: 'chrome', description: 'Product name as Defender normalizes it (lower case, underscores)' },
		{ displayName: 'Vendor', name: 'vendor', type: 'string', default: '', placeholder: 'google', description: 'Vendor as Defender normalizes it (lower case)' },
	]),
]);

function softwareFilter(filters: IDataObject): string | undefined {
	const text = (name: string) => String(filters[name] ?? '').trim().toLowerCase();
	return allOf([
		text('name') ? `name eq ${odataString(text('name'))}` : undefined,
		text('vendor') ? `vendor eq ${odataString(text('vendor'))}` : undefined,
	]);
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	return await listFiltered.call(this, itemIndex, { path: '/api/software', permission: 'Software.Read.All', filter: softwareFilter });
}
