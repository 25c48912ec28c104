import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { allOf, odataString } from '../../transport/odata';
import { mdeList, readLimit, returnAllOrLimitFor, showFor } from '../device/common';

export const description = showFor('software', 'getAll', [
	...returnAllOrLimitFor(),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add filter',
		default: {},
		options: [
			{ displayName: 'Name', name: 'name', type: 'string', default: '', placeholder: 'chrome', description: 'Product name as Defender normalizes it (lower case, underscores)' },
			{ displayName: 'Vendor', name: 'vendor', type: 'string', default: '', placeholder: 'google', description: 'Vendor as Defender normalizes it (lower case)' },
		],
	},
]);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const { limit, top } = readLimit.call(this, itemIndex);
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const text = (name: string) => String(filters[name] ?? '').trim().toLowerCase();
	const $filter = allOf([
		text('name') ? `name eq ${odataString(text('name'))}` : undefined,
		text('vendor') ? `vendor eq ${odataString(text('vendor'))}` : undefined,
	]);
	return await mdeList.call(
		this,
		{ method: 'GET', path: '/api/software', query: { $top: top, $filter }, permission: 'Software.Read.All', itemIndex },
		limit,
	);
}
