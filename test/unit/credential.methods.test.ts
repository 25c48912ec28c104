import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

import type { IHttpRequestOptions } from 'n8n-workflow';

import { Microsoft365DefenderApi } from '../../credentials/Microsoft365DefenderApi.credentials';
import {
	evaluatePermissions,
	rolesOfToken,
	summarizePermissions,
	tenantsToTest,
	type TenantPermissionReport,
} from '../../nodes/Microsoft365Defender/actions/credential/permissionReport';
import { CredentialConfigurationError, credentialsForTenant } from '../../nodes/Microsoft365Defender/transport/apis/clouds';
import { MsalNetworkClient, type MsalNetworkClientOptions } from '../../nodes/Microsoft365Defender/transport/auth/msalNetworkClient';
import { applicationIdOf, clientCertificateFrom } from '../../nodes/Microsoft365Defender/transport/auth/tokenProvider';
import { readCredentialTokenFile, TOKEN_FILE_REFUSED } from '../../nodes/Microsoft365Defender/transport/auth/tokenFile';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const base = { environment: 'global', tenantId: TENANT, clientId: '00001111-aaaa-2222-bbbb-3333cccc4444' };

const tokenWith = (claims: Record<string, unknown>) =>
	`${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;

describe('the foreign-host refusal holds for every authentication method', () => {
	const credential = new Microsoft365DefenderApi();
	it.each([
		{ ...base, authentication: 'managedIdentity', managedIdentityType: 'systemAssigned' },
		{ ...base, authentication: 'workloadIdentity', workloadIdentityFile: '/var/run/secrets/azure/tokens/azure-identity-token' },
		{ ...base, authentication: 'certificate', privateKey: '-----BEGIN ENCRYPTED PRIVATE KEY-----', privateKeyPassphrase: 'x' },
	])('$authentication', async (credentials) => {
		await expect(credential.authenticate(credentials, { url: 'https://evil.example.com/steal' } as IHttpRequestOptions)).rejects.toThrow(
			/only sends its token to https:\/\/graph\.microsoft\.com or https:\/\/api\.security\.microsoft\.com; refusing to send it to https:\/\/evil\.example\.com/,
		);
	});
});

describe('MsalNetworkClient: plain http only for a managed identity endpoint on this machine', () => {
	let server: Server;
	let port: number;
	beforeAll(async () => {
		server = createServer((_request, response) => {
			response.setHeader('Content-Type', 'application/json');
			response.end('{"access_token":"x"}');
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		port = (server.address() as AddressInfo).port;
	});
	afterAll(async () => await new Promise((resolve) => server.close(resolve)));

	it('a managed identity client calls a loopback http endpoint (App Service, Arc, Cloud Shell)', async () => {
		const response = await new MsalNetworkClient({ managedIdentity: true }).sendGetRequestAsync(`http://127.0.0.1:${port}/msi/token`);
		expect(response).toMatchObject({ status: 200, body: { access_token: 'x' } });
	});

	it.each<[string, MsalNetworkClientOptions, () => string]>([
		['a client-credentials client, even on loopback', {}, () => `http://127.0.0.1:${port}/token`],
		['a managed identity client, for another host', { managedIdentity: true }, () => 'http://login.example.com/token'],
	])('refuses plain http for %s', async (_label, options, url) => {
		const client = new MsalNetworkClient(options);
		await expect(client.sendPostRequestAsync(url())).rejects.toMatchObject({ code: 'ERR_INSECURE_TOKEN_ENDPOINT' });
		expect(client.lastFailure).toMatchObject({ code: 'ERR_INSECURE_TOKEN_ENDPOINT' });
	});
});

describe('Tenant option', () => {
	it('keeps the credential for an empty option or its own tenant', () => {
		expect(credentialsForTenant(base, '')).toBe(base);
		expect(credentialsForTenant(base, ` ${TENANT.toUpperCase()} `)).toBe(base);
	});

	it('puts the other tenant into the credential, so every cache key built from it changes', () => {
		expect(credentialsForTenant(base, 'fabrikam.onmicrosoft.com')).toEqual({ ...base, tenantId: 'fabrikam.onmicrosoft.com' });
	});

	it('refuses a multi-tenant alias, naming the option', () => {
		const error = (() => {
			try {
				return credentialsForTenant(base, 'organizations');
			} catch (caught) {
				return caught;
			}
		})();
		expect(error).toBeInstanceOf(CredentialConfigurationError);
		expect(error).toMatchObject({ field: 'tenant', message: expect.stringMatching(/^Tenant "organizations" is a multi-tenant alias/) });
	});

	it('refuses another tenant for a managed identity', () => {
		expect(() => credentialsForTenant({ ...base, authentication: 'managedIdentity' }, 'fabrikam.onmicrosoft.com')).toThrow(/only gets tokens in its own tenant/);
	});

	it('the credential Test checks its own tenant, then each customer tenant once', () => {
		const tenants = tenantsToTest({ ...base, testTenants: 'fabrikam.onmicrosoft.com, Fabrikam.onmicrosoft.com;\nwoodgrove.com' });
		expect(tenants.map((tenant) => tenant.tenantId)).toEqual([TENANT, 'fabrikam.onmicrosoft.com', 'woodgrove.com']);
		expect(() => tenantsToTest({ ...base, testTenants: 'common' })).toThrow(CredentialConfigurationError);
		expect(tenantsToTest({ ...base, authentication: 'managedIdentity', testTenants: 'fabrikam.onmicrosoft.com' })).toHaveLength(1);
	});

	it('rate budgets of a managed identity are its own (no client id in the credential)', () => {
		expect(applicationIdOf({ ...base, authentication: 'managedIdentity', managedIdentityType: 'userAssignedClientId', managedIdentityId: 'abc' })).toBe(
			'managed-identity:userAssignedClientId:abc',
		);
		expect(applicationIdOf({ ...base, authentication: 'clientSecret' })).toBe(base.clientId);
	});
});

describe('permission report', () => {
	it('reads the roles claim, and nothing from a token without one', () => {
		expect(rolesOfToken(tokenWith({ roles: ['Machine.Read.All', 7] }))).toEqual(['Machine.Read.All']);
		expect(rolesOfToken(tokenWith({}))).toEqual([]);
		expect(rolesOfToken('not-a-jwt')).toEqual([]);
	});

	it('a higher permission grants the lower one, and is named as what granted it', () => {
		const statuses = evaluatePermissions('mde', ['Machine.ReadWrite.All', 'Ti.ReadWrite']);
		expect(statuses.find((status) => status.permission === 'Machine.Read.All')).toMatchObject({ granted: true, grantedBy: 'Machine.ReadWrite.All' });
		expect(statuses.find((status) => status.permission === 'Machine.ReadWrite.All')).toMatchObject({ granted: true });
		expect(statuses.find((status) => status.permission === 'Machine.ReadWrite.All')).not.toHaveProperty('grantedBy');
		expect(statuses.find((status) => status.permission === 'Ti.ReadWrite.All')).toMatchObject({ granted: true, grantedBy: 'Ti.ReadWrite' });
		expect(statuses.find((status) => status.permission === 'Machine.Isolate')).toMatchObject({ granted: false, operations: ['Response Action Isolate', 'Response Action Release From Isolation', 'Machine Action Cancel'] });
	});

	it('summarizes per API: granted, then missing with the operations each blocks', () => {
		const report: TenantPermissionReport = {
			tenant: TENANT,
			apis: ['graph', 'mde'],
			roles: { graph: [], mde: [] },
			permissions: [
				// The security-operations permissions only: what the report says of the others is the same rule.
				...evaluatePermissions('graph', ['SecurityIncident.ReadWrite.All', 'SecurityAlert.ReadWrite.All', 'ThreatHunting.Read.All', 'SecurityEvents.ReadWrite.All']).filter(
					(status) => /^Security(Incident|Alert|Events)\.|^ThreatHunting\./.test(status.permission),
				),
				...evaluatePermissions('mde', []).filter((status) => status.permission === 'Machine.Isolate'),
			],
		};
		expect(summarizePermissions(report)).toBe(
			'Graph: SecurityIncident.Read.All, SecurityIncident.ReadWrite.All, SecurityAlert.Read.All, SecurityAlert.ReadWrite.All, ThreatHunting.Read.All, SecurityEvents.Read.All granted. ' +
				'Defender for Endpoint: no permission of this node granted; missing Machine.Isolate (Response Action Isolate, Response Action Release From Isolation, Machine Action Cancel).',
		);
	});
});

describe('encrypted private keys', () => {
	const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
	const thumbprint = 'a'.repeat(40);
	it.each([
		['PKCS#8 (BEGIN ENCRYPTED PRIVATE KEY)', privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pw' }).toString()],
		['traditional OpenSSL (Proc-Type: 4,ENCRYPTED)', privateKey.export({ type: 'pkcs1', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pw' }).toString()],
	])('%s is decrypted in memory with the passphrase', (_label, pem) => {
		expect(pem).toMatch(/ENCRYPTED/);
		const certificate = clientCertificateFrom({ privateKey: pem, privateKeyPassphrase: 'pw', thumbprint });
		expect(certificate.privateKey).toMatch(/^-----BEGIN PRIVATE KEY-----/);
		expect(() => clientCertificateFrom({ privateKey: pem, privateKeyPassphrase: 'not-it', thumbprint })).toThrow(/Passphrase is wrong/);
	});
});

describe('Federated Token File: the rules n8n applies to its file nodes', () => {
	const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
	let home: string;
	let rulesOf: (extra?: NodeJS.ProcessEnv) => NodeJS.ProcessEnv;
	beforeAll(() => {
		home = mkdtempSync(path.join(tmpdir(), 'defender-token-file-'));
		for (const folder of ['files', 'files-other', 'n8n-config', 'files/.git', '.n8n']) mkdirSync(path.join(home, folder), { recursive: true });
		for (const file of ['files/token', 'files-other/token', 'n8n-config/token', 'files/.git/token', '.n8n/token']) writeFileSync(path.join(home, file), jwt);
		rulesOf = (extra = {}) => ({ HOME: home, N8N_RESTRICT_FILE_ACCESS_TO: `${path.join(home, 'files')}; /nonexistent-folder`, ...extra });
	});
	afterAll(() => rmSync(home, { recursive: true, force: true }));

	it('a file inside one of the allowed folders is read', async () => {
		await expect(readCredentialTokenFile(path.join(home, 'files/token'), rulesOf())).resolves.toEqual({ token: jwt, realPath: path.join(home, 'files/token') });
	});

	it('a sibling folder, .. out of the folder, a .git folder (N8N_BLOCK_FILE_PATTERNS) and n8n\'s own folder are refused alike', async () => {
		const cases: Array<[string, NodeJS.ProcessEnv]> = [
			[path.join(home, 'files-other/token'), rulesOf()],
			[path.join(home, 'files/../n8n-config/token'), rulesOf()],
			[path.join(home, 'files/.git/token'), rulesOf()],
			[path.join(home, '.n8n/token'), rulesOf({ N8N_RESTRICT_FILE_ACCESS_TO: '' })],
		];
		for (const [file, env] of cases) await expect(readCredentialTokenFile(file, env)).rejects.toThrow(TOKEN_FILE_REFUSED);
	});

	it('N8N_RESTRICT_FILE_ACCESS_TO set empty lifts the folder limit, and N8N_BLOCK_FILE_ACCESS_TO_N8N_FILES=false the n8n-files block, as in n8n', async () => {
		await expect(readCredentialTokenFile(path.join(home, 'n8n-config/token'), rulesOf({ N8N_RESTRICT_FILE_ACCESS_TO: '' }))).resolves.toMatchObject({ token: jwt });
		await expect(readCredentialTokenFile(path.join(home, '.n8n/token'), rulesOf({ N8N_RESTRICT_FILE_ACCESS_TO: '', N8N_BLOCK_FILE_ACCESS_TO_N8N_FILES: 'false' }))).resolves.toMatchObject({ token: jwt });
	});
});
