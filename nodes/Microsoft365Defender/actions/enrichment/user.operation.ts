import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { apiPath, fromField } from '../../transport/paths';
import { validateAccountName } from '../../transport/validation';
import { showFor } from '../defenderForEndpoint';
import { getCollection, includeField, readIncludes } from './common';

export const description = showFor('enrichment', 'user', [
	{
		displayName: 'User',
		name: 'user',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'user1@contoso.com',
		description: 'Account name, UPN or DOMAIN\\name; Defender for Endpoint looks users up by account name (user1), which is taken from the UPN',
	},
	includeField([
		{ name: 'Related Alerts', value: 'alerts', description: 'Alerts that involve the user (Alert.Read.All)' },
		{ name: 'Related Devices', value: 'devices', description: 'Devices the user logged on to (Machine.ReadWrite.All)' },
	]),
]);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const user = validateAccountName(this.getNodeParameter('user', itemIndex, ''), 'User');
	const include = readIncludes.call(this, itemIndex);
	const result: IDataObject = { user };
	if (include.has('alerts')) result.alerts = await getCollection.call(this, apiPath`/api/users/${fromField('User', user)}/alerts`, 'Alert.Read.All', itemIndex);
	if (include.has('devices')) result.devices = await getCollection.call(this, apiPath`/api/users/${fromField('User', user)}/machines`, 'Machine.ReadWrite.All', itemIndex);
	return result;
}
