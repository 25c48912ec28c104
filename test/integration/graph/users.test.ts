import { entraUsers, identityAccounts } from '../../emulator/graph/identities';
import { useEmulator } from '../context';
import { runNode } from '../harness';

const env = useEmulator();

const state = () => env.emulator.store;
const identityWith = (provider: string) => identityAccounts(state()).find((account) => account.accounts.some((entry) => entry.identityProvider === provider))!;
const identityWithout = (provider: string) => identityAccounts(state()).find((account) => !account.accounts.some((entry) => entry.identityProvider === provider))!;
const graphCalls = () => env.emulator.requestLog({ api: 'graph' });

describe('User: Get Identity Accounts', () => {
	it('finds an identity account by user principal name, SID and display name', async () => {
		const target = identityAccounts(state())[4];
		for (const [searchBy, searchValue] of [
			['userPrincipalName', target.user.userPrincipalName],
			['sid', target.user.userSid],
			['displayName', target.user.displayName],
		]) {
			const { items, error } = await runNode({ resource: 'user', operation: 'getIdentityAccounts', searchBy, searchValue, returnAll: true }, { credentials: env.credentials });
			expect(error).toBeUndefined();
			expect(items.map((item) => item.json.id)).toEqual([target.id]);
			expect(items[0].json).toMatchObject({ userPrincipalName: target.user.userPrincipalName, onPremisesSecurityIdentifier: target.user.userSid });
		}
		const filters = graphCalls().map((entry) => decodeURIComponent(entry.path));
		expect(filters).toEqual(
			expect.arrayContaining([
				expect.stringContaining(`$filter=microsoft.graph.security.user/userPrincipalName eq '${target.user.userPrincipalName}'`),
				expect.stringContaining(`$filter=onPremisesSecurityIdentifier eq '${target.user.userSid}'`),
			]),
		);
	});

	it('lists up to the limit, every account with its providers', async () => {
		const { items } = await runNode({ resource: 'user', operation: 'getIdentityAccounts', searchBy: 'noFilter', returnAll: false, limit: 5 }, { credentials: env.credentials });
		expect(items).toHaveLength(5);
		expect((items[0].json.accounts as unknown[]).length).toBeGreaterThanOrEqual(2);
	});
});

describe('User: containment actions', () => {
	it('disables and enables an Active Directory account through Defender for Identity, finding the account id itself', async () => {
		const identity = identityWith('activeDirectory');
		const adAccount = identity.accounts.find((entry) => entry.identityProvider === 'activeDirectory')!;
		const { items, error } = await runNode(
			{ resource: 'user', operation: 'disable', identityProvider: 'activeDirectory', identityAccountId: identity.id, accountId: '' },
			{ credentials: env.credentials },
		);
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({
			action: 'disable',
			identityProvider: 'activeDirectory',
			identityAccountId: identity.id,
			accountId: adAccount.identifier,
			via: 'Defender for Identity',
			summary: `Disabled the Active Directory account ${adAccount.identifier} of identity account ${identity.id}`,
		});
		expect(items[0].json.correlationId).toEqual(expect.any(String));
		expect(identity.history).toEqual([{ identifier: adAccount.identifier, action: 'disable', provider: 'activeDirectory' }]);
		expect(identity.providerEnabled.get(adAccount.identifier)).toBe(false);

		await runNode(
			{ resource: 'user', operation: 'enable', identityProvider: 'activeDirectory', identityAccountId: identity.id, accountId: adAccount.identifier },
			{ credentials: env.credentials },
		);
		expect(identity.providerEnabled.get(adAccount.identifier)).toBe(true);
	});

	it('forces a password reset on AD and revokes Okta sessions with the invokeAction body the page gives', async () => {
		const identity = identityWith('okta');
		const okta = identity.accounts.find((entry) => entry.identityProvider === 'okta')!;
		const ad = identity.accounts.find((entry) => entry.identityProvider === 'activeDirectory')!;
		await runNode({ resource: 'user', operation: 'revokeAllSessions', identityProvider: 'okta', identityAccountId: identity.id, accountId: okta.identifier }, { credentials: env.credentials });
		await runNode({ resource: 'user', operation: 'forcePasswordReset', identityProvider: 'activeDirectory', identityAccountId: identity.id, accountId: ad.identifier }, { credentials: env.credentials });
		expect(identity.history).toEqual([
			{ identifier: okta.identifier, action: 'revokeAllSessions', provider: 'okta' },
			{ identifier: ad.identifier, action: 'forcePasswordReset', provider: 'activeDirectory' },
		]);
	});

	it('acts on Entra ID accounts through Entra: disable, password reset, sessions, compromised (by user principal name)', async () => {
		const target = entraUsers(state())[2];
		const upn = target.user.userPrincipalName;
		for (const operation of ['disable', 'forcePasswordReset', 'revokeAllSessions', 'requireSignInAgain', 'markAsCompromised']) {
			const { items, error } = await runNode({ resource: 'user', operation, identityProvider: 'entraID', user: upn }, { credentials: env.credentials });
			expect({ operation, error }).toEqual({ operation, error: undefined });
			expect(items[0].json).toMatchObject({ identityProvider: 'entraID', user: upn, via: 'Microsoft Entra ID' });
		}
		expect(target).toMatchObject({ accountEnabled: false, forceChangePasswordNextSignIn: true, sessionsRevoked: 2, compromised: true });
		const paths = graphCalls().map((entry) => `${entry.method} ${decodeURIComponent(entry.path)}`);
		expect(paths).toEqual(
			expect.arrayContaining([
				`PATCH /v1.0/users/${upn}`,
				`POST /v1.0/users/${upn}/revokeSignInSessions`,
				'POST /v1.0/identityProtection/riskyUsers/confirmCompromised',
			]),
		);
	});

	it('dismisses a user\'s risk with the body the page gives (object IDs; a user principal name looked up first), only for Entra ID', async () => {
		const [byUpn, byId] = [entraUsers(state())[5], entraUsers(state())[6]];
		await runNode({ resource: 'user', operation: 'markAsCompromised', identityProvider: 'entraID', user: byUpn.user.userPrincipalName }, { credentials: env.credentials });
		expect(byUpn).toMatchObject({ compromised: true, riskState: 'confirmedCompromised', riskLevel: 'high' });
		env.emulator.clearRequestLog();
		const { items, error } = await runNode(
			{ resource: 'user', operation: 'dismissRisk', identityProvider: 'entraID', user: '={{ $json.user }}' },
			{ credentials: env.credentials, input: [{ user: byUpn.user.userPrincipalName }, { user: byId.user.aadUserId }] },
		);
		expect(error).toBeUndefined();
		expect(items.map((item) => item.json)).toEqual([
			expect.objectContaining({ action: 'dismissUserRisk', userObjectId: byUpn.user.aadUserId, summary: `Dismissed the risk of the Microsoft Entra ID account ${byUpn.user.userPrincipalName}` }),
			expect.objectContaining({ action: 'dismissUserRisk', userObjectId: byId.user.aadUserId }),
		]);
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect([byUpn, byId].map((user) => [user.riskState, user.riskLevel, user.compromised])).toEqual([
			['dismissed', 'none', false],
			['dismissed', 'none', false],
		]);
		const calls = graphCalls().map((entry) => `${entry.method} ${decodeURIComponent(entry.path).split('?')[0]}`);
		expect(calls.filter((call) => call.startsWith('POST'))).toEqual(['POST /v1.0/identityProtection/riskyUsers/dismiss', 'POST /v1.0/identityProtection/riskyUsers/dismiss']);
		expect(calls).toContain(`GET /v1.0/users/${byUpn.user.userPrincipalName}`);

		env.emulator.clearRequestLog();
		const refused = await runNode({ resource: 'user', operation: 'dismissRisk', identityProvider: 'activeDirectory', identityAccountId: identityWith('activeDirectory').id }, { credentials: env.credentials });
		expect(refused.error?.message).toMatch(/does not offer "dismissUserRisk" for Active Directory accounts; nothing was sent/);
		expect(graphCalls()).toEqual([]);
		const denied = await runNode({ resource: 'user', operation: 'dismissRisk', identityProvider: 'entraID', user: byId.user.aadUserId }, { credentials: env.credentials, credentialId: 'readOnly' });
		expect(denied.error?.description).toMatch(/"IdentityRiskyUser\.ReadWrite\.All"/);
	});

	it('refuses a provider/action pair Microsoft does not offer with no request, naming the providers it does', async () => {
		const identity = identityWith('okta');
		const cases = [
			{ operation: 'forcePasswordReset', identityProvider: 'okta', supported: /Microsoft Entra ID, Active Directory/ },
			{ operation: 'revokeAllSessions', identityProvider: 'activeDirectory', supported: /Microsoft Entra ID, Okta/ },
			{ operation: 'markAsCompromised', identityProvider: 'okta', supported: /available for: Microsoft Entra ID \(/ },
			{ operation: 'requireSignInAgain', identityProvider: 'ActiveDirectory', supported: /available for: Microsoft Entra ID \(/ },
		];
		for (const { operation, identityProvider, supported } of cases) {
			env.emulator.reset();
			const { error } = await runNode({ resource: 'user', operation, identityProvider, identityAccountId: identity.id, user: 'x@contoso.com' }, { credentials: env.credentials });
			expect(error?.message).toMatch(/does not offer .* accounts; nothing was sent/);
			expect(error?.description).toMatch(supported);
			expect(graphCalls()).toEqual([]);
		}
	});

	it('with Continue On Fail, pairs each result and each failure to its item', async () => {
		const identity = identityWithout('okta');
		const users = entraUsers(state());
		const { items, error } = await runNode(
			{ resource: 'user', operation: 'disable', identityProvider: '={{ $json.provider }}', user: '={{ $json.user }}', identityAccountId: '={{ $json.identity }}', accountId: '' },
			{
				credentials: env.credentials,
				continueOnFail: true,
				input: [
					{ provider: 'entraID', user: users[0].user.aadUserId },
					{ provider: 'okta', identity: identity.id },
					{ provider: 'entraID', user: 'nobody@contoso.com' },
					{ provider: 'EntraID', user: users[1].user.userPrincipalName },
					{ provider: 'entraID', user: 'not a user' },
				],
			},
		);
		expect(error).toBeUndefined();
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }, { item: 4 }]);
		expect(items[4].json.error).toBe('User "not a user" is neither an object ID nor a user principal name; nothing was sent.');
		expect(items[0].json.summary).toBe(`Disabled the Microsoft Entra ID account ${users[0].user.aadUserId}`);
		expect(items[1].json.error).toMatch(/has no Okta account; nothing was changed/);
		expect(items[1].json.description).toMatch(/Its accounts are in: Active Directory, Microsoft Entra ID/);
		expect(items[2].json.error).toMatch(/Request_ResourceNotFound|does not exist/);
		expect(items[3].json.identityProvider).toBe('entraID');
		expect([users[0].accountEnabled, users[1].accountEnabled]).toEqual([false, false]);
	});

	it('names the permission a refused containment needs', async () => {
		const { error } = await runNode(
			{ resource: 'user', operation: 'revokeAllSessions', identityProvider: 'entraID', user: entraUsers(state())[0].user.userPrincipalName },
			{ credentials: env.credentials, credentialId: 'readOnly' },
		);
		expect(error?.description).toMatch(/"User\.RevokeSessions\.All"/);
	});
});
