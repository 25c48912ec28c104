import { ConfidentialClientApplication } from '@azure/msal-node';
import type { Emulator } from '../../emulator';
import { decodeJwtPayload, startTestEmulator } from './helpers';

let emulator: Emulator;

beforeAll(async () => {
	emulator = await startTestEmulator();
});

afterAll(async () => {
	await emulator.close();
});

describe('compatibility with @azure/msal-node ConfidentialClientApplication', () => {
	it('acquires a Graph token with a client secret (known authority + authorityMetadata, no discovery calls)', async () => {
		emulator.clearRequestLog();
		const app = new ConfidentialClientApplication({
			auth: {
				clientId: emulator.apps.full.clientId,
				clientSecret: emulator.apps.full.clientSecret,
				authority: `${emulator.loginUrl}/${emulator.tenantId}`,
				knownAuthorities: [emulator.loginHost],
				authorityMetadata: emulator.authorityMetadata(),
			},
		});
		const result = await app.acquireTokenByClientCredential({ scopes: [`${emulator.graphUrl}/.default`] });
		expect(result?.accessToken).toEqual(expect.any(String));
		expect(decodeJwtPayload(result?.accessToken as string).aud).toBe(emulator.graphUrl);

		const cached = await app.acquireTokenByClientCredential({ scopes: [`${emulator.graphUrl}/.default`] });
		expect(cached?.accessToken).toBe(result?.accessToken);
		const tokenRequests = emulator.requestLog({ api: 'token' });
		expect(tokenRequests).toHaveLength(1);
		expect(tokenRequests[0].path).toMatch(/^\/[0-9a-f-]{36}\/oauth2\/v2\.0\/token\?/);
	});

	it('acquires an MDE token with a certificate (PS256 + x5t#S256)', async () => {
		const certificateApp = emulator.apps.certificate;
		const app = new ConfidentialClientApplication({
			auth: {
				clientId: certificateApp.clientId,
				authority: `${emulator.loginUrl}/${emulator.tenantDomain}`,
				knownAuthorities: [emulator.loginHost],
				authorityMetadata: emulator.authorityMetadata(emulator.tenantDomain),
				clientCertificate: {
					thumbprintSha256: certificateApp.thumbprintSha256Hex,
					privateKey: certificateApp.privateKeyPem,
					x5c: certificateApp.certificatePem,
				},
			},
		});
		const result = await app.acquireTokenByClientCredential({ scopes: [`${emulator.mdeUrl}/.default`] });
		const claims = decodeJwtPayload(result?.accessToken as string);
		expect(claims.aud).toBe(emulator.mdeUrl);
		expect(claims.appid).toBe(certificateApp.clientId);
		expect(claims.roles).toContain('Machine.Isolate');
	});

	it('acquires a token with a certificate and SHA-1 thumbprint (RS256 + x5t) using network discovery', async () => {
		const certificateApp = emulator.apps.certificate;
		const app = new ConfidentialClientApplication({
			auth: {
				clientId: certificateApp.clientId,
				authority: `${emulator.loginUrl}/${emulator.tenantId}`,
				knownAuthorities: [emulator.loginHost],
				clientCertificate: { thumbprint: certificateApp.thumbprintSha1Hex, privateKey: certificateApp.privateKeyPem },
			},
		});
		const result = await app.acquireTokenByClientCredential({ scopes: ['https://graph.microsoft.com/.default'] });
		expect(decodeJwtPayload(result?.accessToken as string).aud).toBe('https://graph.microsoft.com');
	});

	it('surfaces the emulator AADSTS error through msal', async () => {
		const app = new ConfidentialClientApplication({
			auth: {
				clientId: emulator.apps.full.clientId,
				clientSecret: 'wrong-secret',
				authority: `${emulator.loginUrl}/${emulator.tenantId}`,
				knownAuthorities: [emulator.loginHost],
				authorityMetadata: emulator.authorityMetadata(),
			},
		});
		await expect(app.acquireTokenByClientCredential({ scopes: [`${emulator.graphUrl}/.default`] })).rejects.toMatchObject({
			errorCode: 'invalid_client',
			errorMessage: expect.stringContaining('AADSTS7000215'),
		});
	});
});
