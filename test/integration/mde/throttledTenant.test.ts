/**
 * Field fidelity, point 2, against the emulator in real time: a tenant that throttles Defender
 * for Endpoint at 20 calls a minute (documented: 100). 50 isolations on 50 devices, the node at
 * the documented limits: every isolation succeeds, at most 5 answers are 429, and the run takes
 * at most 1.05 times the 150 s that 50 calls at 20 a minute need; after the first 429 nothing more
 * is accepted before its Retry-After.
 */
import { credentialsFor, useEmulator } from '../context';
import { byId, runNode } from '../harness';

// Enough devices that 50 of them run Windows.
const env = useEmulator({ machineCount: 140 });

describe('a tenant throttled below the documented rate', () => {
	it('50 isolations at 20/min: 50 of 50, at most 5 x 429, within 1.05 x 150 s', async () => {
		env.emulator.setThrottle('mde', { limitPerMinute: 20, limitPerHour: null });
		const devices = env.emulator.store.machines.filter((machine) => machine.osPlatform.startsWith('Windows')).slice(0, 50);
		expect(devices).toHaveLength(50);
		const credentials = { ...env.credentials, documented: credentialsFor(env.emulator, env.emulator.apps.full, { rateLimits: 'documented' }) };
		const started = Date.now();
		const { items, error } = await runNode(
			{ resource: 'responseAction', operation: 'isolate', deviceId: byId('={{ $json.id }}'), isolationType: 'Full', comment: 'Contain' },
			{ credentials, credentialId: 'documented', input: devices.map((device) => ({ id: device.id })), continueOnFail: true },
		);
		const seconds = (Date.now() - started) / 1000;
		expect(error).toBeUndefined();
		expect(items.filter((item) => item.json.type === 'Isolate')).toHaveLength(50);
		const isolations = env.emulator.requestLog({ api: 'mde' }).filter((entry) => entry.method === 'POST' && entry.path.endsWith('/isolate'));
		const throttled = isolations.filter((entry) => entry.status === 429).length;
		console.log(`50 isolations at 20/min: ${seconds.toFixed(1)} s, ${throttled} x 429, ${isolations.length} calls`);
		expect(throttled).toBeLessThanOrEqual(5);
		expect(seconds).toBeLessThanOrEqual(1.05 * 150);
		// Calls already in flight when the first 429 was given meet it too; after that nothing is sent before Retry-After.
		const firstThrottled = Date.parse(isolations.find((entry) => entry.status === 429)!.time);
		const nextAccepted = isolations.map((entry) => ({ ...entry, at: Date.parse(entry.time) })).filter((entry) => entry.status === 201 && entry.at > firstThrottled);
		expect(Math.min(...nextAccepted.map((entry) => entry.at)) - firstThrottled).toBeGreaterThanOrEqual(58_000);
	}, 200_000);
});
