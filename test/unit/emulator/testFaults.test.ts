import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Socket } from 'node:net';
import type { Emulator } from '../../emulator';
import { startTestProxy } from '../../emulator/proxy';
import type { TestProxy } from '../../emulator/proxy';
import { startRecordingServer } from '../../emulator/recorder';
import { expectGraphError, getToken, graph, requestJson, startTestEmulator } from './helpers';

let emulator: Emulator;
let graphToken: string;
let mdeToken: string;

beforeAll(async () => {
	emulator = await startTestEmulator();
	graphToken = await getToken(emulator, emulator.apps.full);
	mdeToken = await getToken(emulator, emulator.apps.full, emulator.mdeUrl);
});

afterAll(async () => {
	await emulator.close();
});

beforeEach(() => {
	emulator.reset();
	emulator.clearRequestLog();
});

interface RawResponse {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	text: string;
}

/** node:https without redirects or keep-alive, so a redirect or a dropped socket is seen as is. */
function rawHttps(url: string, init: { method?: string; headers?: Record<string, string>; body?: string; socket?: Socket } = {}): Promise<RawResponse> {
	return new Promise((resolve, reject) => {
		const target = new URL(url);
		const request = httpsRequest(
			{
				method: init.method ?? 'GET',
				hostname: target.hostname,
				port: target.port,
				path: `${target.pathname}${target.search}`,
				headers: init.headers,
				ca: emulator.caCertPem,
				agent: false,
				...(init.socket ? { createConnection: () => init.socket as Socket } : {}),
			},
			(response) => {
				let text = '';
				response.setEncoding('utf8');
				response.on('data', (chunk: string) => (text += chunk));
				response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, text }));
			},
		);
		request.on('error', reject);
		request.end(init.body);
	});
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function deletableIndicatorId(): Promise<string> {
	emulator.mde.addIndicators(1);
	const [indicator] = emulator.mde.indicators();
	return String(indicator.id);
}

describe('redirect fault', () => {
	it('answers 302 with Location and an empty body, without auth and without running the handler', async () => {
		const id = await deletableIndicatorId();
		emulator.injectFaults('mde', { redirectNext: 1, location: 'https://elsewhere.example/api/indicators' });
		const redirected = await rawHttps(`${emulator.mdeUrl}/api/indicators/${id}`, { method: 'DELETE' });
		expect(redirected).toMatchObject({ status: 302, text: '' });
		expect(redirected.headers.location).toBe('https://elsewhere.example/api/indicators');
		expect(emulator.mde.indicators().map((indicator) => String(indicator.id))).toContain(id);
		expect(emulator.requestLog({ api: 'mde' })[0]).toMatchObject({ fault: 'redirect', status: 302, method: 'DELETE' });

		const after = await rawHttps(`${emulator.mdeUrl}/api/indicators/${id}`, { method: 'DELETE', headers: bearer(mdeToken) });
		expect(after.status).toBe(204);
	});

	it('uses the requested status, only for the bucket it was set on', async () => {
		emulator.injectFaults('hunting', { redirectNext: 2, location: 'http://127.0.0.1:1/x', redirectStatus: 308 });
		expect((await rawHttps(`${emulator.graphUrl}/v1.0/security/incidents?$top=1`, { headers: bearer(graphToken) })).status).toBe(200);
		const hunt = () =>
			rawHttps(`${emulator.graphUrl}/v1.0/security/runHuntingQuery`, {
				method: 'POST',
				headers: { ...bearer(graphToken), 'content-type': 'application/json' },
				body: JSON.stringify({ Query: 'DeviceInfo | take 1' }),
			});
		expect((await hunt()).status).toBe(308);
		expect((await hunt()).headers.location).toBe('http://127.0.0.1:1/x');
		expect((await hunt()).status).toBe(200);
	});
});

describe('apply-then-fail fault', () => {
	it("'drop' runs the handler (the indicator is deleted) and then destroys the socket", async () => {
		const id = await deletableIndicatorId();
		emulator.injectFaults('mde', { applyThenFailNext: 1, applyThenFail: 'drop' });
		await expect(rawHttps(`${emulator.mdeUrl}/api/indicators/${id}`, { method: 'DELETE', headers: bearer(mdeToken) })).rejects.toThrow(/socket hang up/);
		expect(emulator.requestLog({ api: 'mde' })[0]).toMatchObject({ fault: 'applyThenDrop', appliedStatus: 204, status: 0 });

		const list = await rawHttps(`${emulator.mdeUrl}/api/indicators`, { headers: bearer(mdeToken) });
		expect(list.status).toBe(200);
		expect((JSON.parse(list.text).value as Array<{ id: string }>).map((indicator) => String(indicator.id))).not.toContain(id);
		expect((await rawHttps(`${emulator.mdeUrl}/api/indicators/${id}`, { method: 'DELETE', headers: bearer(mdeToken) })).status).toBe(404);
	});

	it('503 applies the PATCH and answers with the Graph 503 body', async () => {
		const { incident } = emulator.addIncident({ status: 'active' });
		emulator.injectFaults('graph', { applyThenFailNext: 1, applyThenFail: 503 });
		const patched = await graph(emulator, graphToken, `/v1.0/security/incidents/${incident.id}`, { method: 'PATCH', body: { status: 'resolved' } });
		expectGraphError(patched, 503, 'ServiceUnavailable');
		expect(emulator.requestLog({ api: 'graph' })[0]).toMatchObject({ fault: 'applyThenStatus', status: 503, appliedStatus: 200 });

		const read = await graph(emulator, graphToken, `/v1.0/security/incidents/${incident.id}`);
		expect(read.status).toBe(200);
		expect(read.body.status).toBe('resolved');
	});

	it('503 on Defender for Endpoint keeps the created machine action and uses the MDE error shape', async () => {
		emulator.injectFaults('mde', { applyThenFailNext: 1, applyThenFail: 503 });
		const machineId = emulator.store.machines[0].id;
		const response = await rawHttps(`${emulator.mdeUrl}/api/machines/${machineId}/runAntiVirusScan`, {
			method: 'POST',
			headers: { ...bearer(mdeToken), 'content-type': 'application/json' },
			body: JSON.stringify({ Comment: 'scan', ScanType: 'Quick' }),
		});
		expect(response.status).toBe(503);
		expect(JSON.parse(response.text)).toEqual({ error: { code: expect.any(String), message: expect.any(String), target: expect.any(String) } });
		expect(emulator.requestLog({ api: 'mde' })[0]).toMatchObject({ fault: 'applyThenStatus', appliedStatus: 201 });
		expect(emulator.mde.machineActions().filter((action) => action.machineId === machineId && action.type === 'RunAntiVirusScan')).toHaveLength(1);
	});
});

describe('admin validation of the new faults', () => {
	const putFaults = (body: unknown) =>
		requestJson(`${emulator.adminUrl}/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

	it.each([
		[{ api: 'graph', redirectNext: 1 }, /'location' is required/],
		[{ api: 'graph', redirectNext: 1, location: '/relative' }, /absolute http/],
		[{ api: 'graph', redirectNext: 1, location: 'ftp://example.com/x' }, /absolute http/],
		[{ api: 'graph', redirectNext: 1, location: 'https://example.com/x', redirectStatus: 304 }, /'redirectStatus' must be one of 301, 302, 303, 307, 308/],
		[{ api: 'graph', redirectNext: -1, location: 'https://example.com/x' }, /'redirectNext' must be a whole number/],
		[{ api: 'graph', applyThenFailNext: 1 }, /'applyThenFail' .* is required/],
		[{ api: 'graph', applyThenFailNext: 1, applyThenFail: 404 }, /'applyThenFail' must be 'drop' or one of 500, 502, 503, 504/],
		[{ api: 'graph', applyThenFailNext: 1, applyThenFail: 'reset' }, /'applyThenFail' must be/],
	])('rejects %j with 400', async (body, message) => {
		const response = await putFaults(body);
		expect(response.status).toBe(400);
		expect(response.body.error.code).toBe('BadRequest');
		expect(response.body.error.message).toMatch(message);
	});

	it('accepts valid bodies over HTTP and injectFaults throws on invalid ones', async () => {
		expect((await putFaults({ api: 'graph', redirectNext: 1, location: 'http://127.0.0.1:9/elsewhere', redirectStatus: 307 })).status).toBe(204);
		const redirected = await rawHttps(`${emulator.graphUrl}/v1.0/security/incidents`);
		expect(redirected.status).toBe(307);
		expect((await putFaults({ api: 'graph', applyThenFailNext: 1, applyThenFail: 'drop' })).status).toBe(204);
		await expect(rawHttps(`${emulator.graphUrl}/v1.0/security/incidents`, { headers: bearer(graphToken) })).rejects.toThrow(/socket hang up/);
		expect(() => emulator.injectFaults('graph', { redirectNext: 1, location: 'not a url' })).toThrow(/absolute http/);
	});
});

describe('test proxy', () => {
	let proxy: TestProxy;

	beforeEach(async () => {
		proxy = await startTestProxy();
	});

	afterEach(async () => {
		await proxy.close();
	});

	function connectThrough(target: string): Promise<Socket> {
		return new Promise((resolve, reject) => {
			const request = httpRequest({ host: '127.0.0.1', port: proxy.port, method: 'CONNECT', path: target, agent: false });
			request.on('connect', (response, socket) => {
				if (response.statusCode === 200) resolve(socket);
				else reject(new Error(`CONNECT answered ${response.statusCode}`));
			});
			request.on('error', reject);
			request.end();
		});
	}

	it('tunnels HTTPS to the emulator via CONNECT and logs the target', async () => {
		expect(proxy.url).toBe(`http://127.0.0.1:${proxy.port}`);
		const target = new URL(emulator.graphUrl).host;
		const socket = await connectThrough(target);
		const response = await rawHttps(`${emulator.graphUrl}/v1.0/security/incidents?$top=1`, { headers: bearer(graphToken), socket });
		expect(response.status).toBe(200);
		expect(JSON.parse(response.text).value).toHaveLength(1);
		expect(proxy.log).toEqual([{ method: 'CONNECT', target, time: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/) }]);
		proxy.clear();
		expect(proxy.log).toEqual([]);
	});

	it('forwards plain HTTP requests with an absolute URI and answers 502 for an unreachable CONNECT', async () => {
		const recorder = await startRecordingServer();
		try {
			const forwarded = await new Promise<{ status: number; text: string }>((resolve, reject) => {
				const request = httpRequest({ host: '127.0.0.1', port: proxy.port, method: 'GET', path: `${recorder.url}/hello?x=1`, agent: false }, (response) => {
					let text = '';
					response.setEncoding('utf8');
					response.on('data', (chunk: string) => (text += chunk));
					response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
				});
				request.on('error', reject);
				request.end();
			});
			expect(forwarded).toEqual({ status: 200, text: '{"ok":true}' });
			expect(recorder.requests.map((request) => request.url)).toEqual(['/hello?x=1']);
			expect(proxy.log[0]).toMatchObject({ method: 'GET', target: `${recorder.url}/hello?x=1` });
		} finally {
			await recorder.close();
		}
		await expect(connectThrough('127.0.0.1:1')).rejects.toThrow(/CONNECT answered 502/);
	});

	it('close() ends open tunnels', async () => {
		const socket = await connectThrough(new URL(emulator.mdeUrl).host);
		const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
		await proxy.close();
		await closed;
	});
});

describe('recording server', () => {
	it('answers 200 {"ok":true} and records method, url and headers', async () => {
		const recorder = await startRecordingServer();
		try {
			const response = await fetch(`${recorder.url}/token/path?a=b`, { method: 'POST', headers: { authorization: 'Bearer leaked', 'x-test': 'one' }, body: 'payload' });
			expect(response.status).toBe(200);
			expect(response.headers.get('content-type')).toBe('application/json');
			expect(await response.json()).toEqual({ ok: true });
			expect(recorder.requests).toEqual([
				{ method: 'POST', url: '/token/path?a=b', headers: expect.objectContaining({ authorization: 'Bearer leaked', 'x-test': 'one' }), time: expect.any(String) },
			]);
		} finally {
			await recorder.close();
		}
	});
});
