import type { INodeParameters } from 'n8n-workflow';

import { useEmulator } from '../context';
import { runNode } from '../harness';
import { mdeCalls, UNKNOWN_MACHINE, windowsMachine } from './helpers';

const env = useEmulator();

const run = (parameters: INodeParameters, options: { credentialId?: string; continueOnFail?: boolean; input?: Array<Record<string, string>> } = {}) =>
	runNode({ resource: 'customApiCall', operation: 'request', ...parameters }, { credentials: env.credentials, ...options });

describe('Custom API Call', () => {
	it('GETs a Defender for Endpoint path with query parameters and returns the response', async () => {
		const { items, error } = await run({
			api: 'mde',
			method: 'GET',
			path: "/api/machines?$filter=healthStatus eq 'Active'",
			queryParameters: { parameter: [{ name: '$top', value: '2' }] },
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		expect(items[0].json['@odata.context']).toContain('#Machines');
		expect(items[0].json.value).toHaveLength(2);
		expect(decodeURIComponent(mdeCalls(env.emulator)[0].path)).toBe("/api/machines?$filter=healthStatus eq 'Active'&$top=2");
	});

	it('follows next links up to a limit, or splits one page into items', async () => {
		const { items } = await run({ api: 'mde', method: 'GET', path: '/api/machines', queryParameters: { parameter: [{ name: '$top', value: '5' }] }, options: { followNextLink: true, limit: 12 } });
		expect(items).toHaveLength(12);
		expect(mdeCalls(env.emulator)).toHaveLength(3);
		const { items: split } = await run({ api: 'mde', method: 'GET', path: '/api/machines?$top=4', options: { splitValue: true } });
		expect(split.map((item) => item.json.id)).toEqual(env.emulator.store.machines.slice(0, 4).map((machine) => machine.id));
	});

	it('POSTs a JSON body (a response action) and sends it once', async () => {
		const machine = windowsMachine(env.emulator);
		const { items, error } = await run({ api: 'mde', method: 'POST', path: `/api/machines/${machine.id}/isolate`, body: '{"Comment":"via custom call","IsolationType":"Full"}' });
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ type: 'Isolate', status: 'Pending', requestorComment: 'via custom call' });
		env.emulator.injectFaults('mde', { failNext: 1, status: 502 });
		const { error: badGateway } = await run({ api: 'mde', method: 'POST', path: `/api/machines/${windowsMachine(env.emulator, 1).id}/isolate`, body: '{"Comment":"x"}' });
		expect(badGateway?.message).toMatch(/^BadGateway/);
		env.emulator.injectFaults('mde', { failNext: 1, status: 502 });
		const { error: retried } = await run({
			api: 'mde',
			method: 'POST',
			path: '/api/indicators',
			body: { indicatorValue: 'contoso-payroll.top', indicatorType: 'DomainName', action: 'Block', title: 't', description: 'd' },
			options: { safeToRetry: true },
		});
		expect(retried).toBeUndefined();
	});

	it('calls Microsoft Graph with the Graph token, and answers an empty 204 with success', async () => {
		const { items, error } = await run({ api: 'graph', method: 'GET', path: '/v1.0/security/incidents', queryParameters: { parameter: [{ name: '$top', value: '3' }] }, options: { splitValue: true } });
		expect(error).toBeUndefined();
		expect(items).toHaveLength(3);
		expect(env.emulator.requestLog({ api: 'graph' })[0].audience).toBe(env.emulator.graphUrl);
		const created = await run({ api: 'mde', method: 'POST', path: '/api/indicators', body: '{"indicatorValue":"185.220.101.45","indicatorType":"IpAddress","action":"Block","title":"t","description":"d"}' });
		const { items: deleted } = await run({ api: 'mde', method: 'DELETE', path: `/api/indicators/${String(created.items[0].json.id)}` });
		expect(deleted[0].json).toEqual({ success: true });
	});

	it('keeps the path below the API and checks the body before calling', async () => {
		const cases: Array<[INodeParameters, RegExp]> = [
			[{ api: 'mde', path: 'https://evil.example/api/machines' }, /is a full URL/],
			[{ api: 'mde', path: '//evil.example/api/machines' }, /is a full URL/],
			[{ api: 'mde', path: '/v1.0/security/incidents' }, /does not start with \/api\//],
			[{ api: 'graph', path: '/security/incidents' }, /does not start with the Graph version/],
			[{ api: 'mde', path: '/api/../admin' }, /"\." or "\.\." segments/],
			[{ api: 'mde', path: '/api/machines list' }, /contains spaces/],
			[{ api: 'mde', method: 'POST', path: '/api/indicators', body: '{"broken":' }, /^Body is not valid JSON/],
		];
		for (const [parameters, message] of cases) {
			const { error } = await run({ method: 'GET', ...parameters });
			expect(error?.message).toMatch(message);
		}
		expect(mdeCalls(env.emulator)).toHaveLength(0);
	});

	it("reports Microsoft's errors with their code, the permission given, waits out a 429, continues on fail", async () => {
		const { error: notFound } = await run({ api: 'mde', method: 'GET', path: `/api/machines/${UNKNOWN_MACHINE}` });
		expect(notFound?.message).toBe(`ResourceNotFound: Machine ${UNKNOWN_MACHINE} was not found`);
		const { error: forbidden } = await run({ api: 'mde', method: 'GET', path: '/api/indicators', options: { permission: 'Ti.ReadWrite.All' } }, { credentialId: 'readOnly' });
		expect(forbidden?.description).toContain('"Ti.ReadWrite.All"');
		env.emulator.setThrottle('mde', { next429: 1, retryAfterSeconds: 0 });
		const { error } = await run({ api: 'mde', method: 'GET', path: '/api/machines?$top=1' });
		expect(error).toBeUndefined();
		const { items } = await run({ api: 'mde', method: 'GET', path: '={{ $json.path }}' }, { continueOnFail: true, input: [{ path: '/api/machines?$top=1' }, { path: 'nope' }] });
		expect(items[0].json.value).toHaveLength(1);
		expect(items[1].json.error).toMatch(/must start with "\/"/);
	});
});
