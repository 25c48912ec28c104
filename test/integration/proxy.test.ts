/**
 * Operator control, "proxy on purpose": with HTTPS_PROXY set, the token request (made by MSAL
 * through the node's own network client) and the API calls (n8n's request helpers) both go
 * through the proxy, and NO_PROXY bypasses it for both.
 */
import { startTestProxy, type TestProxy } from '../emulator/proxy';
import { useEmulator } from './context';
import { runNode } from './harness';

const env = useEmulator();
let proxy: TestProxy;
const saved = { ...process.env };

const PROXY_VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'ALL_PROXY', 'all_proxy', 'NO_PROXY', 'no_proxy'];

beforeAll(async () => {
	proxy = await startTestProxy();
});
afterAll(async () => {
	await proxy.close();
});
beforeEach(() => {
	for (const name of PROXY_VARIABLES) delete process.env[name];
	proxy.clear();
});
afterEach(() => {
	for (const name of PROXY_VARIABLES) {
		if (saved[name] === undefined) delete process.env[name];
		else process.env[name] = saved[name];
	}
});

const hostOf = (url: string) => new URL(url).host;
const tunnelled = () => proxy.log.filter((entry) => entry.method === 'CONNECT').map((entry) => entry.target);

describe('proxy settings', () => {
	it.each(['HTTPS_PROXY', 'https_proxy'])('%s carries the token request and the Graph and Defender for Endpoint calls', async (variable) => {
		process.env[variable] = proxy.url;
		const incidents = await runNode({ resource: 'incident', operation: 'getAll', limit: 1 }, { credentials: env.credentials });
		expect(incidents.error).toBeUndefined();
		const devices = await runNode({ resource: 'device', operation: 'getAll', limit: 1 }, { credentials: env.credentials });
		expect(devices.error).toBeUndefined();

		const targets = tunnelled();
		expect(targets).toContain(env.emulator.loginHost);
		expect(targets).toContain(hostOf(env.emulator.graphUrl));
		expect(targets).toContain(hostOf(env.emulator.mdeUrl));
		expect(env.emulator.requestLog({ api: 'token' }).length).toBeGreaterThan(0);
	});

	it('NO_PROXY bypasses the proxy for the token request too', async () => {
		process.env.HTTPS_PROXY = proxy.url;
		process.env.NO_PROXY = 'localhost,127.0.0.1';
		const { error } = await runNode({ resource: 'incident', operation: 'getAll', limit: 1 }, { credentials: env.credentials });
		expect(error).toBeUndefined();
		expect(tunnelled()).toEqual([]);
	});
});
