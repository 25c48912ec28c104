import type { IHttpRequestOptions, ILoadOptionsFunctions, INode } from 'n8n-workflow';

import { searchDevices, searchMachineActions } from '../../../nodes/Microsoft365Defender/methods/listSearch';
import { useEmulator } from '../context';
import { byId, runNode } from '../harness';
import { windowsMachine } from './helpers';

const env = useEmulator();

/** The bits of n8n's load-options context the list searches use, with real HTTPS to the emulator. */
function loadOptionsContext(): ILoadOptionsFunctions {
	const node = { name: 'Defender', type: 'n8n-nodes-microsoft-365-defender.microsoft365Defender', typeVersion: 1, position: [0, 0], parameters: {} } as unknown as INode;
	return {
		getNode: () => node,
		getCredentials: async () => env.credentials.full,
		logger: { info: () => {}, debug: () => {}, warn: () => {}, error: () => {} },
		helpers: {
			httpRequest: async (options: IHttpRequestOptions) => {
				const response = await fetch(String(options.url), {
					method: options.method ?? 'GET',
					headers: options.headers as Record<string, string>,
					body: options.body === undefined ? undefined : JSON.stringify(options.body),
				});
				// As n8n's helper does for encoding 'arraybuffer': the raw bytes, parsed by the transport.
				expect(options.encoding).toBe('arraybuffer');
				return { statusCode: response.status, headers: Object.fromEntries(response.headers), body: Buffer.from(await response.arrayBuffer()) };
			},
		},
	} as unknown as ILoadOptionsFunctions;
}

describe('list searches', () => {
	it('searches devices by name prefix and links each to its portal page', async () => {
		const machine = windowsMachine(env.emulator);
		const prefix = machine.computerDnsName.slice(0, 8);
		const { results } = await searchDevices.call(loadOptionsContext(), prefix.toUpperCase());
		expect(results.length).toBe(env.emulator.store.machines.filter((candidate) => candidate.computerDnsName.startsWith(prefix)).length);
		expect(results).toContainEqual({
			name: `${machine.computerDnsName} (${machine.osPlatform}, ${machine.healthStatus})`,
			value: machine.id,
			url: `https://security.microsoft.com/machines/v2/${machine.id}/overview`,
		});
		const all = await searchDevices.call(loadOptionsContext());
		expect(all.results).toHaveLength(env.emulator.store.machines.length);
	});

	it('lists machine actions with type, device and status', async () => {
		env.emulator.mde.setMachineActionBehaviour({ pendingMs: null });
		const machine = windowsMachine(env.emulator);
		const context = loadOptionsContext();
		const { results: none } = await searchMachineActions.call(context);
		expect(none).toEqual([]);
		await runNode({ resource: 'responseAction', operation: 'isolate', deviceId: byId(machine.id), comment: 'x' }, { credentials: env.credentials });
		const { results } = await searchMachineActions.call(context, 'isolate');
		expect(results).toHaveLength(1);
		expect(results[0].name).toMatch(new RegExp(`^Isolate on ${machine.computerDnsName.replace(/\./g, '\\.')}: Pending \\(\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}\\)$`));
	});
});
