import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { machineActionLocator } from '../../descriptions/mde';
import { mdeRequest, showFor, withoutContext } from '../defenderForEndpoint';
import { machineActionPath, readMachineActionId } from './common';

export const description = showFor('machineAction', 'get', [machineActionLocator]);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const id = readMachineActionId.call(this, itemIndex);
	return withoutContext(await mdeRequest.call(this, { method: 'GET', path: machineActionPath(id), permission: 'Machine.Read.All', itemIndex }));
}
