import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
	type INodePropertyOptions,
} from 'n8n-workflow';

import { apiPath, fromField } from '../../transport/paths';
import { defenderApiRequest } from '../../transport/request';
import { oneAtATimePerObject } from '../objectOrder';
import type { OperationModule } from '../securityItems';

/**
 * Containment on a user's account. Defender for Identity's invokeAction (Graph v1.0,
 * api-reference/v1.0/api/security-identityaccounts-invokeaction.md) acts on Active Directory and Okta
 * accounts, each action for the providers its table lists; Entra ID is out of its scope, so Entra
 * accounts go through Entra's own calls (user-update.md, user-revokesigninsessions.md,
 * riskyuser-confirmcompromised.md, riskyuser-dismiss.md).
 */
export type IdentityProvider = 'entraID' | 'activeDirectory' | 'okta';
/** invokeAction's actions, and dismissUserRisk, which only Entra ID Protection offers (no invokeAction member). */
export type AccountAction = 'disable' | 'enable' | 'forcePasswordReset' | 'revokeAllSessions' | 'requireUserToSignInAgain' | 'markUserAsCompromised' | 'dismissUserRisk';

export const PROVIDER_NAMES: Record<IdentityProvider, string> = {
	entraID: 'Microsoft Entra ID',
	activeDirectory: 'Active Directory',
	okta: 'Okta',
};

/** invokeAction's table of supported identity providers per action. */
const INVOKE_ACTION_PROVIDERS: Record<AccountAction, IdentityProvider[]> = {
	disable: ['activeDirectory', 'okta'],
	enable: ['activeDirectory', 'okta'],
	forcePasswordReset: ['activeDirectory'],
	revokeAllSessions: ['okta'],
	requireUserToSignInAgain: [],
	markUserAsCompromised: [],
	dismissUserRisk: [],
};

type EntraCall = (this: IExecuteFunctions, user: string, itemIndex: number) => Promise<IDataObject>;

const userPath = (user: string) => apiPath`/v1.0/users/${fromField('User', user)}`;

function patchUser(body: IDataObject, permission: string): EntraCall {
	return async function (user, itemIndex) {
		await defenderApiRequest.call(this, { api: 'graph', method: 'PATCH', path: userPath(user), body, permission, itemIndex });
		return {};
	};
}

const revokeSignInSessions: EntraCall = async function (user, itemIndex) {
	await defenderApiRequest.call(this, {
		api: 'graph',
		method: 'POST',
		path: `${userPath(user)}/revokeSignInSessions`,
		body: {},
		// Revoking twice has the same effect as once.
		idempotent: true,
		permission: 'User.RevokeSessions.All',
		itemIndex,
	});
	return {};
};

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Entra ID Protection's riskyUsers actions (confirmCompromised, dismiss: POST { userIds }, 204) take object IDs only:
 * a user principal name is looked up first.
 */
function riskyUsersAction(action: 'confirmCompromised' | 'dismiss'): EntraCall {
	return async function (user, itemIndex) {
		let objectId = user;
		if (!GUID.test(user)) {
			const found = await defenderApiRequest.call(this, {
				api: 'graph',
				method: 'GET',
				path: userPath(user),
				query: { $select: 'id' },
				batchable: true,
				permission: 'User.Read.All',
				itemIndex,
			});
			objectId = String(found.id);
		}
		await defenderApiRequest.call(this, {
			api: 'graph',
			method: 'POST',
			path: `/v1.0/identityProtection/riskyUsers/${action}`,
			body: { userIds: [objectId] },
			idempotent: true,
			permission: 'IdentityRiskyUser.ReadWrite.All',
			itemIndex,
		});
		return { userObjectId: objectId };
	};
}

const ENTRA_CALLS: Record<AccountAction, EntraCall> = {
	disable: patchUser({ accountEnabled: false }, 'User.EnableDisableAccount.All'),
	enable: patchUser({ accountEnabled: true }, 'User.EnableDisableAccount.All'),
	forcePasswordReset: patchUser({ passwordProfile: { forceChangePasswordNextSignIn: true } }, 'User-PasswordProfile.ReadWrite.All'),
	revokeAllSessions: revokeSignInSessions,
	requireUserToSignInAgain: revokeSignInSessions,
	markUserAsCompromised: riskyUsersAction('confirmCompromised'),
	dismissUserRisk: riskyUsersAction('dismiss'),
};

export function supportedProviders(action: AccountAction): IdentityProvider[] {
	return ['entraID', ...INVOKE_ACTION_PROVIDERS[action]];
}

/** Accepts the spellings Microsoft uses (identityProvider "activeDirectory", a listed account's provider "ActiveDirectory"). */
export function normalizeProvider(value: unknown): IdentityProvider | undefined {
	const text = String(value ?? '').trim().toLowerCase().replace(/[\s_-]/g, '');
	if (text === 'entraid' || text === 'azuread' || text === 'aad') return 'entraID';
	if (text === 'activedirectory' || text === 'ad') return 'activeDirectory';
	if (text === 'okta') return 'okta';
	return undefined;
}

export interface AccountActionSpec {
	operation: string;
	action: AccountAction;
	/** Past tense for the output's summary, e.g. "Disabled". */
	done: string;
}

function fields(spec: AccountActionSpec): INodeProperties[] {
	const providers = supportedProviders(spec.action);
	const providerOptions: INodePropertyOptions[] = providers.map((provider) => ({
		name: provider === 'entraID' ? PROVIDER_NAMES.entraID : `${PROVIDER_NAMES[provider]} (Defender for Identity)`,
		value: provider,
	}));
	const defenderForIdentity = providers.filter((provider) => provider !== 'entraID');
	const properties: INodeProperties[] = [
		{
			displayName: 'Identity Provider',
			name: 'identityProvider',
			type: 'options',
			options: providerOptions,
			default: 'entraID',
			description: 'Where the account lives: Entra ID accounts change through Entra ID, Active Directory and Okta accounts through Defender for Identity',
		},
		{
			displayName: 'User',
			name: 'user',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'adele.vance@contoso.com',
			description: 'Object ID or user principal name of the Entra ID user',
			displayOptions: { show: { identityProvider: ['entraID'] } },
		},
	];
	if (defenderForIdentity.length > 0) {
		properties.push(
			{
				displayName: 'Identity Account ID',
				name: 'identityAccountId',
				type: 'string',
				default: '',
				required: true,
				placeholder: '00104216-0539-4838-88b1-55baafdc296b',
				description: 'ID of the identity account in Defender for Identity (from User > Get Identity Accounts)',
				displayOptions: { show: { identityProvider: defenderForIdentity } },
			},
			{
				displayName: 'Account ID',
				name: 'accountId',
				type: 'string',
				default: '',
				placeholder: '256db173-930a-4991-9061-0d51a9a93ba5',
				description: "The provider's identifier of the account (an entry of the identity account's accounts). Leave empty to use the identity account's only account of this provider.",
				displayOptions: { show: { identityProvider: defenderForIdentity } },
			},
		);
	}
	return updateDisplayOptions({ show: { resource: ['user'], operation: [spec.operation] } }, properties);
}

function readProvider(this: IExecuteFunctions, spec: AccountActionSpec, itemIndex: number): IdentityProvider {
	const raw = this.getNodeParameter('identityProvider', itemIndex, 'entraID');
	const provider = normalizeProvider(raw);
	const supported = supportedProviders(spec.action);
	const names = supported.map((candidate) => PROVIDER_NAMES[candidate]).join(', ');
	if (!provider) {
		throw new NodeOperationError(this.getNode(), `Identity Provider "${String(raw)}" is not known.`, {
			description: `Use one of: entraID, activeDirectory, okta. ${spec.done} accounts are supported in: ${names}.`,
			itemIndex,
		});
	}
	if (!supported.includes(provider)) {
		throw new NodeOperationError(this.getNode(), `Microsoft does not offer "${spec.action}" for ${PROVIDER_NAMES[provider]} accounts; nothing was sent.`, {
			description: `This action is available for: ${names} (Defender for Identity's invokeAction supports ${INVOKE_ACTION_PROVIDERS[spec.action].map((candidate) => PROVIDER_NAMES[candidate]).join(', ') || 'no provider'} for it; Entra ID through Entra's own calls).`,
			itemIndex,
		});
	}
	return provider;
}

function requiredText(this: IExecuteFunctions, name: string, label: string, itemIndex: number): string {
	const value = String(this.getNodeParameter(name, itemIndex, '') ?? '').trim();
	if (!value) throw new NodeOperationError(this.getNode(), `${label} is empty: give the account to act on.`, { itemIndex });
	return value;
}

function accountsOf(identity: IDataObject): Array<{ identifier: string; provider?: IdentityProvider }> {
	const accounts = Array.isArray(identity.accounts) ? (identity.accounts as IDataObject[]) : [];
	return accounts.map((account) => ({
		identifier: String(account.identifier ?? ''),
		// The resource page names the member identityProvider; the list page's example shows provider.
		provider: normalizeProvider(account.identityProvider ?? account.provider),
	}));
}

async function defenderForIdentityAccount(
	this: IExecuteFunctions,
	identityAccountId: string,
	provider: IdentityProvider,
	itemIndex: number,
): Promise<string> {
	const identity = await defenderApiRequest.call(this, {
		api: 'graph',
		method: 'GET',
		path: apiPath`/v1.0/security/identities/identityAccounts/${fromField('Identity Account ID', identityAccountId)}`,
		batchable: true,
		permission: 'SecurityIdentitiesAccount.Read.All',
		itemIndex,
	});
	const accounts = accountsOf(identity);
	const matching = accounts.filter((account) => account.provider === provider);
	if (matching.length !== 1) {
		const has = [...new Set(accounts.map((account) => (account.provider ? PROVIDER_NAMES[account.provider] : 'unknown')))].join(', ') || 'none';
		throw new NodeOperationError(
			this.getNode(),
			matching.length === 0
				? `Identity account ${identityAccountId} has no ${PROVIDER_NAMES[provider]} account; nothing was changed.`
				: `Identity account ${identityAccountId} has ${matching.length} ${PROVIDER_NAMES[provider]} accounts; nothing was changed.`,
			{ description: `Its accounts are in: ${has}. ${matching.length > 1 ? 'Set Account ID to the one to act on.' : 'Pick a provider it has.'}`, itemIndex },
		);
	}
	return matching[0].identifier;
}

export function accountActionOperation(spec: AccountActionSpec): OperationModule {
	return {
		description: fields(spec),
		async execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
			const provider = readProvider.call(this, spec, itemIndex);
			if (provider === 'entraID') {
				const user = requiredText.call(this, 'user', 'User', itemIndex);
				if (!GUID.test(user) && !/^[^\s@/]+@[^\s@/]+$/.test(user)) {
					throw new NodeOperationError(this.getNode(), `User "${user}" is neither an object ID nor a user principal name; nothing was sent.`, {
						description: 'Give the Entra ID object ID (a GUID) or the user principal name (name@domain).',
						itemIndex,
					});
				}
				return await oneAtATimePerObject(this, `user/entraID/${user.toLowerCase()}`, async () => {
					const extra = await ENTRA_CALLS[spec.action].call(this, user, itemIndex);
					return {
						action: spec.action,
						identityProvider: provider,
						user,
						...extra,
						via: 'Microsoft Entra ID',
						summary: `${spec.done} the Microsoft Entra ID account ${user}`,
					};
				});
			}
			const identityAccountId = requiredText.call(this, 'identityAccountId', 'Identity Account ID', itemIndex);
			const givenAccountId = String(this.getNodeParameter('accountId', itemIndex, '') ?? '').trim();
			return await oneAtATimePerObject(this, `user/${provider}/${identityAccountId}`, async () => {
				const accountId = givenAccountId || (await defenderForIdentityAccount.call(this, identityAccountId, provider, itemIndex));
				const response = await defenderApiRequest.call(this, {
					api: 'graph',
					method: 'POST',
					path: apiPath`/v1.0/security/identities/identityAccounts/${fromField('Identity Account ID', identityAccountId)}/invokeAction`,
					body: { accountId, action: spec.action, identityProvider: provider },
					permission: 'SecurityIdentitiesActions.ReadWrite.All',
					itemIndex,
				});
				const result = (typeof response.value === 'object' && response.value !== null ? response.value : response) as IDataObject;
				return {
					action: spec.action,
					identityProvider: provider,
					identityAccountId,
					accountId,
					correlationId: result.correlationId,
					via: 'Defender for Identity',
					summary: `${spec.done} the ${PROVIDER_NAMES[provider]} account ${accountId} of identity account ${identityAccountId}`,
				};
			});
		},
	};
}
