import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { machineActionLocator } from '../../descriptions/mde';
import { showFor } from '../defenderForEndpoint';
import { investigationPackageLink } from '../investigationPackage';
import { readMachineActionId } from './common';

export const description = showFor('machineAction', 'getPackageUri', [
	{
		...machineActionLocator,
		description: 'A Collect Investigation Package action that has Succeeded',
	},
]);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const id = readMachineActionId.call(this, itemIndex);
	return {
		machineActionId: id,
		downloadUrl: await investigationPackageLink.call(this, id, itemIndex),
		note: 'The link is valid for a short time only: download the package right away.',
	};
}
