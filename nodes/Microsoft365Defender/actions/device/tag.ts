import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { deviceLocator } from '../../descriptions/mde';
import { devicePath, mdeRequest, resolveDevice, showFor } from '../defenderForEndpoint';

/** Add Tag and Remove Tag: one call per tag, `{"Value","Action"}` as Microsoft's page spells them. */
export function tagOperation(operation: 'addTag' | 'removeTag') {
	const adding = operation === 'addTag';
	const properties: INodeProperties[] = [
		deviceLocator,
		{
			displayName: 'Tag',
			name: 'tag',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'Contained',
			description: adding ? 'Tag to add to the device' : 'Tag to remove from the device (exact, case-sensitive)',
		},
	];
	return {
		description: showFor('device', operation, properties),
		async execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
			const tag = String(this.getNodeParameter('tag', itemIndex, '')).trim();
			if (!tag) throw new NodeOperationError(this.getNode(), 'Tag is empty: enter the tag text.', { itemIndex });
			if (tag.length > 200) {
				throw new NodeOperationError(this.getNode(), `Tag is ${tag.length} characters long; Defender for Endpoint takes at most 200.`, { itemIndex });
			}
			const { id } = await resolveDevice.call(this, itemIndex);
			return await mdeRequest.call(this, {
				method: 'POST',
				path: devicePath(id, 'tags'),
				body: { Value: tag, Action: adding ? 'Add' : 'Remove' },
				permission: 'Machine.ReadWrite.All',
				// Setting a tag twice gives the same result.
				idempotent: true,
				itemIndex,
			});
		},
	};
}
