import { useEmulator } from '../context';
import { byId, runNode } from '../harness';

const env = useEmulator({ incidentCount: 200 });

const ids = () => env.emulator.store.listIncidents().map((incident) => incident.id);
const tokenRequests = () => env.emulator.requestLog({ api: 'token' });
const graphHttpCalls = () => env.emulator.requestLog({ api: 'graph' }).filter((entry) => !entry.viaBatch);

describe('transport against the emulator', () => {
	it('a 200-item workflow asks for one Graph token and sends its gets in $batch calls of 20', async () => {
		const input = ids().map((id) => ({ id }));
		const { items, error } = await runNode(
			{ resource: 'incident', operation: 'get', incidentId: byId('={{ $json.id }}') },
			{ credentials: env.credentials, input },
		);
		expect(error).toBeUndefined();
		expect(items.map((item) => item.json.id)).toEqual(input.map((item) => item.id));
		expect(items.map((item) => (item.pairedItem as { item: number }).item)).toEqual(input.map((_, index) => index));
		expect(tokenRequests()).toHaveLength(1);
		expect(tokenRequests()[0].audience).toBe(env.emulator.graphUrl);
		expect(graphHttpCalls()).toHaveLength(10);
		expect(graphHttpCalls().every((entry) => entry.path === '/v1.0/$batch')).toBe(true);
	});

	it('a second execution reuses the cached token', async () => {
		for (let run = 0; run < 2; run++) {
			await runNode({ resource: 'incident', operation: 'getAll', limit: 1 }, { credentials: env.credentials });
		}
		expect(tokenRequests()).toHaveLength(1);
	});

	it('waits Retry-After on 429 and succeeds, without calling early', async () => {
		env.emulator.setThrottle('graph', { next429: 1, retryAfterSeconds: 2 });
		const started = Date.now();
		const { items, error } = await runNode(
			{ resource: 'incident', operation: 'getAll', limit: 5 },
			{ credentials: env.credentials },
		);
		expect(error).toBeUndefined();
		expect(items).toHaveLength(5);
		expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
		const calls = graphHttpCalls();
		expect(calls.map((entry) => entry.status)).toEqual([429, 200]);
		expect(env.emulator.earlyCallCount('graph')).toBe(0);
	});

	it('retries only the throttled requests of a batch', async () => {
		const input = ids().slice(0, 20).map((id) => ({ id }));
		env.emulator.setThrottle('graph', { next429: 3, retryAfterSeconds: 1 });
		const { items, error } = await runNode(
			{ resource: 'incident', operation: 'get', incidentId: byId('={{ $json.id }}') },
			{ credentials: env.credentials, input },
		);
		expect(error).toBeUndefined();
		expect(items.map((item) => item.json.id)).toEqual(input.map((item) => item.id));
		const subRequests = env.emulator.requestLog({ api: 'graph' }).filter((entry) => entry.viaBatch);
		expect(subRequests.filter((entry) => entry.status === 429)).toHaveLength(3);
		expect(subRequests.filter((entry) => entry.status === 200)).toHaveLength(20);
		expect(env.emulator.earlyCallCount('graph')).toBe(0);
	});

	it('retries a 503 and a reset connection on reads', async () => {
		env.emulator.injectFaults('graph', { failNext: 1, status: 503 });
		const first = await runNode({ resource: 'incident', operation: 'getAll', limit: 2 }, { credentials: env.credentials });
		expect(first.error).toBeUndefined();
		env.emulator.injectFaults('graph', { failNext: 1, reset: true });
		const second = await runNode({ resource: 'incident', operation: 'getAll', limit: 2 }, { credentials: env.credentials });
		expect(second.error).toBeUndefined();
		expect(second.items).toHaveLength(2);
	});

	it('counts throttling and server errors apart: 429s after 503s do not use up the 5xx retries', async () => {
		// Faults come before throttling in the emulator's pipeline: three 503s, then six 429s.
		env.emulator.injectFaults('graph', { failNext: 3, status: 503 });
		env.emulator.setThrottle('graph', { next429: 6, retryAfterSeconds: 0 });
		const { items, error } = await runNode({ resource: 'incident', operation: 'getAll', limit: 1 }, { credentials: env.credentials });
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		expect(graphHttpCalls().map((entry) => entry.status)).toEqual([503, 503, 503, 429, 429, 429, 429, 429, 429, 200]);
	});

	it('does not repeat a comment after a reset connection, and says why', async () => {
		const id = ids()[0];
		env.emulator.injectFaults('graph', { failNext: 1, reset: true });
		const { error } = await runNode(
			{ resource: 'incident', operation: 'addComment', incidentId: byId(id), comment: 'once only' },
			{ credentials: env.credentials },
		);
		expect(error?.description).toMatch(/was not repeated/);
		expect(graphHttpCalls()).toHaveLength(1);
	});

	it('renews the token once when the API rejects it', async () => {
		await runNode({ resource: 'incident', operation: 'getAll', limit: 1 }, { credentials: env.credentials });
		env.emulator.setClockOffset(3700 * 1000);
		const { error } = await runNode({ resource: 'incident', operation: 'getAll', limit: 1 }, { credentials: env.credentials });
		expect(error).toBeUndefined();
		expect(tokenRequests()).toHaveLength(2);
		expect(graphHttpCalls().map((entry) => entry.status)).toEqual([200, 401, 200]);
	});
});
