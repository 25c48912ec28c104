import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeParameterResourceLocator } from 'n8n-workflow';

import { odataString } from '../../transport/odata';
import { apiPath, fromField } from '../../transport/paths';
import { detectIndicatorType, validateIndicatorId } from '../../transport/validation';
import { mdeList, mdeRequest, showFor } from '../defenderForEndpoint';

export const description = showFor('indicator', 'delete', [
	{
		displayName: 'Indicator',
		name: 'indicatorId',
		type: 'resourceLocator',
		default: { mode: 'id', value: '' },
		required: true,
		modes: [
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: '995',
				validation: [{ type: 'regex', properties: { regex: '^\\s*\\d+\\s*$', errorMessage: 'An indicator ID is a number, e.g. 995' } }],
			},
			{
				displayName: 'By Value',
				name: 'value',
				type: 'string',
				placeholder: '220e7d15b011d7fac48f2bd61114db1022197f7f',
				hint: 'Deletes every indicator with this exact value (of any type)',
			},
		],
	},
]);

async function deleteOne(this: IExecuteFunctions, id: string, itemIndex: number): Promise<void> {
	await mdeRequest.call(this, { method: 'DELETE', path: apiPath`/api/indicators/${fromField('Indicator', id)}`, permission: 'Ti.ReadWrite.All', itemIndex });
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const locator = this.getNodeParameter('indicatorId', itemIndex) as INodeParameterResourceLocator;
	if (locator.mode !== 'value') {
		const id = validateIndicatorId(locator.value, 'Indicator');
		await deleteOne.call(this, id, itemIndex);
		return [{ id, deleted: true }];
	}
	const raw = String(locator.value ?? '').trim();
	// Microsoft keeps hashes in lower case.
	const value = ['FileSha1', 'FileSha256', 'FileMd5'].includes(detectIndicatorType(raw) ?? '') ? raw.toLowerCase() : raw;
	if (!value) throw new NodeOperationError(this.getNode(), 'Indicator value is empty: enter the hash, IP address, domain or URL to unblock.', { itemIndex });
	const found = await mdeList.call(this, {
		method: 'GET',
		path: '/api/indicators',
		query: { $filter: `indicatorValue eq ${odataString(value)}` },
		permission: 'Ti.ReadWrite.All',
		itemIndex,
	});
	if (found.length === 0) {
		throw new NodeOperationError(this.getNode(), `No indicator with the value "${value.slice(0, 80)}" was found.`, {
			description: 'Hashes are stored in lower case. An app with Ti.ReadWrite (not .All) sees only the indicators it created.',
			itemIndex,
		});
	}
	for (const indicator of found) await deleteOne.call(this, String(indicator.id), itemIndex);
	return found.map((indicator) => ({ id: String(indicator.id), indicatorValue: indicator.indicatorValue, indicatorType: indicator.indicatorType, deleted: true }));
}
