import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { machineActionLocator } from '../../descriptions/mde';
import { mdeRequest, showFor } from '../defenderForEndpoint';
import { assertPackageReady, packageOutputField, withInvestigationPackage } from '../investigationPackage';
import { machineActionPath, readMachineActionId } from './common';

export const description = showFor('machineAction', 'downloadPackage', [
	{ ...machineActionLocator, description: 'A Collect Investigation Package action that has Succeeded' },
	packageOutputField,
]);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const id = readMachineActionId.call(this, itemIndex);
	const action = await mdeRequest.call(this, { method: 'GET', path: machineActionPath(id), permission: 'Machine.Read.All', itemIndex });
	assertPackageReady.call(this, action, itemIndex);
	return await withInvestigationPackage.call(this, action, itemIndex);
}
