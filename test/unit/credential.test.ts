import type { IHttpRequestOptions } from 'n8n-workflow';

import { Microsoft365DefenderApi } from '../../credentials/Microsoft365DefenderApi.credentials';

const credentials = {
	environment: 'global',
	tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
	clientId: '00001111-aaaa-2222-bbbb-3333cccc4444',
	authentication: 'clientSecret',
	clientSecret: 'not-a-real-secret-value',
};

describe('Microsoft365DefenderApi.authenticate', () => {
	const credential = new Microsoft365DefenderApi();

	it.each([
		{ url: 'https://evil.example.com/steal' },
		{ url: '/steal', baseURL: 'https://graph.microsoft.com.evil.example.com' },
		{ uri: 'https://evil.example.com/?https://graph.microsoft.com' },
		{ url: 'http://graph.microsoft.com/v1.0/me' },
	] as Array<IHttpRequestOptions & { uri?: string }>)('refuses to attach a token for %j', async (request) => {
		await expect(credential.authenticate(credentials, { ...request } as IHttpRequestOptions)).rejects.toThrow(
			/only sends its token to https:\/\/graph\.microsoft\.com or https:\/\/api\.security\.microsoft\.com/,
		);
	});

	it('checks the tenant before any request', async () => {
		await expect(
			credential.authenticate(
				{ ...credentials, tenantId: 'common' },
				{ url: 'https://graph.microsoft.com/v1.0/security/incidents' },
			),
		).rejects.toThrow(/multi-tenant alias/);
	});

	it('never puts the secret in its refusal', async () => {
		const error = await credential
			.authenticate(credentials, { url: 'https://evil.example.com' })
			.catch((caught: Error) => caught);
		expect(JSON.stringify({ message: (error as Error).message, stack: (error as Error).stack })).not.toContain(
			credentials.clientSecret,
		);
	});
});
