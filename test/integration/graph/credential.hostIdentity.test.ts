/**
 * Issue 20, points 1 and 2: the n8n server's identity (its managed identity, the federated token
 * AZURE_FEDERATED_TOKEN_FILE names) and its files stay the administrator's. A credential author
 * plays the attacker with Custom Endpoints aimed at a hostile HTTPS host that records what reaches
 * it; Microsoft's login host is the emulator behind a proxy that refuses every other host.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { Microsoft365DefenderApi } from '../../../credentials/Microsoft365DefenderApi.credentials';
import { getAccessToken } from '../../../nodes/Microsoft365Defender/transport/auth/tokenProvider';
import { startRecordingServer, type RecordingServer } from '../../emulator/recorder';
import { ensureTlsCertificate } from '../../emulator/tls';
import { microsoftCloudCredentials, useEmulator, useMicrosoftStandIn, useProcessEnv } from '../context';

const env = useEmulator();
const standIn = useMicrosoftStandIn(env);
const setEnv = useProcessEnv([
	'N8N_DEFENDER_SYSTEM_IDENTITY_ACCESS_ENABLED',
	'AZURE_FEDERATED_TOKEN_FILE',
	'IDENTITY_ENDPOINT',
	'IDENTITY_HEADER',
	'N8N_RESTRICT_FILE_ACCESS_TO',
	'N8N_USER_FOLDER',
	'HOME',
]);

let hostile: RecordingServer;
let folder: string;
beforeAll(async () => {
	hostile = await startRecordingServer({ tls: ensureTlsCertificate() });
	folder = mkdtempSync(path.join(tmpdir(), 'defender-host-identity-'));
	const { managedIdentity } = env.emulator.describe().identities;
	setEnv({ IDENTITY_ENDPOINT: managedIdentity.endpoint, IDENTITY_HEADER: managedIdentity.header, N8N_USER_FOLDER: undefined });
});
beforeEach(() => {
	hostile.requests.length = 0;
	setEnv({ N8N_DEFENDER_SYSTEM_IDENTITY_ACCESS_ENABLED: undefined, AZURE_FEDERATED_TOKEN_FILE: undefined, N8N_RESTRICT_FILE_ACCESS_TO: undefined, HOME: folder });
});
afterAll(async () => {
	await hostile?.close();
	rmSync(folder, { recursive: true, force: true });
});

const failure = async (promise: Promise<unknown>) => await promise.then(() => undefined, (error: unknown) => error as Error);
const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as Record<string, unknown>;
const connectTargets = () => standIn.proxy.log.map((entry) => entry.target);

/** A credential author's Custom Endpoints: login host and Graph URL on the hostile host. */
const aimedAtHostile = (extra: ICredentialDataDecryptedObject): ICredentialDataDecryptedObject => ({
	...microsoftCloudCredentials(env.emulator, extra),
	environment: 'custom',
	loginHost: new URL(hostile.url).host,
	graphUrl: hostile.url,
});

describe("the server's federated token (AZURE_FEDERATED_TOKEN_FILE)", () => {
	const workload = () => microsoftCloudCredentials(env.emulator, { clientId: env.emulator.describe().identities.federation.clientId, authentication: 'workloadIdentity', workloadIdentityFile: '' });
	beforeEach(() => {
		const serverToken = path.join(folder, 'azure-identity-token');
		writeFileSync(serverToken, env.emulator.issueFederatedToken());
		setEnv({ AZURE_FEDERATED_TOKEN_FILE: serverToken });
	});

	it('without the administrator\'s variable: refused, naming it, for a Microsoft cloud and for a hostile login host; the JWT goes nowhere', async () => {
		for (const credentials of [workload(), aimedAtHostile(workload())]) {
			const error = await failure(getAccessToken(credentials, 'graph'));
			expect(error?.message).toMatch(/identity of the server n8n runs on.*N8N_DEFENDER_SYSTEM_IDENTITY_ACCESS_ENABLED=true/);
		}
		expect(hostile.requests).toEqual([]);
		expect(connectTargets()).toEqual([]);
	});

	it('with the variable: Custom Endpoints are refused, and the JWT reaches only Microsoft\'s login host', async () => {
		setEnv({ N8N_DEFENDER_SYSTEM_IDENTITY_ACCESS_ENABLED: 'true' });
		const refused = await failure(getAccessToken(aimedAtHostile(workload()), 'graph'));
		expect(refused?.message).toMatch(/Custom Endpoints cannot be used with the server's identity/);
		expect(hostile.requests).toEqual([]);

		const token = await getAccessToken(workload(), 'graph');
		expect(claimsOf(token)).toMatchObject({ appid: env.emulator.describe().identities.federation.clientId, aud: 'https://graph.microsoft.com' });
		expect(connectTargets()).toEqual(['login.microsoftonline.com:443']);
		expect(hostile.requests).toEqual([]);
	});

	it('a credential that names the server\'s token file by its path needs the variable too', async () => {
		setEnv({ N8N_RESTRICT_FILE_ACCESS_TO: '' });
		const named = { ...workload(), workloadIdentityFile: String(process.env.AZURE_FEDERATED_TOKEN_FILE) };
		const error = await failure(getAccessToken(named, 'graph'));
		expect(error?.message).toMatch(/N8N_DEFENDER_SYSTEM_IDENTITY_ACCESS_ENABLED=true/);
		expect(connectTargets()).toEqual([]);
	});
});

describe("the server's managed identity", () => {
	const managed = () => microsoftCloudCredentials(env.emulator, { authentication: 'managedIdentity', managedIdentityType: 'systemAssigned' });
	const listKeys = (origin: string) => ({ method: 'POST' as const, url: `${origin}/subscriptions/s/resourceGroups/r/providers/Microsoft.Storage/storageAccounts/x/listKeys?api-version=2023-01-01` });

	it('without the administrator\'s variable: no token for any audience, the identity endpoint is never asked', async () => {
		const credentialType = new Microsoft365DefenderApi();
		for (const credentials of [managed(), aimedAtHostile(managed())]) {
			expect((await failure(getAccessToken(credentials, 'graph')))?.message).toMatch(/N8N_DEFENDER_SYSTEM_IDENTITY_ACCESS_ENABLED=true/);
		}
		const viaHttpRequestNode = await failure(credentialType.authenticate(managed(), { url: 'https://graph.microsoft.com/v1.0/security/incidents' }));
		expect(viaHttpRequestNode?.message).toMatch(/N8N_DEFENDER_SYSTEM_IDENTITY_ACCESS_ENABLED=true/);
		expect(env.emulator.hostIdentityRequests()).toEqual([]);
	});

	it('with the variable: Custom Endpoints (Graph URL on another host) are refused; the HTTP Request node gets a token only for the cloud\'s own hosts', async () => {
		setEnv({ N8N_DEFENDER_SYSTEM_IDENTITY_ACCESS_ENABLED: 'true' });
		const credentialType = new Microsoft365DefenderApi();
		const custom = { ...aimedAtHostile(managed()), graphUrl: 'https://management.azure.com' };
		expect((await failure(getAccessToken(custom, 'graph')))?.message).toMatch(/Custom Endpoints cannot be used/);
		expect((await failure(credentialType.authenticate(custom, listKeys('https://management.azure.com'))))?.message).toMatch(/Custom Endpoints cannot be used/);
		for (const origin of ['https://management.azure.com', hostile.url]) {
			expect((await failure(credentialType.authenticate(managed(), listKeys(origin))))?.message).toMatch(/only sends its token to https:\/\/graph\.microsoft\.com/);
		}
		expect(env.emulator.hostIdentityRequests()).toEqual([]);

		const signed = await credentialType.authenticate(managed(), { url: 'https://graph.microsoft.com/v1.0/security/incidents' });
		expect(claimsOf(String(signed.headers?.Authorization).replace(/^Bearer /, ''))).toMatchObject({ aud: 'https://graph.microsoft.com' });
		await getAccessToken(managed(), 'mde');
		expect(env.emulator.hostIdentityRequests().map((request) => [request.resource, request.status])).toEqual([
			['https://graph.microsoft.com', 200],
			['https://api.securitycenter.microsoft.com', 200],
		]);
		expect(hostile.requests).toEqual([]);
	});
});

describe('a Federated Token File the credential names: n8n\'s file rules, one message', () => {
	const named = (file: string) =>
		microsoftCloudCredentials(env.emulator, { clientId: env.emulator.describe().identities.federation.clientId, authentication: 'workloadIdentity', workloadIdentityFile: file });
	let allowed: string;
	let outside: string;
	beforeAll(() => {
		allowed = path.join(folder, '.n8n-files');
		outside = path.join(folder, 'elsewhere');
		mkdirSync(allowed, { recursive: true });
		mkdirSync(outside, { recursive: true });
		mkdirSync(path.join(folder, '.n8n'), { recursive: true });
	});
	beforeEach(() => {
		for (const file of [path.join(allowed, 'token'), path.join(outside, 'token'), path.join(folder, '.n8n', 'config')]) {
			writeFileSync(file, env.emulator.issueFederatedToken());
		}
		rmSync(path.join(allowed, 'link'), { force: true });
		symlinkSync(path.join(outside, 'token'), path.join(allowed, 'link'));
		writeFileSync(path.join(allowed, 'not-a-jwt'), 'root:x:0:0:secret-looking-content');
	});

	it('n8n\'s default folder (~/.n8n-files) applies when N8N_RESTRICT_FILE_ACCESS_TO is unset; ~ is the home folder', async () => {
		await expect(getAccessToken(named('~/.n8n-files/token'), 'graph')).resolves.toEqual(expect.any(String));
		await expect(getAccessToken(named(path.join(allowed, 'token')), 'graph', { forceRefresh: true })).resolves.toEqual(expect.any(String));
		expect(connectTargets()).toEqual(['login.microsoftonline.com:443', 'login.microsoftonline.com:443']);
	});

	it('a symlink, ~, an unset variable, a path outside the folder, n8n\'s own files, a missing file and a non-JWT: one message, nothing sent', async () => {
		const attempts: Array<[string, Record<string, string | undefined>]> = [
			[path.join(outside, 'token'), {}],
			[path.join(allowed, 'link'), {}],
			['~/elsewhere/token', {}],
			[path.join(outside, 'token'), { N8N_RESTRICT_FILE_ACCESS_TO: allowed }],
			['~/.n8n/config', { N8N_RESTRICT_FILE_ACCESS_TO: '' }],
			[path.join(allowed, 'missing'), {}],
			[path.join(allowed, 'not-a-jwt'), {}],
		];
		const messages = new Set<string>();
		for (const [file, variables] of attempts) {
			setEnv({ N8N_RESTRICT_FILE_ACCESS_TO: undefined, ...variables });
			const error = await failure(getAccessToken(named(file), 'graph', { forceRefresh: true }));
			expect(error).toBeDefined();
			messages.add(String(error?.message));
		}
		expect([...messages]).toEqual([expect.stringMatching(/^The Federated Token File cannot be used: it is missing or unreadable, lies outside the folders n8n lets workflows read/)]);
		expect([...messages][0]).not.toContain('secret-looking-content');
		expect(connectTargets()).toEqual([]);
	});

	it('a token file\'s content never goes to a custom login host', async () => {
		const error = await failure(getAccessToken(aimedAtHostile(named(path.join(allowed, 'token'))), 'graph'));
		expect(error?.message).toMatch(/only with Microsoft's clouds/);
		expect(hostile.requests).toEqual([]);
	});
});
