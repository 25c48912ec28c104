import type { INodeParameters } from 'n8n-workflow';

import type { Emulator } from '../../emulator';
import { credentialsFor, useEmulator } from '../context';
import { runNode } from '../harness';

/** An emulator whose credentials also carry its Cloud Apps API URL (as the portal's About page gives it, with /api). */
export function useCloudAppsEmulator() {
	const env = useEmulator();
	const context = env as typeof env & { run: typeof run };
	beforeAll(() => {
		const { emulator } = env;
		env.credentials.full = credentialsFor(emulator, emulator.apps.full, { cloudAppsUrl: `${emulator.cloudAppsUrl}/api` });
		env.credentials.readOnly = credentialsFor(emulator, emulator.apps.readOnly, { cloudAppsUrl: `${emulator.cloudAppsUrl}/api` });
	});
	function run(resource: string, parameters: INodeParameters, options: { credentialId?: string; continueOnFail?: boolean; input?: Array<Record<string, string>>; typeVersion?: number } = {}) {
		return runNode({ resource, ...parameters }, { credentials: env.credentials, ...options });
	}
	context.run = run;
	return context;
}

/** The Cloud Apps API calls the emulator received (token requests excluded). */
export function cloudAppsCalls(emulator: Emulator) {
	return emulator.requestLog({ api: 'cloudApps' });
}
