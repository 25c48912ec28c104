import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { deviceLocator } from '../../descriptions/mde';
import { devicePath, mdeRequest, resolveDevice, showFor } from '../defenderForEndpoint';

export const description = showFor('device', 'get', [deviceLocator]);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const device = await resolveDevice.call(this, itemIndex);
	if (device.machine) return device.machine;
	return await mdeRequest.call(this, { method: 'GET', path: devicePath(device.id), permission: 'Machine.Read.All', itemIndex });
}
