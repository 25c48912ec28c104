import { generateKeyPairSync, randomUUID } from 'node:crypto';

import type { Emulator } from '../../emulator';
import { signJwt } from '../../emulator/auth/jwt';
import { decodeJwtPayload, expectAadError, postToken, requestJson, startTestEmulator } from './helpers';

let emulator: Emulator;
beforeAll(async () => {
	emulator = await startTestEmulator();
});
afterAll(async () => await emulator.close());

const federatedForm = (assertion: string) => ({
	client_id: emulator.describe().identities.federation.clientId,
	grant_type: 'client_credentials',
	scope: 'https://graph.microsoft.com/.default',
	client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
	client_assertion: assertion,
});

describe('App Service managed identity endpoint', () => {
	const identityUrl = (query: string) => `${emulator.describe().identities.managedIdentity.endpoint}?api-version=2019-08-01&resource=${encodeURIComponent(emulator.graphUrl)}${query}`;

	it('answers with the token fields msal-node reads, for the system-assigned identity', async () => {
		const { managedIdentity } = emulator.describe().identities;
		const response = await requestJson(identityUrl(''), { headers: { 'X-IDENTITY-HEADER': managedIdentity.header } });
		expect(response.status).toBe(200);
		expect(Object.keys(response.body).sort()).toEqual(['access_token', 'client_id', 'expires_on', 'resource', 'token_type']);
		expect(response.body.expires_on).toMatch(/^\d+$/);
		expect(decodeJwtPayload(response.body.access_token)).toMatchObject({ appid: managedIdentity.systemAssigned.clientId, tid: emulator.tenantId });
	});

	it('refuses a request without the identity header, or for an identity not assigned', async () => {
		expect((await requestJson(identityUrl(''))).status).toBe(401);
		const { header } = emulator.describe().identities.managedIdentity;
		expect((await requestJson(identityUrl(`&client_id=${randomUUID()}`), { headers: { 'X-IDENTITY-HEADER': header } })).status).toBe(400);
	});
});

describe('federated assertions', () => {
	it('accepts a token of the trusted issuer, subject and audience', async () => {
		const response = await postToken(emulator, federatedForm(emulator.issueFederatedToken()));
		expect(response.status).toBe(200);
	});

	it('AADSTS700211 for another issuer, 700027 for a token of the issuer not signed with its key', async () => {
		const now = Math.floor(Date.now() / 1000);
		const { issuer, subject, audience } = emulator.describe().identities.federation;
		const claims = { sub: subject, aud: [audience], iat: now, exp: now + 600 };
		const strangerKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
		expectAadError(await postToken(emulator, federatedForm(signJwt({ alg: 'RS256' }, { ...claims, iss: 'https://token.actions.githubusercontent.com' }, strangerKey))), 401, 'invalid_client', 700211);
		expectAadError(await postToken(emulator, federatedForm(signJwt({ alg: 'RS256' }, { ...claims, iss: issuer }, strangerKey))), 401, 'invalid_client', 700027);
	});

	it('publishes the issuer\'s discovery document and keys', async () => {
		const { issuer } = emulator.describe().identities.federation;
		const discovery = await requestJson(`${issuer}/.well-known/openid-configuration`);
		expect(discovery.body).toMatchObject({ issuer, jwks_uri: `${issuer}/keys` });
		expect((await requestJson(`${issuer}/keys`)).body.keys).toHaveLength(1);
	});
});
