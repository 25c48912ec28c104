/**
 * The credential's keyless and key-protected ways to authenticate against the emulator:
 * Azure managed identity (App Service form: IDENTITY_ENDPOINT + IDENTITY_HEADER, as msal-node
 * reads them), workload identity federation (a token file rotated between requests), and a
 * certificate whose private key is encrypted with a passphrase. The server's identity and a
 * token file work only with a Microsoft cloud: the emulator stands in for Microsoft's login host.
 */
import { createPrivateKey } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { getAccessToken, TokenAcquisitionError } from '../../../nodes/Microsoft365Defender/transport/auth/tokenProvider';
import { CredentialConfigurationError } from '../../../nodes/Microsoft365Defender/transport/apis/clouds';
import { TOKEN_FILE_REFUSED } from '../../../nodes/Microsoft365Defender/transport/auth/tokenFile';
import { credentialsFor, microsoftCloudCredentials, useEmulator, useMicrosoftStandIn, useProcessEnv } from '../context';
import { runNode } from '../harness';

const env = useEmulator();
useMicrosoftStandIn(env);
const setEnv = useProcessEnv(['N8N_DEFENDER_SYSTEM_IDENTITY_ACCESS_ENABLED', 'N8N_RESTRICT_FILE_ACCESS_TO', 'AZURE_FEDERATED_TOKEN_FILE']);

function claimsOf(token: string): Record<string, unknown> {
	return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as Record<string, unknown>;
}

describe('managed identity (App Service: IDENTITY_ENDPOINT + IDENTITY_HEADER)', () => {
	const setIdentityEnv = useProcessEnv(['IDENTITY_ENDPOINT', 'IDENTITY_HEADER']);
	beforeAll(() => {
		const { managedIdentity } = env.emulator.describe().identities;
		setIdentityEnv({ IDENTITY_ENDPOINT: managedIdentity.endpoint, IDENTITY_HEADER: managedIdentity.header });
		setEnv({ N8N_DEFENDER_SYSTEM_IDENTITY_ACCESS_ENABLED: 'true' });
	});

	const managed = (type: string, id = '') => microsoftCloudCredentials(env.emulator, { authentication: 'managedIdentity', managedIdentityType: type, managedIdentityId: id });

	it('system-assigned: tokens for Microsoft Graph and Defender for Endpoint from the identity endpoint', async () => {
		const { systemAssigned } = env.emulator.describe().identities.managedIdentity;
		const credentials = managed('systemAssigned');
		const graphToken = await getAccessToken(credentials, 'graph', { forceRefresh: true });
		const mdeToken = await getAccessToken(credentials, 'mde', { forceRefresh: true });
		expect(claimsOf(graphToken)).toMatchObject({ appid: systemAssigned.clientId, oid: systemAssigned.objectId, aud: 'https://graph.microsoft.com' });
		expect(claimsOf(mdeToken)).toMatchObject({ appid: systemAssigned.clientId, aud: 'https://api.securitycenter.microsoft.com' });
		expect(env.emulator.hostIdentityRequests().map((request) => request.status)).toEqual([200, 200]);
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
		expect(env.emulator.hostIdentityRequests()).toEqual([]);
	});
});

describe('workload identity federation (token file)', () => {
	let folder: string;
	let tokenFile: string;
	beforeAll(() => {
		folder = mkdtempSync(path.join(tmpdir(), 'defender-federation-'));
		tokenFile = path.join(folder, 'azure-identity-token');
		setEnv({ N8N_RESTRICT_FILE_ACCESS_TO: folder });
	});
	afterAll(() => rmSync(folder, { recursive: true, force: true }));

	const federated = () => {
		const { federation } = env.emulator.describe().identities;
		return microsoftCloudCredentials(env.emulator, { clientId: federation.clientId, authentication: 'workloadIdentity', workloadIdentityFile: tokenFile });
	};

	it('gets tokens for Microsoft Graph and Defender for Endpoint with the federated token', async () => {
		writeFileSync(tokenFile, env.emulator.issueFederatedToken());
		const { federation } = env.emulator.describe().identities;
		const token = await getAccessToken(federated(), 'graph');
		expect(claimsOf(token)).toMatchObject({ appid: federation.clientId, tid: env.emulator.tenantId, aud: 'https://graph.microsoft.com' });
		expect(claimsOf(await getAccessToken(federated(), 'mde'))).toMatchObject({ appid: federation.clientId, aud: 'https://api.securitycenter.microsoft.com' });
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

	it('a missing file and one that holds no JWT get the one refusal, and its content is never shown', async () => {
		rmSync(tokenFile, { force: true });
		const missing = await getAccessToken(federated(), 'graph', { forceRefresh: true }).catch((caught: unknown) => caught);
		expect((missing as Error).message).toBe(TOKEN_FILE_REFUSED);
		writeFileSync(tokenFile, 'root:x:0:0:secret-looking-content');
		const notJwt = await getAccessToken(federated(), 'graph', { forceRefresh: true }).catch((caught: unknown) => caught);
		expect((notJwt as Error).message).toBe(TOKEN_FILE_REFUSED);
		expect(JSON.stringify(notJwt)).not.toContain('secret-looking-content');
		expect(env.emulator.requestLog({ api: 'token' })).toHaveLength(0);
	});

	it('without a file name it uses AZURE_FEDERATED_TOKEN_FILE (the administrator allowing it), and says so when that is unset too', async () => {
		writeFileSync(tokenFile, env.emulator.issueFederatedToken());
		setEnv({ AZURE_FEDERATED_TOKEN_FILE: tokenFile, N8N_DEFENDER_SYSTEM_IDENTITY_ACCESS_ENABLED: 'true' });
		await expect(getAccessToken({ ...federated(), workloadIdentityFile: '' }, 'graph')).resolves.toEqual(expect.any(String));
		setEnv({ AZURE_FEDERATED_TOKEN_FILE: undefined });
		const error = await getAccessToken({ ...federated(), workloadIdentityFile: '', tenantId: env.emulator.tenantDomain }, 'graph').catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(CredentialConfigurationError);
		expect((error as Error).message).toMatch(/AZURE_FEDERATED_TOKEN_FILE/);
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
