import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { odataString } from '../../transport/odata';
import { apiPath } from '../../transport/paths';
import { validateIpAddress } from '../../transport/validation';
import { mdeList, mdeRequest, showFor } from '../defenderForEndpoint';

export const description = showFor('device', 'find', [
	{
		displayName: 'Find By',
		name: 'findBy',
		type: 'options',
		options: [
			{ name: 'Internal IP Address', value: 'ip', description: 'Devices that used the IP within 15 minutes of a time' },
			{ name: 'Name', value: 'name', description: 'Devices whose name starts with the text' },
			{ name: 'Tag', value: 'tag', description: 'Devices with a tag' },
		],
		default: 'ip',
	},
	{
		displayName: 'IP Address',
		name: 'ipAddress',
		type: 'string',
		default: '',
		required: true,
		placeholder: '10.1.2.3',
		displayOptions: { show: { findBy: ['ip'] } },
	},
	{
		displayName: 'Seen Around',
		name: 'timestamp',
		type: 'dateTime',
		default: '',
		description: 'Time the device had the IP (within the past 30 days); empty means now. Defender looks 15 minutes either side.',
		displayOptions: { show: { findBy: ['ip'] } },
	},
	{
		displayName: 'Name Starts With',
		name: 'name',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'desktop-01',
		displayOptions: { show: { findBy: ['name'] } },
	},
	{
		displayName: 'Tag',
		name: 'tag',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'VIP',
		displayOptions: { show: { findBy: ['tag'] } },
	},
	{
		displayName: 'Tag Starts With',
		name: 'tagStartsWith',
		type: 'boolean',
		default: false,
		description: 'Whether to match tags that start with the text instead of the exact tag',
		displayOptions: { show: { findBy: ['tag'] } },
	},
]);

const THIRTY_DAYS_MS = 30 * 86_400_000;

/** The timestamp findbyip takes: within the past 30 days, as Microsoft requires, in UTC without milliseconds. */
export function findTimestamp(this: IExecuteFunctions, value: unknown, itemIndex: number, label = 'Seen Around'): string {
	const text = String(value ?? '').trim();
	const now = Date.now();
	const time = text === '' ? now : Date.parse(text);
	if (Number.isNaN(time)) {
		throw new NodeOperationError(this.getNode(), `${label} "${text}" is not a date. Use an ISO 8601 date such as 2026-01-31T08:00:00Z.`, { itemIndex });
	}
	if (time < now - THIRTY_DAYS_MS || time > now + 60_000) {
		throw new NodeOperationError(this.getNode(), `${label} ${new Date(time).toISOString()} is not within the past 30 days.`, {
			description: 'Defender for Endpoint finds devices by IP only for the past 30 days. Leave the field empty for now.',
			itemIndex,
		});
	}
	return new Date(Math.min(time, now)).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const findBy = this.getNodeParameter('findBy', itemIndex) as string;
	if (findBy === 'ip') {
		const ip = validateIpAddress(this.getNodeParameter('ipAddress', itemIndex, ''), 'IP Address');
		const timestamp = findTimestamp.call(this, this.getNodeParameter('timestamp', itemIndex, ''), itemIndex);
		// Validated above: the IP and timestamp cannot break out of the function-call segment.
		const response = await mdeRequest.call(this, {
			method: 'GET',
			path: `/api/machines/findbyip(ip='${ip}',timestamp=${timestamp})`,
			permission: 'Machine.Read.All',
			itemIndex,
		});
		return Array.isArray(response.value) ? (response.value as IDataObject[]) : [];
	}
	if (findBy === 'tag') {
		const tag = String(this.getNodeParameter('tag', itemIndex, '')).trim();
		if (!tag) throw new NodeOperationError(this.getNode(), 'Tag is empty: enter the tag to find devices by.', { itemIndex });
		const startsWith = this.getNodeParameter('tagStartsWith', itemIndex, false) as boolean;
		return await mdeList.call(this, {
			method: 'GET',
			path: apiPath`/api/machines/findbytag`,
			query: { tag, useStartsWithFilter: startsWith },
			permission: 'Machine.Read.All',
			itemIndex,
		});
	}
	const name = String(this.getNodeParameter('name', itemIndex, '')).trim().toLowerCase();
	if (!name) throw new NodeOperationError(this.getNode(), 'Name Starts With is empty: enter the beginning of the device name.', { itemIndex });
	return await mdeList.call(this, {
		method: 'GET',
		path: '/api/machines',
		query: { $filter: `startswith(computerDnsName,${odataString(name)})`, $top: 10_000 },
		permission: 'Machine.Read.All',
		itemIndex,
	});
}
