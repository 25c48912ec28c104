import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { resetProcessState } from '../../nodes/Microsoft365Defender/runtime';
import { startEmulator, type Emulator, type EmulatorOptions } from '../emulator';
import { startTestProxy, type TestProxy } from '../emulator/proxy';

export interface AppCredentials {
	clientId: string;
	clientSecret?: string;
}

/** Credential data for the node, pointing at the emulator, for one of its apps. */
export function credentialsFor(
	emulator: Emulator,
	app: AppCredentials,
	extra: ICredentialDataDecryptedObject = {},
): ICredentialDataDecryptedObject {
	return {
		environment: 'custom',
		loginHost: emulator.loginHost,
		graphUrl: emulator.graphUrl,
		mdeUrl: emulator.mdeUrl,
		tenantId: emulator.tenantId,
		clientId: app.clientId,
		authentication: 'clientSecret',
		clientSecret: app.clientSecret ?? '',
		rateLimits: 'off',
		...extra,
	};
}

/**
 * Starts an emulator for the test file and gives each test fresh state: the emulator's data
 * and log are reset and the node's process-wide token cache and rate budgets are dropped, so
 * every test counts its own token requests and throttling.
 */
export function useEmulator(options: EmulatorOptions = {}) {
	const context = {} as {
		emulator: Emulator;
		credentials: Record<string, ICredentialDataDecryptedObject>;
	};
	beforeAll(async () => {
		context.emulator = await startEmulator(options);
		const { apps } = context.emulator;
		context.credentials = {
			full: credentialsFor(context.emulator, apps.full),
			readOnly: credentialsFor(context.emulator, apps.readOnly),
			expiredSecret: credentialsFor(context.emulator, apps.expiredSecret),
			wrongSecret: credentialsFor(context.emulator, { clientId: apps.full.clientId, clientSecret: 'not-the-secret' }),
		};
	});
	beforeEach(() => {
		context.emulator.reset();
		resetProcessState();
	});
	afterAll(async () => {
		await context.emulator?.close();
	});
	return context;
}

/** Environment variables a test sets for its file and puts back afterwards. */
export function useProcessEnv(names: string[]) {
	const saved = new Map<string, string | undefined>();
	beforeAll(() => {
		for (const name of names) saved.set(name, process.env[name]);
	});
	afterAll(() => {
		for (const [name, value] of saved) {
			if (value === undefined) delete process.env[name];
			else process.env[name] = value;
		}
	});
	return (values: Record<string, string | undefined>) => {
		for (const [name, value] of Object.entries(values)) {
			if (value === undefined) delete process.env[name];
			else process.env[name] = value;
		}
	};
}

/**
 * Microsoft's login host, played by the emulator (its certificate names login.microsoftonline.com):
 * the token client's proxy (HTTPS_PROXY, as n8n reads it) tunnels that host to the emulator and
 * refuses every other one, so a credential set to Microsoft's global cloud reaches nothing real.
 * Local hosts (the emulator's own URLs, a test's hostile server) are reached directly.
 */
export function useMicrosoftStandIn(context: { emulator: Emulator }) {
	const standIn = {} as { proxy: TestProxy };
	const setEnv = useProcessEnv(['HTTPS_PROXY', 'https_proxy', 'ALL_PROXY', 'all_proxy', 'NO_PROXY', 'no_proxy']);
	beforeAll(async () => {
		const login = new URL(context.emulator.loginUrl);
		standIn.proxy = await startTestProxy({ routes: { 'login.microsoftonline.com:443': `127.0.0.1:${login.port}` }, refuseUnrouted: true });
		setEnv({ HTTPS_PROXY: standIn.proxy.url, https_proxy: undefined, ALL_PROXY: undefined, all_proxy: undefined, NO_PROXY: 'localhost,127.0.0.1', no_proxy: undefined });
	});
	beforeEach(() => standIn.proxy.clear());
	afterAll(async () => {
		await standIn.proxy?.close();
	});
	return standIn;
}

/** Credential data for Microsoft's global cloud (whose login host useMicrosoftStandIn plays). */
export function microsoftCloudCredentials(emulator: Emulator, extra: ICredentialDataDecryptedObject): ICredentialDataDecryptedObject {
	return { environment: 'global', tenantId: emulator.tenantId, clientId: '', clientSecret: '', rateLimits: 'off', ...extra };
}
