import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { commentField, machineActionLocator } from '../../descriptions/mde';
import { mdeRequest, showFor, withoutContext } from '../defenderForEndpoint';
import { machineActionPath, readMachineActionId } from './common';

export const description = showFor('machineAction', 'cancel', [
	machineActionLocator,
	commentField('Why the action is cancelled; shown with the action in the Defender portal'),
]);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const comment = String(this.getNodeParameter('comment', itemIndex, '')).trim();
	if (!comment) throw new NodeOperationError(this.getNode(), 'Comment is empty: write why the action is cancelled.', { itemIndex });
	const id = readMachineActionId.call(this, itemIndex);
	return withoutContext(
		await mdeRequest.call(this, {
			method: 'POST',
			path: machineActionPath(id, 'cancel'),
			body: { Comment: comment },
			permission: 'Machine.Isolate, Machine.Scan, Machine.CollectForensics, Machine.RestrictExecution, Machine.StopAndQuarantine or Machine.Offboard (the one of the action\'s type)',
			// Cancelling twice leaves the action cancelled.
			idempotent: true,
			itemIndex,
		}),
	);
}
