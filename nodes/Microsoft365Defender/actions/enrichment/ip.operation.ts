import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { apiPath, fromField } from '../../transport/paths';
import { validateIpAddress } from '../../transport/validation';
import { mdeRequest, showFor } from '../defenderForEndpoint';
import { findTimestamp } from '../device/find.operation';
import { getCollection, getEntity, includeField, lookBackField, readIncludes, readLookBack } from './common';

export const description = showFor('enrichment', 'ip', [
	{
		displayName: 'IP Address',
		name: 'ipAddress',
		type: 'string',
		default: '',
		required: true,
		placeholder: '185.220.101.45',
	},
	includeField([
		{ name: 'Prevalence Statistics', value: 'stats', description: 'How many devices communicated with it, first and last seen (Ip.Read.All)' },
		{ name: 'Related Alerts', value: 'alerts', description: 'Alerts that involve the address (Alert.Read.All)' },
		{ name: 'Devices Using It', value: 'devices', description: 'Devices that had this internal IP address around a time (Machine.Read.All)' },
	]),
	{ ...lookBackField, displayOptions: { show: { include: ['stats'] } } },
	{
		displayName: 'Devices Seen Around',
		name: 'timestamp',
		type: 'dateTime',
		default: '',
		description: 'Time the devices had the address (within the past 30 days); empty means now',
		displayOptions: { show: { include: ['devices'] } },
	},
]);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const ip = validateIpAddress(this.getNodeParameter('ipAddress', itemIndex, ''), 'IP Address');
	const include = readIncludes.call(this, itemIndex);
	const lookBackHours = include.has('stats') ? readLookBack.call(this, itemIndex) : undefined;
	const timestamp = include.has('devices') ? findTimestamp.call(this, this.getNodeParameter('timestamp', itemIndex, ''), itemIndex, 'Devices Seen Around') : undefined;
	const result: IDataObject = { ipAddress: ip };
	if (include.has('stats')) result.stats = await getEntity.call(this, apiPath`/api/ips/${fromField('IP Address', ip)}/stats`, 'Ip.Read.All', itemIndex, { lookBackHours });
	if (include.has('alerts')) result.alerts = await getCollection.call(this, apiPath`/api/ips/${fromField('IP Address', ip)}/alerts`, 'Alert.Read.All', itemIndex);
	if (include.has('devices')) {
		// Validated above: the address and time cannot leave the function-call segment.
		const response = await mdeRequest.call(this, {
			method: 'GET',
			path: `/api/machines/findbyip(ip='${ip}',timestamp=${timestamp})`,
			permission: 'Machine.Read.All',
			itemIndex,
		});
		result.devices = Array.isArray(response.value) ? response.value : [];
	}
	return result;
}
