import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { machineActionLocator } from '../../descriptions/mde';
import { mdeRequest, showFor } from '../defenderForEndpoint';
import { machineActionPath, readMachineActionId } from './common';

export const description = showFor('machineAction', 'getPackageUri', [
	{
		...machineActionLocator,
		description: 'A Collect Investigation Package action that has Succeeded',
	},
]);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const id = readMachineActionId.call(this, itemIndex);
	const response = await mdeRequest.call(this, { method: 'GET', path: machineActionPath(id, 'getPackageUri'), permission: 'Machine.Read.All', itemIndex });
	// Microsoft's answer can carry the URL wrapped in quotes inside the JSON string.
	const url = String(response.value ?? '').trim().replace(/^"(.*)"$/, '$1');
	return {
		machineActionId: id,
		downloadUrl: url,
		note: 'The link is valid for a short time only: download the package right away.',
	};
}
