import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { commentField, deviceLocator } from '../../descriptions/mde';
import { devicePath, mdeRequest, resolveDevice, showFor, withoutContext } from '../defenderForEndpoint';

export const description = showFor('investigation', 'start', [
	deviceLocator,
	commentField('Why the investigation is started; Defender shows it with the investigation'),
]);

/**
 * initiate-autoir-investigation.md: POST /api/machines/{id}/startInvestigation {Comment}, 201 with
 * the Investigation; 50 calls per hour (its own rate budget). Not retried after a server error:
 * a second call would start a second investigation.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const comment = String(this.getNodeParameter('comment', itemIndex, '')).trim();
	if (!comment) {
		throw new NodeOperationError(this.getNode(), 'Comment is empty: Start Investigation requires a comment (Microsoft\'s Comment is required).', { itemIndex });
	}
	const { id } = await resolveDevice.call(this, itemIndex);
	const investigation = await mdeRequest.call(this, {
		method: 'POST',
		path: devicePath(id, 'startInvestigation'),
		body: { Comment: comment },
		permission: 'Alert.ReadWrite.All',
		itemIndex,
	});
	return [withoutContext(investigation)];
}
