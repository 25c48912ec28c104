import { createHash, generateKeyPairSync, randomUUID, X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Emulator } from '../../emulator';
import { generateCertificate } from '../../emulator';
import { signJwt } from '../../emulator/auth/jwt';
import { decodeJwtPayload, expectAadError, postToken, requestJson, startTestEmulator, tokenUrl } from './helpers';

let emulator: Emulator;

beforeAll(async () => {
	emulator = await startTestEmulator();
});

afterAll(async () => {
	await emulator.close();
});

function secretForm(overrides: Record<string, string> = {}): Record<string, string> {
	return {
		client_id: emulator.apps.full.clientId,
		client_secret: emulator.apps.full.clientSecret as string,
		grant_type: 'client_credentials',
		scope: `${emulator.graphUrl}/.default`,
		...overrides,
	};
}

function assertion(options: { alg?: 'RS256' | 'PS256'; aud?: string; iss?: string; exp?: number; privateKeyPem?: string; thumbprintHex?: string } = {}): string {
	const app = emulator.apps.certificate;
	const alg = options.alg ?? 'RS256';
	const now = Math.floor(Date.now() / 1000);
	const thumbprintHex = options.thumbprintHex ?? (alg === 'PS256' ? app.thumbprintSha256Hex : app.thumbprintSha1Hex);
	const thumbprint = Buffer.from(thumbprintHex, 'hex').toString('base64url');
	return signJwt(
		{ alg, typ: 'JWT', [alg === 'PS256' ? 'x5t#S256' : 'x5t']: thumbprint },
		{ aud: options.aud ?? tokenUrl(emulator), iss: options.iss ?? app.clientId, sub: options.iss ?? app.clientId, jti: randomUUID(), nbf: now, iat: now, exp: options.exp ?? now + 600 },
		options.privateKeyPem ?? app.privateKeyPem,
	);
}

function assertionForm(jwt: string, scope = `${emulator.graphUrl}/.default`): Record<string, string> {
	return {
		client_id: emulator.apps.certificate.clientId,
		client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
		client_assertion: jwt,
		grant_type: 'client_credentials',
		scope,
	};
}

describe('token endpoint: client secret', () => {
	it('issues a Graph token with the documented response shape and claims', async () => {
		const response = await postToken(emulator, secretForm());
		expect(response.status).toBe(200);
		expect(Object.keys(response.body).sort()).toEqual(['access_token', 'expires_in', 'ext_expires_in', 'token_type']);
		expect(response.body).toMatchObject({ token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599 });
		const claims = decodeJwtPayload(response.body.access_token);
		expect(claims).toMatchObject({
			aud: emulator.graphUrl,
			iss: `https://sts.windows.net/${emulator.tenantId}/`,
			tid: emulator.tenantId,
			appid: emulator.apps.full.clientId,
			roles: expect.arrayContaining(['SecurityIncident.ReadWrite.All', 'ThreatHunting.Read.All']),
		});
		expect(claims.exp - claims.iat).toBe(3599);
		expect(claims.oid).toEqual(expect.any(String));
	});

	it('picks the audience by resource: MDE roles for the MDE URL and the public resource ids', async () => {
		for (const resource of [emulator.mdeUrl, 'https://api.securitycenter.microsoft.com', 'https://api.security.microsoft.com']) {
			const response = await postToken(emulator, secretForm({ scope: `${resource}/.default` }));
			expect(response.status).toBe(200);
			const claims = decodeJwtPayload(response.body.access_token);
			expect(claims.aud).toBe(resource);
			expect(claims.roles).toContain('Machine.Isolate');
			expect(claims.roles).not.toContain('SecurityIncident.ReadWrite.All');
		}
		const graphPublic = await postToken(emulator, secretForm({ scope: 'https://graph.microsoft.com/.default' }));
		expect(decodeJwtPayload(graphPublic.body.access_token).aud).toBe('https://graph.microsoft.com');
	});

	it('accepts the tenant domain, tolerates msal extras and logs the audience', async () => {
		emulator.clearRequestLog();
		const response = await requestJson(`${tokenUrl(emulator, emulator.tenantDomain)}?client-request-id=${randomUUID()}`, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ ...secretForm(), 'x-client-SKU': 'msal.js.node', 'x-client-VER': '7.2.3', client_info: '1', 'x-ms-lib-capability': 'retry-after, h429' }).toString(),
		});
		expect(response.status).toBe(200);
		const [entry] = emulator.requestLog({ api: 'token' });
		expect(entry).toMatchObject({ method: 'POST', status: 200, audience: emulator.graphUrl, clientId: emulator.apps.full.clientId, tenantId: emulator.tenantId });
	});

	it('AADSTS7000215 for a wrong secret and for the secret ID pasted instead of the value', async () => {
		const wrong = await postToken(emulator, secretForm({ client_secret: 'nope' }));
		expectAadError(wrong, 401, 'invalid_client', 7000215);
		expect(wrong.body.error_description).toContain(
			`Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${emulator.apps.full.clientId}'.`,
		);
		const secretId = await postToken(emulator, secretForm({ client_secret: emulator.apps.full.secretId as string }));
		expectAadError(secretId, 401, 'invalid_client', 7000215);
	});

	it('echoes client-request-id as the correlation id', async () => {
		const correlation = randomUUID();
		const response = await postToken(emulator, secretForm({ client_secret: 'nope' }), undefined, { 'client-request-id': correlation });
		expect(response.body.correlation_id).toBe(correlation);
		expect(response.body.error_description).toContain(`Correlation ID: ${correlation}`);
	});

	it('AADSTS7000222 for an expired secret', async () => {
		const app = emulator.apps.expiredSecret;
		const response = await postToken(emulator, secretForm({ client_id: app.clientId, client_secret: app.clientSecret as string }));
		expectAadError(response, 401, 'invalid_client', 7000222);
		expect(response.body.error_description).toContain(`The provided client secret keys for app '${app.clientId}' are expired.`);
	});

	it('AADSTS7000218 without secret or assertion', async () => {
		const form = secretForm();
		delete (form as Partial<typeof form>).client_secret;
		expectAadError(await postToken(emulator, form), 401, 'invalid_client', 7000218);
	});

	it('AADSTS700016 for an app that is not in the tenant (including an app of another tenant)', async () => {
		const unknown = await postToken(emulator, secretForm({ client_id: randomUUID() }));
		expectAadError(unknown, 400, 'unauthorized_client', 700016);
		const foreign = await postToken(emulator, secretForm({ client_id: emulator.apps.otherTenantApp.clientId, client_secret: emulator.apps.otherTenantApp.clientSecret as string }));
		expectAadError(foreign, 400, 'unauthorized_client', 700016);
	});

	it('AADSTS90002 for an unknown tenant, 900023 for a malformed one, 50194 for common/organizations', async () => {
		const missing = randomUUID();
		const unknown = await postToken(emulator, secretForm(), missing);
		expectAadError(unknown, 400, 'invalid_request', 90002);
		expect(unknown.body.error_description).toContain(`Tenant '${missing}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`);
		expectAadError(await postToken(emulator, secretForm(), 'not a tenant'), 400, 'invalid_request', 900023);
		expectAadError(await postToken(emulator, secretForm(), 'common'), 400, 'invalid_request', 50194);
		expectAadError(await postToken(emulator, secretForm(), 'organizations'), 400, 'invalid_request', 50194);
	});

	it('AADSTS1002012 for a scope without /.default and 500011 for an unknown resource', async () => {
		expectAadError(await postToken(emulator, secretForm({ scope: `${emulator.graphUrl}/SecurityIncident.Read.All` })), 400, 'invalid_scope', 1002012);
		const unknown = await postToken(emulator, secretForm({ scope: 'https://management.azure.com/.default' }));
		expectAadError(unknown, 400, 'invalid_resource', 500011);
		expect(unknown.body.error_description).toContain('The resource principal named https://management.azure.com was not found in the tenant named Contoso.');
	});

	it('rejects other grant types and missing parameters', async () => {
		expectAadError(await postToken(emulator, secretForm({ grant_type: 'password' })), 400, 'unsupported_grant_type', 70003);
		const form = secretForm();
		delete (form as Partial<typeof form>).scope;
		expectAadError(await postToken(emulator, form), 400, 'invalid_request', 900144);
	});
});

describe('token endpoint: certificate (client assertion)', () => {
	it('accepts RS256 with x5t (SHA-1) and PS256 with x5t#S256', async () => {
		for (const alg of ['RS256', 'PS256'] as const) {
			const response = await postToken(emulator, assertionForm(assertion({ alg })));
			expect(response.status).toBe(200);
			const claims = decodeJwtPayload(response.body.access_token);
			expect(claims.appid).toBe(emulator.apps.certificate.clientId);
			expect(claims.appidacr).toBe('2');
		}
	});

	it('accepts the token URL with a query string as audience', async () => {
		const response = await postToken(emulator, assertionForm(assertion({ aud: `${tokenUrl(emulator)}?client-request-id=abc` })));
		expect(response.status).toBe(200);
	});

	it('AADSTS700027 for a bad signature, an unregistered certificate or a foreign audience', async () => {
		const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
		expectAadError(await postToken(emulator, assertionForm(assertion({ privateKeyPem: otherKey }))), 401, 'invalid_client', 700027);

		const dir = mkdtempSync(join(tmpdir(), 'emulator-cert-'));
		try {
			const stranger = generateCertificate(dir, 'stranger');
			const response = await postToken(emulator, assertionForm(assertion({ privateKeyPem: stranger.keyPem, thumbprintHex: stranger.thumbprintSha1Hex })));
			expectAadError(response, 401, 'invalid_client', 700027);
			expect(response.body.error_description).toContain('The certificate with identifier used to sign the client assertion is not registered on application.');
			expect(response.body.error_description).toContain(stranger.thumbprintSha1Hex.toUpperCase());
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}

		expectAadError(await postToken(emulator, assertionForm(assertion({ aud: 'https://example.com/token' }))), 401, 'invalid_client', 700027);
		expectAadError(await postToken(emulator, assertionForm(assertion({ iss: randomUUID() }))), 401, 'invalid_client', 700027);
		expectAadError(await postToken(emulator, assertionForm('not.a.jwt')), 401, 'invalid_client', 700027);
	});

	it('AADSTS700024 for an expired assertion', async () => {
		const response = await postToken(emulator, assertionForm(assertion({ exp: Math.floor(Date.now() / 1000) - 3600 })));
		expectAadError(response, 401, 'invalid_client', 700024);
	});

	it('certificate thumbprints match the certificate', () => {
		const der = new X509Certificate(emulator.apps.certificate.certificatePem).raw;
		expect(createHash('sha1').update(new Uint8Array(der)).digest('hex')).toBe(emulator.apps.certificate.thumbprintSha1Hex);
	});
});

describe('discovery', () => {
	it('serves openid-configuration and instance discovery in the shapes msal expects', async () => {
		const config = await requestJson(`${emulator.loginUrl}/${emulator.tenantDomain}/v2.0/.well-known/openid-configuration`);
		expect(config.status).toBe(200);
		expect(config.body).toMatchObject({
			token_endpoint: tokenUrl(emulator),
			issuer: `${emulator.loginUrl}/${emulator.tenantId}/v2.0`,
			authorization_endpoint: `${emulator.loginUrl}/${emulator.tenantId}/oauth2/v2.0/authorize`,
			end_session_endpoint: expect.any(String),
			jwks_uri: `${emulator.loginUrl}/${emulator.tenantId}/discovery/v2.0/keys`,
		});
		const keys = await requestJson(config.body.jwks_uri);
		expect(keys.body.keys[0]).toMatchObject({ kty: 'RSA', use: 'sig', kid: expect.any(String) });

		const authorize = encodeURIComponent(`${emulator.loginUrl}/${emulator.tenantId}/oauth2/v2.0/authorize`);
		const instance = await requestJson(`${emulator.loginUrl}/common/discovery/instance?api-version=1.1&authorization_endpoint=${authorize}`);
		expect(instance.body).toMatchObject({
			tenant_discovery_endpoint: `${emulator.loginUrl}/${emulator.tenantId}/v2.0/.well-known/openid-configuration`,
			metadata: [{ preferred_network: emulator.loginHost, aliases: [emulator.loginHost] }],
		});

		const unknown = await requestJson(`${emulator.loginUrl}/${randomUUID()}/v2.0/.well-known/openid-configuration`);
		expect(unknown.status).toBe(400);
		expect(unknown.body.error_codes).toEqual([90002]);
	});
});
