import type { Emulator } from '../../emulator';
import { expectGraphError, getToken, graph, postToken, requestJson, startTestEmulator } from './helpers';

let emulator: Emulator;
let token: string;

beforeAll(async () => {
	emulator = await startTestEmulator();
	token = await getToken(emulator, emulator.apps.full);
});

afterAll(async () => {
	await emulator.close();
});

beforeEach(() => {
	emulator.reset();
	emulator.clearRequestLog();
});

const incidents = () => graph(emulator, token, '/v1.0/security/incidents?$top=1');

describe('throttling', () => {
	it('next429 forces 429 with Retry-After and the Graph TooManyRequests body, then recovers', async () => {
		emulator.setThrottle('graph', { next429: 2, retryAfterSeconds: 7 });
		for (let attempt = 0; attempt < 2; attempt++) {
			const response = await incidents();
			expectGraphError(response, 429, 'TooManyRequests');
			expect(response.headers.get('retry-after')).toBe('7');
		}
		expect((await incidents()).status).toBe(200);
		const log = emulator.requestLog({ api: 'graph' });
		expect(log.map((entry) => entry.status)).toEqual([429, 429, 200]);
		expect(log[0].throttled).toBe(true);
	});

	it('flags calls made before Retry-After elapsed as early', async () => {
		emulator.setThrottle('graph', { next429: 1, retryAfterSeconds: 30 });
		expect((await incidents()).status).toBe(429);
		expect((await incidents()).status).toBe(200);
		expect(emulator.earlyCallCount('graph')).toBe(1);
		expect(emulator.requestLog({ api: 'graph' })[1].early).toBe(true);

		emulator.setClockOffset(31_000);
		emulator.setThrottle('graph', { next429: 1, retryAfterSeconds: 1 });
		expect((await incidents()).status).toBe(429);
		emulator.setClockOffset(32_500);
		expect((await incidents()).status).toBe(200);
		expect(emulator.earlyCallCount('graph')).toBe(1);
	});

	it('enforces a per-minute budget per app with a Retry-After until the window has room', async () => {
		emulator.setThrottle('graph', { limitPerMinute: 3 });
		const statuses = [];
		for (let attempt = 0; attempt < 4; attempt++) statuses.push((await incidents()).status);
		expect(statuses).toEqual([200, 200, 200, 429]);
		const throttled = await incidents();
		expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(50);

		const otherApp = await getToken(emulator, emulator.apps.readOnly);
		expect((await graph(emulator, otherApp, '/v1.0/security/incidents?$top=1')).status).toBe(200);

		emulator.setClockOffset(61_000);
		expect((await incidents()).status).toBe(200);
	});

	it('documented budgets apply only with strictLimits', async () => {
		const strict = await startTestEmulator({ strictLimits: true });
		try {
			const strictToken = await getToken(strict, strict.apps.full);
			const hunt = () => graph(strict, strictToken, '/v1.0/security/runHuntingQuery', { method: 'POST', body: { Query: 'DeviceInfo | take 1' } });
			const statuses: number[] = [];
			for (let attempt = 0; attempt < 46; attempt++) statuses.push((await hunt()).status);
			expect(statuses.filter((status) => status === 200)).toHaveLength(45);
			expect(statuses[45]).toBe(429);
		} finally {
			await strict.close();
		}
	});

	it('throttles the token endpoint with an Entra-shaped 429', async () => {
		emulator.setThrottle('token', { next429: 1, retryAfterSeconds: 2 });
		const response = await postToken(emulator, {
			client_id: emulator.apps.full.clientId,
			client_secret: emulator.apps.full.clientSecret as string,
			grant_type: 'client_credentials',
			scope: `${emulator.graphUrl}/.default`,
		});
		expect(response.status).toBe(429);
		expect(response.headers.get('retry-after')).toBe('2');
		expect(response.body.error).toBe('temporarily_unavailable');
	});
});

describe('faults and latency', () => {
	it('fails the next n requests with the requested status in the API shape', async () => {
		emulator.injectFaults('graph', { failNext: 2, status: 503 });
		expectGraphError(await incidents(), 503, 'ServiceUnavailable');
		expectGraphError(await incidents(), 503, 'ServiceUnavailable');
		expect((await incidents()).status).toBe(200);
		expect(emulator.requestLog({ api: 'graph' }).map((entry) => entry.fault)).toEqual(['status', 'status', undefined]);
	});

	it('destroys the socket when reset is requested', async () => {
		emulator.injectFaults('graph', { failNext: 1, reset: true });
		await expect(incidents()).rejects.toThrow();
		expect((await incidents()).status).toBe(200);
		expect(emulator.requestLog({ api: 'graph' })[0]).toMatchObject({ fault: 'reset', status: 0 });
	});

	it('adds latency per bucket', async () => {
		emulator.injectFaults('graph', { latencyMs: 150 });
		const started = Date.now();
		await incidents();
		expect(Date.now() - started).toBeGreaterThanOrEqual(140);
	});

	it('hunting faults do not affect other Graph routes', async () => {
		emulator.injectFaults('hunting', { failNext: 1, status: 504 });
		expect((await incidents()).status).toBe(200);
		const hunt = await graph(emulator, token, '/v1.0/security/runHuntingQuery', { method: 'POST', body: { Query: 'DeviceInfo | take 1' } });
		expectGraphError(hunt, 504, 'GatewayTimeout');
	});
});

describe('admin HTTP API', () => {
	const admin = (path: string, method = 'GET', body?: unknown) =>
		requestJson(`${emulator.adminUrl}${path}`, { method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined });

	it('drives throttling, faults, incidents, apps, clock, request log and reset', async () => {
		expect((await admin('/throttle', 'PUT', { api: 'graph', next429: 1, retryAfterSeconds: 3 })).status).toBe(200);
		expect((await incidents()).status).toBe(429);
		expect((await admin('/faults', 'PUT', { api: 'graph', failNext: 1, status: 502 })).status).toBe(204);
		expect((await incidents()).status).toBe(502);
		expect((await admin('/throttle', 'PUT', { api: 'nope' })).status).toBe(400);

		const created = await admin('/incidents', 'POST', { displayName: 'Injected', severity: 'high', createdDateTime: '2020-01-01T00:00:00Z', alerts: [{ title: 'Injected alert' }] });
		expect(created.status).toBe(201);
		const id = created.body.incident.id as string;
		const patched = await admin(`/incidents/${id}`, 'PATCH', { status: 'resolved' });
		expect(patched.body.status).toBe('resolved');
		expect((await admin('/incidents/999999', 'PATCH', { status: 'resolved' })).status).toBe(404);

		const app = await admin('/apps', 'POST', { clientId: '11111111-2222-3333-4444-555555555555', secrets: [{ value: 's3cret' }], roles: { graph: ['SecurityIncident.Read.All'] } });
		expect(app.status).toBe(200);
		const newToken = await getToken(emulator, { ...emulator.apps.full, clientId: '11111111-2222-3333-4444-555555555555', clientSecret: 's3cret' });
		expect((await graph(emulator, newToken, `/v1.0/security/incidents/${id}`)).status).toBe(200);

		const clock = await admin('/clock', 'PUT', { offsetMs: 3_600_000 });
		expect(Date.parse(clock.body.now)).toBeGreaterThan(Date.now() + 3_500_000);

		const log = await admin('/requests');
		expect(log.body.value.every((entry: { api: string }) => entry.api !== 'admin')).toBe(true);
		expect(log.body.value.some((entry: { api: string }) => entry.api === 'graph')).toBe(true);
		const withAdmin = await admin('/requests?includeAdmin=true');
		expect(withAdmin.body.value.some((entry: { api: string }) => entry.api === 'admin')).toBe(true);
		expect((await admin('/requests', 'DELETE')).status).toBe(204);

		expect((await admin('/reset', 'POST')).status).toBe(204);
		expect(emulator.store.getIncident(id)).toBeUndefined();
		expect(emulator.now().getTime()).toBeLessThan(Date.now() + 1000);
		const state = await admin('/state');
		expect(state.body).toMatchObject({ graphUrl: emulator.graphUrl, tenantId: emulator.tenantId, apps: { full: { clientId: emulator.apps.full.clientId } } });
	});
});
