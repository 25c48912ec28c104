import { NodeOperationError, updateDisplayOptions, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { returnAllOrLimit } from '../../descriptions/common';
import { odataString } from '../../transport/odata';
import { defenderApiRequestAllItems } from '../../transport/request';

/**
 * GET /security/identities/identityAccounts with $filter (api-reference/v1.0/api/security-identitycontainer-list-identityaccounts.md).
 * userPrincipalName is declared on the derived microsoft.graph.security.user (resources/security-user.md),
 * so the filter reaches it through the type cast.
 */
const SEARCH_FIELDS: Record<string, { label: string; filter: (value: string) => string }> = {
	userPrincipalName: { label: 'User Principal Name', filter: (value) => `microsoft.graph.security.user/userPrincipalName eq ${odataString(value)}` },
	sid: { label: 'Security Identifier (SID)', filter: (value) => `onPremisesSecurityIdentifier eq ${odataString(value)}` },
	displayName: { label: 'Display Name', filter: (value) => `displayName eq ${odataString(value)}` },
};

export const description = updateDisplayOptions({ show: { resource: ['user'], operation: ['getIdentityAccounts'] } }, [
	{
		displayName: 'Search By',
		name: 'searchBy',
		type: 'options',
		options: [
			{ name: 'Display Name', value: 'displayName' },
			{ name: 'Nothing (All Accounts)', value: 'noFilter' },
			{ name: 'Security Identifier (SID)', value: 'sid' },
			{ name: 'User Principal Name', value: 'userPrincipalName' },
		],
		default: 'userPrincipalName',
	},
	{
		displayName: 'Value',
		name: 'searchValue',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'adele.vance@contoso.com',
		description: 'Exact value to match (user principal name, S-1-5-21-… SID or display name)',
		displayOptions: { hide: { searchBy: ['noFilter'] } },
	},
	...returnAllOrLimit(),
]);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const searchBy = this.getNodeParameter('searchBy', itemIndex) as string;
	let filter: string | undefined;
	if (searchBy !== 'noFilter') {
		const field = SEARCH_FIELDS[searchBy];
		const value = String(this.getNodeParameter('searchValue', itemIndex, '') ?? '').trim();
		if (!field || !value) {
			throw new NodeOperationError(this.getNode(), `Value is empty: give the ${field?.label ?? searchBy} to search for.`, { itemIndex });
		}
		filter = field.filter(value);
	}
	const returnAll = this.getNodeParameter('returnAll', itemIndex) as boolean;
	const limit = returnAll ? undefined : (this.getNodeParameter('limit', itemIndex) as number);
	// The page documents $filter and $select only, so the limit is applied here rather than with $top.
	return await defenderApiRequestAllItems.call(
		this,
		{
			api: 'graph',
			method: 'GET',
			path: '/v1.0/security/identities/identityAccounts',
			query: { $filter: filter },
			permission: 'SecurityIdentitiesAccount.Read.All',
			itemIndex,
		},
		{ limit },
	);
}
