import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { deviceLocator } from '../../descriptions/mde';
import { devicePath, mdeList, resolveDevice, showFor } from '../defenderForEndpoint';

/** A device's sub-collection (logon users, alerts, software, vulnerabilities): one item per entry. */
export function relatedOperation(operation: string, segment: string, permission: string) {
	return {
		description: showFor('device', operation, [deviceLocator]),
		async execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
			const { id } = await resolveDevice.call(this, itemIndex);
			const entries = await mdeList.call(this, { method: 'GET', path: devicePath(id, segment), permission, itemIndex });
			return entries.map((entry) => ({ ...entry, deviceId: entry.deviceId ?? id }));
		},
	};
}
