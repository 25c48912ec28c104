import type { ICredentialDataDecryptedObject, IHttpRequestOptions, ILoadOptionsFunctions, INode } from 'n8n-workflow';

import {
	searchCloudAppsAlerts,
	searchDevices,
	searchInvestigations,
	searchMachineActions,
	searchRecommendations,
	searchRemediationActivities,
	searchSoftware,
	searchVulnerabilities,
} from '../../../nodes/Microsoft365Defender/methods/listSearch';
import { credentialsFor, useEmulator } from '../context';
import { byId, runNode } from '../harness';
import { windowsMachine } from './helpers';

const env = useEmulator();

/** The bits of n8n's load-options context the list searches use, with real HTTPS to the emulator. */
function loadOptionsContext(credentials?: ICredentialDataDecryptedObject): ILoadOptionsFunctions {
	const node = { name: 'Defender', type: 'n8n-nodes-microsoft-365-defender.microsoft365Defender', typeVersion: 1, position: [0, 0], parameters: {} } as unknown as INode;
	return {
		getNode: () => node,
		getCredentials: async () => credentials ?? env.credentials.full,
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

describe('list search of Defender for Cloud Apps alerts', () => {
	it('lists open alerts newest first, 100 a page with the next skip as token, narrowed by the search text, linked to Cloud Apps', async () => {
		const { emulator } = env;
		const context = loadOptionsContext(credentialsFor(emulator, emulator.apps.full, { cloudAppsUrl: `${emulator.cloudAppsUrl}/api` }));
		emulator.cloudApps.addAlerts(120, { title: 'Unusual file share activity', timestamp: emulator.now().getTime() - 60_000 });
		const open = emulator.cloudApps.state().alerts.filter((alert) => alert.resolutionStatusValue === 0);
		const first = await searchCloudAppsAlerts.call(context);
		expect(first.results).toHaveLength(100);
		expect(first.paginationToken).toBe('100');
		const second = await searchCloudAppsAlerts.call(context, undefined, first.paginationToken);
		expect(second.results).toHaveLength(open.length - 100);
		expect(second.paginationToken).toBeUndefined();
		// The search text narrows each page (the alert filters have no text search); the editor loads the next page on scroll.
		const searched = await searchCloudAppsAlerts.call(context, 'mass download');
		expect(searched).toEqual({ results: [], paginationToken: '100' });
		const { results } = await searchCloudAppsAlerts.call(context, 'mass download', searched.paginationToken);
		const seeded = emulator.cloudApps.state().alerts[0];
		expect(results).toEqual([{ name: `Mass download by a single user (high, ${new Date(seeded.timestamp).toISOString()})`, value: seeded._id, url: seeded.URL }]);
	});
});
