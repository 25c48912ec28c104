import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { readText, showFor, tiGet, tiList, withoutContext } from './common';

/**
 * GET /hosts/{hostId} and, as chosen, its reputation, WHOIS record and passive DNS
 * (security-host-get.md, security-host-get-reputation.md, security-host-get-whois.md, security-host-list-passivedns.md).
 */
export const description = showFor('getHost', [
	{
		displayName: 'Host',
		name: 'host',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'contoso-helpdesk.com or 203.0.113.10',
		description: 'A hostname or an IP address',
	},
	{
		displayName: 'Include',
		name: 'include',
		type: 'multiOptions',
		options: [
			{ name: 'Passive DNS', value: 'passiveDns', description: 'What the host resolved to, and when' },
			{ name: 'Reputation', value: 'reputation', description: 'Classification, score and the rules behind them' },
			{ name: 'WHOIS', value: 'whois', description: 'Registrar, registrant, dates and name servers (hostnames only)' },
		],
		default: ['reputation', 'whois', 'passiveDns'],
	},
	{
		displayName: 'Passive DNS Limit',
		name: 'passiveDnsLimit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 100,
		description: 'Max number of passive DNS records to return',
		displayOptions: { show: { include: ['passiveDns'] } },
	},
]);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const host = readText.call(this, 'host', 'Host', itemIndex);
	const include = new Set(this.getNodeParameter('include', itemIndex, []) as string[]);
	const limit = this.getNodeParameter('passiveDnsLimit', itemIndex, 100) as number;
	const [found, reputation, whois, passiveDns] = await Promise.all([
		tiGet.call(this, 'hosts', 'Host', host, itemIndex),
		include.has('reputation') ? tiGet.call(this, 'hosts', 'Host', host, itemIndex, '/reputation') : undefined,
		include.has('whois') ? tiGet.call(this, 'hosts', 'Host', host, itemIndex, '/whois') : undefined,
		include.has('passiveDns') ? tiList.call(this, 'hosts', 'Host', host, '/passiveDns', itemIndex, limit) : undefined,
	]);
	return {
		...withoutContext(found),
		...(reputation ? { reputation: withoutContext(reputation) } : {}),
		...(whois ? { whois: withoutContext(whois) } : {}),
		...(passiveDns ? { passiveDns } : {}),
	};
}
