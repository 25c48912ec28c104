import { createServer, type Server } from 'node:https';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ICredentialTestFunctions } from 'n8n-workflow';

import { ensureTlsCertificate } from '../../emulator';

import { microsoft365DefenderApiTest } from '../../../nodes/Microsoft365Defender/methods/credentialTest';
import { credentialsFor, useEmulator } from '../context';
import { runNode } from '../harness';

const env = useEmulator();

const listOne = { resource: 'incident', operation: 'getAll', limit: 1 };

describe('credential against the emulator', () => {
	it('turns an expired secret into AADSTS7000222 with what to do', async () => {
		const { error } = await runNode(listOne, { credentials: env.credentials, credentialId: 'expiredSecret' });
		expect(error?.message).toMatch(/^Could not get an access token: AADSTS7000222: /);
		expect(error?.description).toMatch(/Create a new one under Certificates & secrets/);
	});

	it('explains a wrong secret as value-versus-ID, and never shows the secret', async () => {
		const { error } = await runNode(listOne, { credentials: env.credentials, credentialId: 'wrongSecret' });
		expect(error?.message).toMatch(/AADSTS7000215/);
		expect(error?.description).toMatch(/not its "Secret ID"/);
		expect(JSON.stringify(error)).not.toContain('not-the-secret');
	});

	it('explains an unknown tenant as tenant or cloud', async () => {
		const credentials = { bad: { ...env.credentials.full, tenantId: '00000000-0000-0000-0000-000000000001' } };
		const { error } = await runNode(listOne, { credentials, credentialId: 'bad' });
		expect(error?.message).toMatch(/AADSTS90002/);
		expect(error?.description).toMatch(/Environment matches the cloud/);
	});

	it('refuses a multi-tenant alias before any request', async () => {
		const credentials = { bad: { ...env.credentials.full, tenantId: 'organizations' } };
		const { error } = await runNode(listOne, { credentials, credentialId: 'bad' });
		expect(error?.message).toMatch(/Credential field "Tenant ID": .*multi-tenant alias/);
		expect(env.emulator.requestLog()).toHaveLength(0);
	});

	it('authenticates with a certificate (PEM certificate, or SHA-1 thumbprint)', async () => {
		const app = env.emulator.apps.certificate;
		const base = credentialsFor(env.emulator, { clientId: app.clientId }, { authentication: 'certificate', privateKey: app.privateKeyPem });
		const variants: Array<Record<string, string>> = [{ certificate: app.certificatePem }, { thumbprint: app.thumbprintSha1Hex.toUpperCase() }];
		for (const extra of variants) {
			const { items, error } = await runNode(listOne, { credentials: { cert: { ...base, ...extra } }, credentialId: 'cert' });
			expect(error).toBeUndefined();
			expect(items).toHaveLength(1);
		}
	});

	it('the credential test really gets a token for each API and explains failures', async () => {
		const context = {} as ICredentialTestFunctions;
		const ok = await microsoft365DefenderApiTest.call(context, { id: '1', name: 'x', type: 'microsoft365DefenderApi', data: env.credentials.full });
		expect(ok.status).toBe('OK');
		const audiences = env.emulator.requestLog({ api: 'token' }).map((entry) => entry.audience);
		expect(audiences).toEqual([env.emulator.graphUrl, env.emulator.mdeUrl]);
		const expired = await microsoft365DefenderApiTest.call(context, {
			id: '2',
			name: 'x',
			type: 'microsoft365DefenderApi',
			data: env.credentials.expiredSecret,
		});
		expect(expired).toEqual({ status: 'Error', message: expect.stringMatching(/^AADSTS7000222: .*Create a new one under Certificates & secrets/) });
	});

	it('names an unreachable login host instead of blaming the secret', async () => {
		const credentials = { down: { ...env.credentials.full, loginHost: '127.0.0.1:9' } };
		const { error } = await runNode(listOne, { credentials, credentialId: 'down' });
		expect(error?.message).toBe('Could not get an access token: Could not reach the login endpoint (ECONNREFUSED).');
		expect((error as { httpCode?: string }).httpCode).not.toBe('401');
	});

	it('names an untrusted TLS certificate and how to trust a proxy\'s CA', async () => {
		const untrusted = ensureTlsCertificate(mkdtempSync(path.join(tmpdir(), 'untrusted-')));
		const server: Server = createServer({ key: untrusted.keyPem, cert: untrusted.certPem }, (_request, response) => response.end('{}'));
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		try {
			const port = (server.address() as { port: number }).port;
			const credentials = { tls: { ...env.credentials.full, loginHost: `localhost:${port}` } };
			const { error } = await runNode(listOne, { credentials, credentialId: 'tls' });
			expect(error?.message).toMatch(/TLS certificate is not trusted \((DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN)\)/);
			expect(error?.description).toMatch(/NODE_EXTRA_CA_CERTS/);
		} finally {
			server.close();
		}
	});
});
