/**
 * Issue "Operator control", point 1: Stop means stop.
 *
 * When the operator stops an execution (n8n's Stop button: WorkflowExecute's PCancelable.cancel()
 * aborts the execution's AbortController, which the node sees as getExecutionCancelSignal()), the
 * node must stop sending requests and return promptly:
 *  a. no response action (here Run Antivirus Scan, 60 devices, Microsoft's documented rate limits on
 *     both sides) is sent after Stop, whether the item had not started yet or was waiting for its
 *     turn on the rate budget; the execution ends within seconds, not when the budget has room;
 *  b. a retry back-off (a GET answered 503 again and again) is cut short: no retry after Stop;
 *  c. Wait for Completion (check every 30 s) does not sleep out its interval after Stop.
 */
import type { INodeParameters } from 'n8n-workflow';

import type { LoggedRequest } from '../emulator';
import { credentialsFor, useEmulator } from './context';
import { byId, runNode } from './harness';
import { arrivedAt, describeEntries, mdeRequests, settledWithin, sleep, startCancellableRun, waitUntil } from './operatorControl.helpers';

// The emulator enforces Microsoft's documented budgets (Defender for Endpoint 100 calls/min, 1,500/hour).
const env = useEmulator({ strictLimits: true, machineCount: 100 });

/** The node paces its calls to Microsoft's documented limits (the credential's default). */
const documentedCredentials = () => ({
	...env.credentials,
	documented: credentialsFor(env.emulator, env.emulator.apps.full, { rateLimits: 'documented' }),
});

const windowsMachines = (count: number) => {
	const machines = env.emulator.store.machines.filter((machine) => machine.osPlatform.startsWith('Windows')).slice(0, count);
	expect(machines).toHaveLength(count);
	return machines;
};

const isScanPost = (entry: LoggedRequest) => entry.method === 'POST' && /^\/api\/machines\/[0-9a-f]{40}\/runAntiVirusScan$/i.test(entry.path);
const scanPosts = () => mdeRequests(env.emulator, isScanPost);

const scanParameters: INodeParameters = {
	resource: 'responseAction',
	operation: 'runAntivirusScan',
	deviceId: byId('={{ $json.device }}'),
	comment: 'Scan for incident 42',
	scanType: 'Quick',
};

describe('Stop means stop', () => {
	it('a. sends no scan after Stop to the devices whose items had not started (60 devices, documented limits)', async () => {
		const credentials = documentedCredentials();
		const input = windowsMachines(60).map((machine) => ({ device: machine.id }));
		// Two items at a time and 150 ms per answer: the 60 scans would take about 4.5 s.
		env.emulator.injectFaults('mde', { latencyMs: 150 });
		const run = startCancellableRun({ ...scanParameters, requestOptions: { concurrency: 2 } }, { credentials, credentialId: 'documented', input });

		expect(await waitUntil(() => scanPosts().length > 0, 10_000)).toBe(true);
		const cancelledAt = run.cancel();
		const outcome = await settledWithin(run.settled, 4_000);
		await sleep(Math.max(0, cancelledAt + 4_000 - Date.now()));

		const late = scanPosts().filter((entry) => arrivedAt(entry) > cancelledAt + 2_000);
		expect(describeEntries(late, cancelledAt)).toEqual([]);
		expect(outcome).not.toBe('still running');
		expect((outcome as { at: number }).at - cancelledAt).toBeLessThan(3_000);
		// At most the two scans that were on the wire when Stop came.
		expect(scanPosts().filter((entry) => arrivedAt(entry) > cancelledAt + 200).length).toBeLessThanOrEqual(2);
	}, 20_000);

	it('b. a retry back-off after a 503 is cut short: the run ends within 2 s and nothing more is sent', async () => {
		const [machine] = windowsMachines(1);
		env.emulator.injectFaults('mde', { failNext: 10, status: 503 });
		const run = startCancellableRun({ resource: 'device', operation: 'get', deviceId: byId(machine.id) }, { credentials: env.credentials });

		expect(await waitUntil(() => mdeRequests(env.emulator, (entry) => entry.status === 503).length > 0, 5_000)).toBe(true);
		const cancelledAt = run.cancel();
		const outcome = await settledWithin(run.settled, 2_000);
		await sleep(Math.max(0, cancelledAt + 3_000 - Date.now()));

		// 100 ms of grace for a retry whose timer fired just before the cancel.
		const after = mdeRequests(env.emulator, (entry) => arrivedAt(entry) > cancelledAt + 100);
		expect(describeEntries(after, cancelledAt)).toEqual([]);
		expect(outcome).not.toBe('still running');
		expect((outcome as { at: number }).at - cancelledAt).toBeLessThan(2_000);
	}, 15_000);

	it('c. Wait for Completion (check every 30 s) ends within 2 s of Stop, without another check', async () => {
		env.emulator.mde.setMachineActionBehaviour({ pendingMs: null });
		const [machine] = windowsMachines(1);
		const run = startCancellableRun(
			{
				resource: 'responseAction',
				operation: 'isolate',
				deviceId: byId(machine.id),
				comment: 'Contain for incident 42',
				waitForCompletion: true,
				pollIntervalSeconds: 30,
				waitTimeoutSeconds: 120,
			},
			{ credentials: env.credentials },
		);

		const isolatePosted = () => mdeRequests(env.emulator, (entry) => entry.method === 'POST' && entry.path.endsWith('/isolate') && entry.status === 201).length > 0;
		expect(await waitUntil(isolatePosted, 5_000)).toBe(true);
		const cancelledAt = run.cancel();
		const outcome = await settledWithin(run.settled, 2_000);

		expect(outcome).not.toBe('still running');
		expect((outcome as { at: number }).at - cancelledAt).toBeLessThan(2_000);
		expect(mdeRequests(env.emulator, (entry) => entry.path.startsWith('/api/machineactions/'))).toEqual([]);
	}, 10_000);

	// Last in the file: on code that ignores Stop, this run goes on for a minute in the background.
	it('a. drops the scans waiting for their turn on the rate budget: the run ends within seconds of Stop', async () => {
		const credentials = documentedCredentials();
		const machines = windowsMachines(60);
		// 90 of the 100 calls a minute are already used: 10 scans may go now, 50 must wait about a minute.
		const warmUp = await runNode(
			{ resource: 'device', operation: 'get', deviceId: byId('={{ $json.device }}') },
			{ credentials, credentialId: 'documented', input: Array.from({ length: 90 }, (_, index) => ({ device: machines[index % machines.length].id })) },
		);
		expect(warmUp.error).toBeUndefined();
		expect(mdeRequests(env.emulator)).toHaveLength(90);

		const run = startCancellableRun(scanParameters, { credentials, credentialId: 'documented', input: machines.map((machine) => ({ device: machine.id })) });
		expect(await waitUntil(() => scanPosts().length > 0, 10_000)).toBe(true);
		const cancelledAt = run.cancel();
		const outcome = await settledWithin(run.settled, 4_000);
		await sleep(Math.max(0, cancelledAt + 4_000 - Date.now()));

		const late = scanPosts().filter((entry) => arrivedAt(entry) > cancelledAt + 2_000);
		expect(describeEntries(late, cancelledAt)).toEqual([]);
		// The budget held scans back (otherwise this test would prove nothing about queued calls).
		expect(scanPosts().length).toBeLessThanOrEqual(10);
		expect(outcome).not.toBe('still running');
		expect((outcome as { at: number }).at - cancelledAt).toBeLessThan(3_000);
		expect(env.emulator.requestLog({ api: 'mde' }).filter((entry) => entry.status === 429)).toEqual([]);
	}, 30_000);
});
