/**
 * Issue "Operator control", point 2: a redirect to another origin.
 *
 * When Microsoft Graph or Defender for Endpoint answers 302 with a Location on another origin,
 * the node must not carry the app's bearer token there (n8n's HTTP helper re-adds the
 * Authorization header on a cross-origin redirect unless told otherwise), and the error it
 * reports must name where the redirect pointed, so the operator can see what happened.
 */
import { startRecordingServer, type RecordingServer } from '../emulator/recorder';
import { useEmulator } from './context';
import { byId, runNode } from './harness';

const env = useEmulator();

let recorder: RecordingServer;
beforeAll(async () => {
	recorder = await startRecordingServer();
});
afterAll(async () => {
	await recorder?.close();
});
beforeEach(() => {
	recorder.requests.length = 0;
});

const withAuthorization = () => recorder.requests.filter((request) => Object.keys(request.headers).some((name) => name.toLowerCase() === 'authorization'));

describe('A 302 to another origin', () => {
	it('Incident Get (Graph): no token reaches the other origin, and the error names it', async () => {
		const incident = env.emulator.store.listIncidents()[0];
		const location = `${recorder.url}/v1.0/security/incidents/${incident.id}`;
		env.emulator.injectFaults('graph', { redirectNext: 1, location, redirectStatus: 302 });
		const { error } = await runNode({ resource: 'incident', operation: 'get', incidentId: byId(incident.id) }, { credentials: env.credentials });
		expect(env.emulator.requestLog({ api: 'graph' }).some((entry) => entry.status === 302)).toBe(true);
		expect(withAuthorization()).toEqual([]);
		expect(error).toBeDefined();
		expect(error?.message).toContain(new URL(recorder.url).origin);
	});

	it('Device Get (Defender for Endpoint): no token reaches the other origin, and the error names it', async () => {
		const machine = env.emulator.store.machines[0];
		const location = `${recorder.url}/api/machines/${machine.id}`;
		env.emulator.injectFaults('mde', { redirectNext: 1, location, redirectStatus: 302 });
		const { error } = await runNode({ resource: 'device', operation: 'get', deviceId: byId(machine.id) }, { credentials: env.credentials });
		expect(env.emulator.requestLog({ api: 'mde' }).some((entry) => entry.status === 302)).toBe(true);
		expect(withAuthorization()).toEqual([]);
		expect(error).toBeDefined();
		expect(error?.message).toContain(new URL(recorder.url).origin);
	});

	it('a GET redirected within the same API host is followed, with the token, and succeeds', async () => {
		const [first, second] = env.emulator.store.listIncidents();
		env.emulator.injectFaults('graph', { redirectNext: 1, location: `${env.emulator.graphUrl}/v1.0/security/incidents/${second.id}`, redirectStatus: 302 });
		const { items, error } = await runNode({ resource: 'incident', operation: 'get', incidentId: byId(first.id) }, { credentials: env.credentials });
		expect(error).toBeUndefined();
		expect(items[0].json.id).toBe(second.id);
		expect(env.emulator.requestLog({ api: 'graph' }).map((entry) => entry.status)).toEqual([302, 200]);
	});
});
