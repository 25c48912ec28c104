import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { deviceLocator } from '../../descriptions/mde';
import { devicePath, mdeRequest, resolveDevice, showFor, withoutContext } from '../defenderForEndpoint';

/** set-device-value.md: DeviceValue is one of Normal, Low, High (case-sensitive body field). */
const DEVICE_VALUES = ['Normal', 'Low', 'High'];

export const description = showFor('device', 'setDeviceValue', [
	deviceLocator,
	{
		displayName: 'Device Value',
		name: 'deviceValue',
		type: 'options',
		options: [
			{ name: 'High', value: 'High', description: 'A high-value asset: its exposure weighs more in the exposure score' },
			{ name: 'Low', value: 'Low', description: 'A low-value asset' },
			{ name: 'Normal', value: 'Normal', description: 'The default' },
		],
		default: 'High',
		description: 'How much the device matters to the organization, for exposure scores and prioritization',
	},
]);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const value = String(this.getNodeParameter('deviceValue', itemIndex));
	if (!DEVICE_VALUES.includes(value)) {
		throw new NodeOperationError(this.getNode(), `Device Value "${value}" is not one of ${DEVICE_VALUES.join(', ')}.`, { itemIndex });
	}
	const { id } = await resolveDevice.call(this, itemIndex);
	const machine = await mdeRequest.call(this, {
		method: 'POST',
		path: devicePath(id, 'setDeviceValue'),
		body: { DeviceValue: value },
		permission: 'Machine.ReadWrite.All',
		idempotent: true,
		itemIndex,
	});
	return [withoutContext(machine)];
}
