import { createHash, randomUUID } from 'node:crypto';

import { addRoutePermissions, requiredRolesFor } from '../auth/permissions';
import type { RequestContext, Router } from '../server';
import type { Store } from '../store/store';
import type { DirectoryUser } from '../store/types';
import { badRequest, listCollection, metadataUrl } from './common';
import type { EntitySchema } from './odata';

/**
 * Accounts and their containment, in Graph v1.0 (microsoftgraph/microsoft-graph-docs-contrib):
 * - Defender for Identity's accounts: api-reference/v1.0/api/security-identitycontainer-list-identityaccounts.md
 *   ($filter, $select; SecurityIdentitiesAccount.Read.All), security-identityaccounts-get.md, and
 *   security-identityaccounts-invokeaction.md (SecurityIdentitiesActions.ReadWrite.All; accountId, action,
 *   identityProvider; the provider table below; 200 with an invokeActionResult; "Actions related to Entra ID
 *   are not covered"). Resources: security-identityaccounts.md, security-user.md (userPrincipalName,
 *   emailAddress), security-account.md (identifier, identityProvider, actions).
 * - Entra ID users: user-update.md (PATCH, 204; accountEnabled needs User.EnableDisableAccount.All + User.Read.All,
 *   passwordProfile User-PasswordProfile.ReadWrite.All, both User.ReadWrite.All), user-get.md,
 *   user-revokesigninsessions.md (POST, 200 { value: true }; User.RevokeSessions.All),
 *   riskyuser-confirmcompromised.md (POST { userIds }, 204; IdentityRiskyUser.ReadWrite.All),
 *   riskyuser-dismiss.md (POST { userIds }, 204; IdentityRiskyUser.ReadWrite.All; "sets the targeted user's risk
 *   level to none"; riskState values from resources/riskyuser.md).
 */

const IDENTITY_ACCOUNTS_PATH = '/v1.0/security/identities/identityAccounts';
const IDENTITY_ACCOUNT_PATH = `${IDENTITY_ACCOUNTS_PATH}/:id`;
const INVOKE_ACTION_PATH = `${IDENTITY_ACCOUNT_PATH}/invokeAction`;
const USER_PATH = '/v1.0/users/:id';
const REVOKE_SESSIONS_PATH = `${USER_PATH}/revokeSignInSessions`;
const CONFIRM_COMPROMISED_PATH = '/v1.0/identityProtection/riskyUsers/confirmCompromised';
const DISMISS_RISK_PATH = '/v1.0/identityProtection/riskyUsers/dismiss';

const ACCOUNT_READ = ['SecurityIdentitiesAccount.Read.All'];
const ACCOUNT_ACTIONS = ['SecurityIdentitiesActions.ReadWrite.All'];
const USER_READ = ['User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'];
const ENABLE_DISABLE = ['User.EnableDisableAccount.All', 'User.ReadWrite.All', 'Directory.ReadWrite.All'];
const PASSWORD_PROFILE = ['User-PasswordProfile.ReadWrite.All', 'User.ReadWrite.All', 'Directory.ReadWrite.All'];
const REVOKE_SESSIONS = ['User.RevokeSessions.All', 'User.ReadWrite.All', 'Directory.ReadWrite.All'];

addRoutePermissions([
	{ api: 'graph', method: 'GET', pattern: IDENTITY_ACCOUNTS_PATH, anyOf: ACCOUNT_READ },
	{ api: 'graph', method: 'GET', pattern: IDENTITY_ACCOUNT_PATH, anyOf: ACCOUNT_READ },
	{ api: 'graph', method: 'POST', pattern: INVOKE_ACTION_PATH, anyOf: ACCOUNT_ACTIONS },
	{ api: 'graph', method: 'GET', pattern: USER_PATH, anyOf: USER_READ },
	// The body decides which of the two is needed; the handler checks it.
	{ api: 'graph', method: 'PATCH', pattern: USER_PATH, anyOf: [...new Set([...ENABLE_DISABLE, ...PASSWORD_PROFILE])] },
	{ api: 'graph', method: 'POST', pattern: REVOKE_SESSIONS_PATH, anyOf: REVOKE_SESSIONS },
	{ api: 'graph', method: 'POST', pattern: CONFIRM_COMPROMISED_PATH, anyOf: ['IdentityRiskyUser.ReadWrite.All'] },
	{ api: 'graph', method: 'POST', pattern: DISMISS_RISK_PATH, anyOf: ['IdentityRiskyUser.ReadWrite.All'] },
]);

export type IdentityProvider = 'entraID' | 'activeDirectory' | 'okta';
const ACTIONS = ['disable', 'enable', 'forcePasswordReset', 'revokeAllSessions', 'requireUserToSignInAgain', 'markUserAsCompromised'] as const;
const PROVIDERS: IdentityProvider[] = ['entraID', 'activeDirectory', 'okta'];

/** invokeAction's table: which provider each action supports through this API (Entra ID is out of its scope). */
export const INVOKE_ACTION_PROVIDERS: Record<string, IdentityProvider[]> = {
	disable: ['activeDirectory', 'okta'],
	enable: ['activeDirectory', 'okta'],
	forcePasswordReset: ['activeDirectory'],
	revokeAllSessions: ['okta'],
	requireUserToSignInAgain: [],
	markUserAsCompromised: [],
};

/** security-account.md's table: the actions each provider's account lists. */
const ACCOUNT_ACTIONS_BY_PROVIDER: Record<IdentityProvider, string[]> = {
	activeDirectory: ['disable', 'enable', 'forcePasswordReset'],
	entraID: ['disable', 'enable', 'revokeAllSessions', 'requireUserToSignInAgain', 'markUserAsCompromised'],
	okta: ['disable', 'enable', 'revokeAllSessions'],
};

export interface ProviderAccount {
	identifier: string;
	identityProvider: IdentityProvider;
}

export interface IdentityAccountState {
	id: string;
	user: DirectoryUser;
	accounts: ProviderAccount[];
	isEnabled: boolean;
	/** Per provider account (identifier): enabled, and what was done to it, in order. */
	providerEnabled: Map<string, boolean>;
	history: Array<{ identifier: string; action: string; provider: IdentityProvider }>;
}

export interface EntraUserState {
	user: DirectoryUser;
	accountEnabled: boolean;
	forceChangePasswordNextSignIn: boolean;
	sessionsRevoked: number;
	compromised: boolean;
	/** riskyUser's riskState: confirmCompromised sets confirmedCompromised, dismiss sets dismissed (risk level none). */
	riskState: 'none' | 'confirmedCompromised' | 'dismissed';
	riskLevel: 'none' | 'high';
}

function guidFrom(seed: string): string {
	const hex = createHash('sha256').update(seed).digest('hex');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** The tenant's identity accounts: every directory user has an AD and an Entra ID account; every third also an Okta one. */
export function identityAccounts(store: Store): IdentityAccountState[] {
	let accounts = store.graph.get('identityAccounts') as IdentityAccountState[] | undefined;
	if (!accounts) {
		accounts = store.users.map((user, index) => {
			const providerAccounts: ProviderAccount[] = [
				{ identifier: guidFrom(`ad:${user.userSid}`), identityProvider: 'activeDirectory' },
				{ identifier: user.aadUserId, identityProvider: 'entraID' },
			];
			if (index % 3 === 0) providerAccounts.push({ identifier: guidFrom(`okta:${user.userPrincipalName}`), identityProvider: 'okta' });
			return {
				id: guidFrom(`identity:${user.userSid}`),
				user,
				accounts: providerAccounts,
				isEnabled: true,
				providerEnabled: new Map(providerAccounts.map((account) => [account.identifier, true])),
				history: [],
			};
		});
		store.graph.set('identityAccounts', accounts);
	}
	return accounts;
}

export function entraUsers(store: Store): EntraUserState[] {
	let users = store.graph.get('entraUsers') as EntraUserState[] | undefined;
	if (!users) {
		users = store.users.map((user) => ({ user, accountEnabled: true, forceChangePasswordNextSignIn: false, sessionsRevoked: 0, compromised: false, riskState: 'none', riskLevel: 'none' }));
		store.graph.set('entraUsers', users);
	}
	return users;
}

const IDENTITY_SCHEMA: EntitySchema = {
	typeName: 'microsoft.graph.security.identityAccounts',
	properties: {
		id: { type: 'string', filterable: true },
		displayName: { type: 'string', filterable: true },
		domain: { type: 'string', filterable: true },
		onPremisesSecurityIdentifier: { type: 'string', filterable: true },
		cloudSecurityIdentifier: { type: 'string', filterable: true },
		isEnabled: { type: 'boolean', filterable: true },
		// Declared on the derived microsoft.graph.security.user; a filter reaches it through the type cast.
		'microsoft.graph.security.user/userPrincipalName': { type: 'string', filterable: true },
		'microsoft.graph.security.user/emailAddress': { type: 'string', filterable: true },
	},
};

function serializeIdentityAccount(account: IdentityAccountState): Record<string, unknown> {
	return {
		'@odata.type': '#microsoft.graph.security.user',
		id: account.id,
		displayName: account.user.displayName,
		domain: 'contoso.local',
		onPremisesSecurityIdentifier: account.user.userSid,
		cloudSecurityIdentifier: `S-1-12-1-${parseInt(account.user.aadUserId.slice(0, 8), 16)}`,
		isEnabled: account.isEnabled,
		accounts: account.accounts.map((entry) => ({
			identifier: entry.identifier,
			identityProvider: entry.identityProvider,
			actions: ACCOUNT_ACTIONS_BY_PROVIDER[entry.identityProvider],
		})),
		emailAddress: account.user.userPrincipalName,
		userPrincipalName: account.user.userPrincipalName,
	};
}

/** Rows the $filter sees: the cast property names a filter on the derived type uses. */
function filterableRow(account: IdentityAccountState): Record<string, unknown> {
	const row = serializeIdentityAccount(account);
	row['microsoft.graph.security.user/userPrincipalName'] = row.userPrincipalName;
	row['microsoft.graph.security.user/emailAddress'] = row.emailAddress;
	return row;
}

function findIdentityAccount(context: RequestContext): IdentityAccountState {
	const account = identityAccounts(context.runtime.store).find((candidate) => candidate.id === context.params.id);
	if (!account) return context.fail(404, 'NotFound', `Identity account with id '${context.params.id}' was not found.`);
	return account;
}

function findEntraUser(context: RequestContext): EntraUserState {
	const wanted = context.params.id.toLowerCase();
	const user = entraUsers(context.runtime.store).find((candidate) => candidate.user.aadUserId === wanted || candidate.user.userPrincipalName.toLowerCase() === wanted);
	if (!user) return context.fail(404, 'Request_ResourceNotFound', `Resource '${context.params.id}' does not exist or one of its queried reference-property objects are not present.`);
	return user;
}

function bodyObject(context: RequestContext): Record<string, unknown> {
	const body = context.body;
	if (typeof body !== 'object' || body === null || Array.isArray(body)) {
		return badRequest(context, 'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.');
	}
	return body as Record<string, unknown>;
}

function requireRole(context: RequestContext, anyOf: string[]): void {
	const roles = context.principal?.roles ?? [];
	if (!anyOf.some((role) => roles.includes(role))) context.fail(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
}

function invokeAction(context: RequestContext) {
	const account = findIdentityAccount(context);
	const body = bodyObject(context);
	for (const name of ['accountId', 'action', 'identityProvider']) {
		if (typeof body[name] !== 'string' || body[name] === '') return badRequest(context, `The parameter '${name}' is required.`);
	}
	const action = ACTIONS.find((candidate) => candidate === body.action);
	if (!action) return badRequest(context, `Cannot convert the literal '${String(body.action)}' to the expected type 'microsoft.graph.security.action'.`);
	const provider = PROVIDERS.find((candidate) => candidate === body.identityProvider);
	if (!provider) return badRequest(context, `Cannot convert the literal '${String(body.identityProvider)}' to the expected type 'microsoft.graph.security.identityProvider'.`);
	if (!INVOKE_ACTION_PROVIDERS[action].includes(provider)) {
		return badRequest(context, `Action '${action}' is not supported for identity provider '${provider}'.`);
	}
	const target = account.accounts.find((entry) => entry.identifier === body.accountId && entry.identityProvider === provider);
	if (!target) return context.fail(404, 'NotFound', `Account '${String(body.accountId)}' of provider '${provider}' was not found on identity account '${account.id}'.`);
	if (action === 'disable' || action === 'enable') {
		account.providerEnabled.set(target.identifier, action === 'enable');
		account.isEnabled = [...account.providerEnabled.values()].some(Boolean);
	}
	account.history.push({ identifier: target.identifier, action, provider });
	return {
		status: 200,
		body: {
			'@odata.context': metadataUrl(context, 'microsoft.graph.security.invokeActionResult'),
			value: { accountId: target.identifier, action, provider, correlationId: randomUUID() },
		},
	};
}

function patchUser(context: RequestContext) {
	const user = findEntraUser(context);
	const body = bodyObject(context);
	const keys = Object.keys(body).filter((key) => !key.startsWith('@odata.'));
	if (keys.length === 0) return badRequest(context, 'The request body is empty: name at least one property to update.');
	for (const key of keys) {
		if (key === 'accountEnabled') {
			requireRole(context, ENABLE_DISABLE);
			if (typeof body.accountEnabled !== 'boolean') return badRequest(context, `Cannot convert the literal '${JSON.stringify(body.accountEnabled)}' to the expected type 'Edm.Boolean'.`);
		} else if (key === 'passwordProfile') {
			requireRole(context, PASSWORD_PROFILE);
			const profile = body.passwordProfile as Record<string, unknown> | null;
			if (typeof profile !== 'object' || profile === null || typeof profile.forceChangePasswordNextSignIn !== 'boolean') {
				return badRequest(context, "Invalid value specified for property 'passwordProfile' of resource 'User'.");
			}
		} else {
			return badRequest(context, `The emulator updates only accountEnabled and passwordProfile; '${key}' was sent.`);
		}
	}
	if (typeof body.accountEnabled === 'boolean') user.accountEnabled = body.accountEnabled;
	const profile = body.passwordProfile as Record<string, unknown> | undefined;
	if (profile) user.forceChangePasswordNextSignIn = profile.forceChangePasswordNextSignIn as boolean;
	return { status: 204 };
}

/** The riskyUsers actions take object IDs only (userIds), every one known, or nothing changes. */
function riskyUsersOf(context: RequestContext): EntraUserState[] {
	const body = bodyObject(context);
	const ids = body.userIds;
	if (!Array.isArray(ids) || ids.length === 0 || ids.some((id) => typeof id !== 'string')) {
		return badRequest(context, "The parameter 'userIds' is required: a collection of user object IDs.");
	}
	const users = entraUsers(context.runtime.store);
	return (ids as string[]).map((id) => users.find((candidate) => candidate.user.aadUserId === id.toLowerCase()) ?? context.fail(404, 'NotFound', `User '${id}' was not found.`));
}

function confirmCompromised(context: RequestContext) {
	for (const user of riskyUsersOf(context)) Object.assign(user, { compromised: true, riskState: 'confirmedCompromised', riskLevel: 'high' });
	return { status: 204 };
}

function dismissRisk(context: RequestContext) {
	for (const user of riskyUsersOf(context)) Object.assign(user, { compromised: false, riskState: 'dismissed', riskLevel: 'none' });
	return { status: 204 };
}

function route(router: Router, method: string, pattern: string, handler: (context: RequestContext) => ReturnType<Parameters<Router['add']>[0]['handler']>) {
	router.add({ method, pattern, bucket: 'graph', requiredRoles: requiredRolesFor('graph', method, pattern), handler });
}

export function registerIdentityRoutes(router: Router): void {
	route(router, 'GET', IDENTITY_ACCOUNTS_PATH, (context) =>
		listCollection({
			context,
			items: identityAccounts(context.runtime.store).map(filterableRow),
			schema: IDENTITY_SCHEMA,
			resourcePath: 'security/identities/identityAccounts',
			maxTop: Number.MAX_SAFE_INTEGER,
			defaultPageSize: 100,
			defaultOrder: [],
			tieBreaker: (a, b) => String(a.id).localeCompare(String(b.id)),
			allowedExpand: [],
			serialize: (row) => Object.fromEntries(Object.entries(row).filter(([key]) => !key.includes('/'))),
		}),
	);
	route(router, 'GET', IDENTITY_ACCOUNT_PATH, (context) => ({
		status: 200,
		body: { '@odata.context': metadataUrl(context, 'security/identities/identityAccounts/$entity'), ...serializeIdentityAccount(findIdentityAccount(context)) },
	}));
	route(router, 'POST', INVOKE_ACTION_PATH, invokeAction);
	route(router, 'GET', USER_PATH, (context) => {
		const { user, accountEnabled } = findEntraUser(context);
		return {
			status: 200,
			body: { '@odata.context': metadataUrl(context, 'users/$entity'), id: user.aadUserId, userPrincipalName: user.userPrincipalName, displayName: user.displayName, accountEnabled },
		};
	});
	route(router, 'PATCH', USER_PATH, patchUser);
	route(router, 'POST', REVOKE_SESSIONS_PATH, (context) => {
		findEntraUser(context).sessionsRevoked++;
		return { status: 200, body: { '@odata.context': metadataUrl(context, 'Edm.Boolean'), value: true } };
	});
	route(router, 'POST', CONFIRM_COMPROMISED_PATH, confirmCompromised);
	route(router, 'POST', DISMISS_RISK_PATH, dismissRisk);
}
