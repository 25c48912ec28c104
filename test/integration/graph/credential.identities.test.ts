/**
 * The credential's keyless and key-protected ways to authenticate against the emulator:
 * Azure managed identity (App Service form: IDENTITY_ENDPOINT + IDENTITY_HEADER, as msal-node
 * reads them), workload identity federation (a token file rotated between requests), and a
 * certificate whose private key is encrypted with a passphrase.
 */
import { createPrivateKey } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { getAccessToken, TokenAcquisitionError } from '../../../nodes/Microsoft365Defender/transport/auth/tokenProvider';
import { CredentialConfigurationError } from '../../../nodes/Microsoft365Defender/transport/apis/clouds';
import { credentialsFor, useEmulator } from '../context';
import { runNode } from '../harness';

const env = useEmulator();

function claimsOf(token: string): Record<string, unknown> {
	return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as Record<string, unknown>;
}

function baseCredentials(extra: Record<string, string>) {
	return credentialsFor(env.emulator, { clientId: '' }, { clientSecret: '', ...extra });
}

describe('managed identity (App Service: IDENTITY_ENDPOINT + IDENTITY_HEADER)', () => {
	const saved = { endpoint: process.env.IDENTITY_ENDPOINT, header: process.env.IDENTITY_HEADER };
	beforeAll(() => {
		const { managedIdentity } = env.emulator.describe().identities;
		process.env.IDENTITY_ENDPOINT = managedIdentity.endpoint;
		process.env.IDENTITY_HEADER = managedIdentity.header;
	});
	afterAll(() => {
		for (const [name, value] of [['IDENTITY_ENDPOINT', saved.endpoint], ['IDENTITY_HEADER', saved.header]] as const) {
			if (value === undefined) delete process.env[name];
			else process.env[name] = value;
		}
	});

	const managed = (type: string, id = '') => baseCredentials({ authentication: 'managedIdentity', managedIdentityType: type, managedIdentityId: id });

	it('system-assigned: tokens for Graph and Defender for Endpoint from the identity endpoint, and Incident Get Many runs', async () => {
		const { systemAssigned } = env.emulator.describe().identities.managedIdentity;
		const credentials = managed('systemAssigned');
		const graphToken = await getAccessToken(credentials, 'graph', { forceRefresh: true });
		const mdeToken = await getAccessToken(credentials, 'mde', { forceRefresh: true });
		expect(claimsOf(graphToken)).toMatchObject({ appid: systemAssigned.clientId, oid: systemAssigned.objectId, aud: env.emulator.graphUrl });
		expect(claimsOf(mdeToken)).toMatchObject({ appid: systemAssigned.clientId, aud: env.emulator.mdeUrl });
		const identityCalls = env.emulator.requestLog({ api: 'token' }).filter((entry) => entry.path.startsWith('/msi/token'));
		expect(identityCalls.map((entry) => entry.status)).toEqual([200, 200]);

		const { items, error } = await runNode({ resource: 'incident', operation: 'getAll', limit: 3 }, { credentials: { full: credentials } });
		expect(error).toBeUndefined();
		expect(items).toHaveLength(3);
		const devices = await runNode({ resource: 'device', operation: 'getAll', limit: 2 }, { credentials: { full: credentials } });
		expect(devices.error).toBeUndefined();
		expect(devices.items).toHaveLength(2);
	});

	it.each([
		['userAssignedClientId', 'clientId'],
		['userAssignedResourceId', 'resourceId'],
		['userAssignedObjectId', 'objectId'],
	] as const)('user-assigned, picked by %s', async (type, field) => {
		const { userAssigned } = env.emulator.describe().identities.managedIdentity;
		const token = await getAccessToken(managed(type, userAssigned[field]), 'graph', { forceRefresh: true });
		expect(claimsOf(token)).toMatchObject({ appid: userAssigned.clientId, roles: userAssigned.roles.graph });
	});

	it('a user-assigned identity without its id is refused before any request', async () => {
		await expect(getAccessToken(managed('userAssignedClientId'), 'graph')).rejects.toMatchObject({ field: 'managedIdentityId' });
		expect(env.emulator.requestLog({ api: 'token' })).toHaveLength(0);
	});

	it('an identity not assigned to the resource is reported with what to check', async () => {
		const error = await getAccessToken(managed('userAssignedClientId', '11111111-2222-4333-8444-555555555555'), 'graph').catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(TokenAcquisitionError);
		expect((error as TokenAcquisitionError).details.hint).toMatch(/IDENTITY_ENDPOINT and IDENTITY_HEADER.*user-assigned identity must be assigned/);
	});

	it('the Tenant option cannot move a managed identity to another tenant', async () => {
		const { error } = await runNode(
			{ resource: 'incident', operation: 'getAll', limit: 1, requestOptions: { tenant: env.emulator.otherTenantId } },
			{ credentials: { full: managed('systemAssigned') } },
		);
		expect(error?.message).toMatch(/^Tenant option: A managed identity only gets tokens in its own tenant/);
	});
});

describe('workload identity federation (token file)', () => {
	let folder: string;
	let tokenFile: string;
	beforeAll(() => {
		folder = mkdtempSync(path.join(tmpdir(), 'defender-federation-'));
		tokenFile = path.join(folder, 'azure-identity-token');
	});
	afterAll(() => rmSync(folder, { recursive: true, force: true }));

	const federated = () => {
		const { federation } = env.emulator.describe().identities;
		return credentialsFor(env.emulator, { clientId: federation.clientId }, { authentication: 'workloadIdentity', clientSecret: '', workloadIdentityFile: tokenFile });
	};

	it('gets tokens with the federated token, runs Incident Get Many and a Defender for Endpoint call', async () => {
		writeFileSync(tokenFile, env.emulator.issueFederatedToken());
		const { federation } = env.emulator.describe().identities;
		const token = await getAccessToken(federated(), 'graph');
		expect(claimsOf(token)).toMatchObject({ appid: federation.clientId, tid: env.emulator.tenantId });
		const incidents = await runNode({ resource: 'incident', operation: 'getAll', limit: 2 }, { credentials: { full: federated() } });
		expect(incidents.error).toBeUndefined();
		expect(incidents.items).toHaveLength(2);
		const devices = await runNode({ resource: 'device', operation: 'getAll', limit: 1 }, { credentials: { full: federated() } });
		expect(devices.error).toBeUndefined();
	});

	it('reads the file again for every token request (the file rotates)', async () => {
		writeFileSync(tokenFile, env.emulator.issueFederatedToken());
		await getAccessToken(federated(), 'graph', { forceRefresh: true });
		// The next token in the file has a subject the app does not trust: the request must fail with it.
		writeFileSync(tokenFile, env.emulator.issueFederatedToken({ subject: 'system:serviceaccount:other:intruder' }));
		const error = await getAccessToken(federated(), 'graph', { forceRefresh: true }).catch((caught: unknown) => caught);
		expect((error as TokenAcquisitionError).details).toMatchObject({ code: 700213, hint: expect.stringMatching(/system:serviceaccount:<namespace>/) });
		writeFileSync(tokenFile, env.emulator.issueFederatedToken());
		await expect(getAccessToken(federated(), 'graph', { forceRefresh: true })).resolves.toEqual(expect.any(String));
	});

	it('an expired federated token and a wrong audience give Entra ID\'s codes with hints', async () => {
		writeFileSync(tokenFile, env.emulator.issueFederatedToken({ lifetimeSeconds: -60 }));
		const expired = await getAccessToken(federated(), 'graph', { forceRefresh: true }).catch((caught: unknown) => caught);
		expect((expired as TokenAcquisitionError).details.code).toBe(700024);
		writeFileSync(tokenFile, env.emulator.issueFederatedToken({ audience: 'api://something-else' }));
		const audience = await getAccessToken(federated(), 'graph', { forceRefresh: true }).catch((caught: unknown) => caught);
		expect((audience as TokenAcquisitionError).details).toMatchObject({ code: 700212, hint: expect.stringMatching(/api:\/\/AzureADTokenExchange/) });
	});

	it('a missing file or one that holds no JWT is named, and its content never shown', async () => {
		rmSync(tokenFile, { force: true });
		const missing = await getAccessToken(federated(), 'graph', { forceRefresh: true }).catch((caught: unknown) => caught);
		expect((missing as Error).message).toBe(`The federated token file ${tokenFile} could not be read (ENOENT).`);
		writeFileSync(tokenFile, 'root:x:0:0:secret-looking-content');
		const notJwt = await getAccessToken(federated(), 'graph', { forceRefresh: true }).catch((caught: unknown) => caught);
		expect((notJwt as Error).message).toBe(`The federated token file ${tokenFile} does not hold a JWT.`);
		expect(JSON.stringify((notJwt as TokenAcquisitionError).details)).not.toContain('secret-looking-content');
		expect(env.emulator.requestLog({ api: 'token' })).toHaveLength(0);
	});

	it('without a file name it uses AZURE_FEDERATED_TOKEN_FILE, and says so when that is unset too', async () => {
		const saved = process.env.AZURE_FEDERATED_TOKEN_FILE;
		try {
			writeFileSync(tokenFile, env.emulator.issueFederatedToken());
			process.env.AZURE_FEDERATED_TOKEN_FILE = tokenFile;
			await expect(getAccessToken({ ...federated(), workloadIdentityFile: '' }, 'graph')).resolves.toEqual(expect.any(String));
			delete process.env.AZURE_FEDERATED_TOKEN_FILE;
			const error = await getAccessToken({ ...federated(), workloadIdentityFile: '', tenantId: env.emulator.tenantDomain }, 'graph').catch((caught: unknown) => caught);
			expect(error).toBeInstanceOf(CredentialConfigurationError);
			expect((error as Error).message).toMatch(/AZURE_FEDERATED_TOKEN_FILE/);
		} finally {
			if (saved === undefined) delete process.env.AZURE_FEDERATED_TOKEN_FILE;
			else process.env.AZURE_FEDERATED_TOKEN_FILE = saved;
		}
	});
});

describe('certificate with an encrypted private key', () => {
	const passphrase = 'correct horse battery staple';
	const encryptedKey = () =>
		createPrivateKey(env.emulator.apps.certificate.privateKeyPem)
			.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase })
			.toString();
	const certificateCredentials = (extra: Record<string, string>) =>
		credentialsFor(env.emulator, { clientId: env.emulator.apps.certificate.clientId }, {
			authentication: 'certificate',
			clientSecret: '',
			privateKey: encryptedKey(),
			certificate: env.emulator.apps.certificate.certificatePem,
			...extra,
		});

	it('decrypts the key with the passphrase: Incident Get Many and a Defender for Endpoint call', async () => {
		expect(encryptedKey()).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
		const credentials = certificateCredentials({ privateKeyPassphrase: passphrase });
		const incidents = await runNode({ resource: 'incident', operation: 'getAll', limit: 2 }, { credentials: { full: credentials } });
		expect(incidents.error).toBeUndefined();
		expect(incidents.items).toHaveLength(2);
		const devices = await runNode({ resource: 'device', operation: 'getAll', limit: 1 }, { credentials: { full: credentials } });
		expect(devices.error).toBeUndefined();
	});

	it('names the passphrase field when it is missing or wrong, before any request', async () => {
		await expect(getAccessToken(certificateCredentials({}), 'graph')).rejects.toMatchObject({ field: 'privateKeyPassphrase', message: expect.stringMatching(/encrypted/) });
		const wrong = await getAccessToken(certificateCredentials({ privateKeyPassphrase: 'wrong' }), 'graph').catch((caught: unknown) => caught);
		expect(wrong).toMatchObject({ field: 'privateKeyPassphrase', message: expect.stringMatching(/Passphrase is wrong/) });
		expect(JSON.stringify({ message: (wrong as Error).message })).not.toContain('wrong"');
		expect(env.emulator.requestLog({ api: 'token' })).toHaveLength(0);
	});
});
