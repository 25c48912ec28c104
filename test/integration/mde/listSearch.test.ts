import type { IHttpRequestOptions, ILoadOptionsFunctions, INode } from 'n8n-workflow';

import {
	searchDevices,
	searchInvestigations,
	searchMachineActions,
	searchRecommendations,
	searchRemediationActivities,
	searchSoftware,
	searchVulnerabilities,
} from '../../../nodes/Microsoft365Defender/methods/listSearch';
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

describe('list searches of vulnerability management, investigations and remediation activities', () => {
	it('lists CVEs, software, recommendations, investigations and remediation activities, narrowed by the search text', async () => {
		const context = loadOptionsContext();
		const { results: cves } = await searchVulnerabilities.call(context, 'cve-2024-21412');
		expect(cves).toEqual([{ name: expect.stringMatching(/^CVE-2024-21412 \(High, CVSS 8\.1, \d+ devices\)$/), value: 'CVE-2024-21412' }]);
		const { results: software } = await searchSoftware.call(context, 'chrome');
		expect(software.map((result) => result.value)).toEqual(['google-_-chrome']);
		const { results: recommendations } = await searchRecommendations.call(context, 'defender antivirus');
		expect(recommendations.map((result) => result.value)).toEqual(['scid-2011']);
		const { results: investigations } = await searchInvestigations.call(context);
		expect(investigations.length).toBeGreaterThan(0);
		expect(investigations[0].name).toMatch(/^\d+ on \S+: \w+ \(\d{4}-\d{2}-\d{2} \d{2}:\d{2}\)$/);
		const { results: tasks } = await searchRemediationActivities.call(context, 'update chrome');
		expect(tasks).toEqual([{ name: expect.stringMatching(/^Update chrome \((Active|Completed), due \d{4}-\d{2}-\d{2}\)$/), value: expect.stringMatching(/^[0-9a-f-]{36}$/) }]);
		expect(env.emulator.requestLog({ api: 'mde' }).map((call) => call.path.split('?')[0])).toEqual([
			'/api/vulnerabilities',
			'/api/software',
			'/api/recommendations',
			'/api/investigations',
			'/api/remediationTasks',
		]);
	});
});
