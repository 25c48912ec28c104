import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { odataString } from '../../transport/odata';
import { validateIndicatorId } from '../../transport/validation';
import { mdeList, showFor } from '../defenderForEndpoint';

export const description = showFor('indicator', 'get', [
	{
		displayName: 'Indicator ID',
		name: 'indicatorId',
		type: 'string',
		default: '',
		required: true,
		placeholder: '995',
		description: 'The indicator\'s ID, as Create or Update and Get Many return it',
	},
]);

/**
 * Microsoft documents no GET for one indicator (ti-indicator.md lists List, Submit, Import and
 * Delete), so the indicator is asked from the list by its key.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const id = validateIndicatorId(this.getNodeParameter('indicatorId', itemIndex), 'Indicator ID');
	const found = await mdeList.call(
		this,
		{ method: 'GET', path: '/api/indicators', query: { $filter: `id eq ${odataString(id)}` }, permission: 'Ti.ReadWrite.All', itemIndex },
		1,
	);
	if (found.length === 0) {
		throw new NodeOperationError(this.getNode(), `No indicator with the ID ${id} was found.`, {
			description: 'Check the ID (Get Many lists them). An app with Ti.ReadWrite (not .All) sees only the indicators it created; an expired indicator is no longer listed.',
			itemIndex,
		});
	}
	return found;
}
