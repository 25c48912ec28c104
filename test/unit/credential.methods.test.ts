import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

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
import { applicationIdOf, clientCertificateFrom, federatedTokenFileOf } from '../../nodes/Microsoft365Defender/transport/auth/tokenProvider';

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
				...evaluatePermissions('graph', ['SecurityIncident.ReadWrite.All', 'SecurityAlert.ReadWrite.All', 'ThreatHunting.Read.All', 'SecurityEvents.ReadWrite.All']),
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

describe('federated token file and N8N_RESTRICT_FILE_ACCESS_TO', () => {
	const saved = { restrict: process.env.N8N_RESTRICT_FILE_ACCESS_TO, file: process.env.AZURE_FEDERATED_TOKEN_FILE };
	afterEach(() => {
		for (const [name, value] of [['N8N_RESTRICT_FILE_ACCESS_TO', saved.restrict], ['AZURE_FEDERATED_TOKEN_FILE', saved.file]] as const) {
			if (value === undefined) delete process.env[name];
			else process.env[name] = value;
		}
	});

	it('a file the credential names must lie in one of the allowed folders', () => {
		process.env.N8N_RESTRICT_FILE_ACCESS_TO = '/srv/n8n-files; /var/run/secrets/azure';
		delete process.env.AZURE_FEDERATED_TOKEN_FILE;
		expect(federatedTokenFileOf({ workloadIdentityFile: '/var/run/secrets/azure/tokens/azure-identity-token' })).toBe('/var/run/secrets/azure/tokens/azure-identity-token');
		for (const outside of ['/var/run/secrets/kubernetes.io/serviceaccount/token', '/srv/n8n-files/../n8n-config/token', '/srv/n8n-files-other/token']) {
			expect(() => federatedTokenFileOf({ workloadIdentityFile: outside })).toThrow(/outside the folders n8n may read/);
		}
	});

	it("the environment's AZURE_FEDERATED_TOKEN_FILE is the administrator's choice and always allowed", () => {
		process.env.N8N_RESTRICT_FILE_ACCESS_TO = '/srv/n8n-files';
		process.env.AZURE_FEDERATED_TOKEN_FILE = '/var/run/secrets/azure/tokens/azure-identity-token';
		expect(federatedTokenFileOf({})).toBe('/var/run/secrets/azure/tokens/azure-identity-token');
	});
});
