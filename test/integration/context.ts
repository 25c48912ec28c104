import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { resetProcessState } from '../../nodes/Microsoft365Defender/runtime';
import { startEmulator, type Emulator, type EmulatorOptions } from '../emulator';

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
