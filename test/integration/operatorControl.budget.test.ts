/**
 * Issue "Operator control", point 6: a Wait for Completion check that has to queue on the rate
 * budget stays within the wait's timeout.
 *
 * Isolate with Wait for Completion (check every 1 s, timeout 3 s) while the Defender for
 * Endpoint budget has no room: the item must end at its timeout with wait.timedOut true (about
 * 3 s), not when the budget has room again (a minute later), and without calling before a
 * Retry-After Microsoft gave has elapsed.
 */
import type { INodeParameters } from 'n8n-workflow';

import { credentialsFor, useEmulator } from './context';
import { byId, runNode } from './harness';
import { mdeRequests, settledWithin, startCancellableRun, waitUntil } from './operatorControl.helpers';

const env = useEmulator();

const documentedCredentials = () => ({
	...env.credentials,
	documented: credentialsFor(env.emulator, env.emulator.apps.full, { rateLimits: 'documented' }),
});

const machine = () => env.emulator.store.machines.find((candidate) => candidate.osPlatform.startsWith('Windows'))!;

const isolateAndWait: INodeParameters = {
	resource: 'responseAction',
	operation: 'isolate',
	comment: 'Contain for incident 42',
	waitForCompletion: true,
	pollIntervalSeconds: 1,
	waitTimeoutSeconds: 3,
};

const isolatePosted = () => mdeRequests(env.emulator, (entry) => entry.method === 'POST' && entry.path.endsWith('/isolate') && entry.status === 201).length > 0;

describe('A wait-for-completion check queued on the rate budget', () => {
	beforeEach(() => {
		// The action stays Pending: only the timeout can end the wait.
		env.emulator.mde.setMachineActionBehaviour({ pendingMs: null });
	});

	it('after a 429 with Retry-After 60 s: the item times out at about 3 s, without calling early', async () => {
		const credentials = documentedCredentials();
		const started = Date.now();
		const run = startCancellableRun({ ...isolateAndWait, deviceId: byId(machine().id) }, { credentials, credentialId: 'documented' });
		expect(await waitUntil(isolatePosted, 2_000, 5)).toBe(true);
		// The first check (due 1 s after the action was created) is throttled for a minute.
		env.emulator.setThrottle('mde', { next429: 1, retryAfterSeconds: 60 });

		const outcome = await settledWithin(run.settled, started + 6_000 - Date.now());
		expect(outcome).not.toBe('still running');
		const settled = outcome as Exclude<typeof outcome, 'still running'>;
		expect(settled.at - started).toBeLessThan(5_000);
		expect(settled.run?.error).toBeUndefined();
		const [item] = settled.run!.output(run.node.name);
		expect(item.json).toMatchObject({ type: 'Isolate', status: 'Pending', wait: { completed: false, timedOut: true } });
		expect(mdeRequests(env.emulator, (entry) => entry.status === 429)).toHaveLength(1);
		expect(env.emulator.earlyCallCount('mde')).toBe(0);
	}, 15_000);

	it('with the documented 100 calls a minute already used: the item times out at about 3 s', async () => {
		const credentials = documentedCredentials();
		// 99 calls now; the isolation's POST is the 100th, so its first check would wait about a minute.
		const used = await runNode(
			{ resource: 'device', operation: 'get', deviceId: byId('={{ $json.device }}') },
			{ credentials, credentialId: 'documented', input: Array.from({ length: 99 }, () => ({ device: machine().id })) },
		);
		expect(used.error).toBeUndefined();
		expect(mdeRequests(env.emulator)).toHaveLength(99);

		const started = Date.now();
		const run = startCancellableRun({ ...isolateAndWait, deviceId: byId(machine().id) }, { credentials, credentialId: 'documented' });
		const outcome = await settledWithin(run.settled, 6_000);
		expect(outcome).not.toBe('still running');
		const settled = outcome as Exclude<typeof outcome, 'still running'>;
		expect(settled.at - started).toBeLessThan(5_000);
		expect(settled.run?.error).toBeUndefined();
		const [item] = settled.run!.output(run.node.name);
		expect(item.json).toMatchObject({ type: 'Isolate', status: 'Pending', wait: { completed: false, timedOut: true } });
		// Nothing beyond the budget was sent.
		expect(mdeRequests(env.emulator)).toHaveLength(100);
	}, 15_000);
});
