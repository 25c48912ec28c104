import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { apiPath, fromField } from '../../transport/paths';
import { validateDomainName } from '../../transport/validation';
import { showFor } from '../defenderForEndpoint';
import { getCollection, getEntity, includeField, lookBackField, readIncludes, readLookBack } from './common';

export const description = showFor('enrichment', 'domain', [
	{
		displayName: 'Domain',
		name: 'domain',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'contoso-payroll.top',
	},
	includeField([
		{ name: 'Prevalence Statistics', value: 'stats', description: 'How many devices communicated with it, first and last seen (URL.Read.All)' },
		{ name: 'Related Alerts', value: 'alerts', description: 'Alerts that involve the domain (Alert.Read.All)' },
		{ name: 'Related Devices', value: 'devices', description: 'Devices that communicated with the domain, up to 500 (Machine.Read.All)' },
	]),
	{ ...lookBackField, displayOptions: { show: { include: ['stats'] } } },
]);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const domain = validateDomainName(this.getNodeParameter('domain', itemIndex, ''), 'Domain');
	const include = readIncludes.call(this, itemIndex);
	const lookBackHours = include.has('stats') ? readLookBack.call(this, itemIndex) : undefined;
	const result: IDataObject = { domain };
	if (include.has('stats')) result.stats = await getEntity.call(this, apiPath`/api/domains/${fromField('Domain', domain)}/stats`, 'URL.Read.All', itemIndex, { lookBackHours });
	if (include.has('alerts')) result.alerts = await getCollection.call(this, apiPath`/api/domains/${fromField('Domain', domain)}/alerts`, 'Alert.Read.All', itemIndex);
	if (include.has('devices')) result.devices = await getCollection.call(this, apiPath`/api/domains/${fromField('Domain', domain)}/machines`, 'Machine.Read.All', itemIndex);
	return result;
}
