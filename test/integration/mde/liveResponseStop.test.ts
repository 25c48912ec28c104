/**
 * Issue 20, point 4: Stop ends what it started. A live response session the execution started
 * and Microsoft has not finished is cancelled through the machine action cancel API
 * (defender-endpoint/api/cancel-machine-action.md) when the execution is stopped or times out
 * (n8n aborts the same signal for both: WorkflowExecute's PCancelable.cancel(), which
 * ActiveExecutions.stopExecution calls for Stop and for the execution timeout), once per session,
 * never for one that has already ended, and the log says so.
 */
import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';

import { useEmulator } from '../context';
import { byId } from '../harness';
import { settledWithin, sleep, startCancellableRun, waitUntil } from '../operatorControl.helpers';

const env = useEmulator();

const runScript = (deviceId: string, wait: { pollIntervalSeconds: number; waitTimeoutSeconds: number } = { pollIntervalSeconds: 0.2, waitTimeoutSeconds: 120 }) => ({
	resource: 'liveResponse',
	operation: 'runScript',
	deviceId: byId(deviceId),
	scriptName: 'collect-triage.ps1',
	comment: 'Incident 42: triage',
	waitForCompletion: true,
	...wait,
});

const windowsMachines = (count: number) => env.emulator.store.machines.filter((machine) => machine.osPlatform.startsWith('Windows')).slice(0, count);

const startedSessions = () =>
	env.emulator
		.requestLog({ api: 'mde' })
		.filter((call) => call.method === 'POST' && call.path.endsWith('/runliveresponse') && call.status === 201);

const liveResponseActions = () => env.emulator.mde.machineActions().filter((action) => action.type === 'LiveResponse');

let logged: string[];

beforeEach(() => {
	logged = [];
	const logger = Container.get(Logger);
	for (const level of ['info', 'warn'] as const) {
		jest.spyOn(logger, level).mockImplementation((...args: unknown[]) => void logged.push(String(args[0])));
	}
});

afterEach(() => jest.restoreAllMocks());

describe('Stop ends live response sessions the execution started', () => {
	it('Stop during Run Script on a slow device: the emulator sees the cancel for that session within 2 s, once', async () => {
		// The device runs the script for ten minutes (Microsoft's RunScript limit).
		env.emulator.mde.setLiveResponseBehaviour({ pendingMs: 100, inProgressMs: 600_000, outcome: 'Succeeded' });
		const [machine] = windowsMachines(1);
		const run = startCancellableRun(runScript(machine.id), { credentials: env.credentials });

		expect(await waitUntil(() => liveResponseActions().some((action) => action.status === 'InProgress'), 10_000)).toBe(true);
		const [session] = liveResponseActions();
		const cancelledAt = run.cancel();
		expect(await waitUntil(() => env.emulator.mde.cancelRequests().length > 0, 2_000)).toBe(true);
		const seenAfterMs = Date.now() - cancelledAt;
		expect(await settledWithin(run.settled, 5_000)).not.toBe('still running');
		await sleep(500);

		expect(env.emulator.mde.cancelRequests()).toEqual([expect.objectContaining({ actionId: session.id, type: 'LiveResponse', statusBefore: 'InProgress', accepted: true })]);
		expect(seenAfterMs).toBeLessThan(2_000);
		expect(liveResponseActions()[0]).toMatchObject({ id: session.id, status: 'Cancelled' });
		expect(logged).toContainEqual(expect.stringMatching(new RegExp(`stopped; live response session ${String(session.id)} .* was cancelled`)));
	}, 20_000);

	it('the execution timeout (the same abort) cancels a session queued for an unavailable device', async () => {
		const [machine] = windowsMachines(1);
		// "If the machine isn't available, the session is queued for up to three days."
		env.emulator.mde.setDeviceAvailable(machine.id, false);
		const run = startCancellableRun(runScript(machine.id, { pollIntervalSeconds: 30, waitTimeoutSeconds: 600 }), { credentials: env.credentials });
		expect(await waitUntil(() => startedSessions().length === 1, 10_000)).toBe(true);
		expect(liveResponseActions()[0].status).toBe('Pending');
		// The node has the answer to its start (Stop while it is on the wire aborts it unanswered).
		await sleep(300);

		// n8n's execution timeout: ActiveExecutions.stopExecution(id, TimeoutExecutionCancelledError) -> cancel().
		const timedOutAt = run.cancel();
		expect(await waitUntil(() => env.emulator.mde.cancelRequests().length > 0, 2_000)).toBe(true);
		expect(Date.now() - timedOutAt).toBeLessThan(2_000);
		expect(await settledWithin(run.settled, 5_000)).not.toBe('still running');

		expect(env.emulator.mde.cancelRequests()).toEqual([expect.objectContaining({ type: 'LiveResponse', statusBefore: 'Pending', accepted: true })]);
		expect(liveResponseActions()[0].status).toBe('Cancelled');
	}, 20_000);

	it('three items: each running session is cancelled exactly once, a session already finished is not cancelled', async () => {
		const machines = windowsMachines(3);
		env.emulator.mde.setLiveResponseBehaviour({ pendingMs: 0, inProgressMs: 600_000, outcome: 'Succeeded' });
		const run = startCancellableRun(runScript('={{ $json.device }}'), {
			credentials: env.credentials,
			input: machines.map((machine) => ({ device: machine.id })),
		});
		expect(await waitUntil(() => liveResponseActions().length === 3, 10_000)).toBe(true);
		// One device finishes its script; the node sees it finished and fetches its result.
		const finished = liveResponseActions().find((action) => action.machineId === machines[0].id);
		env.emulator.mde.setMachineActionStatus(String(finished?.id), 'Succeeded');
		const resultFetched = () =>
			env.emulator.requestLog({ api: 'mde' }).some((call) => call.path.includes(`${String(finished?.id)}/GetLiveResponseResultDownloadLink`));
		expect(await waitUntil(resultFetched, 10_000)).toBe(true);

		run.cancel();
		expect(await settledWithin(run.settled, 5_000)).not.toBe('still running');
		await sleep(1_000);

		const cancels = env.emulator.mde.cancelRequests();
		const stillRunning = liveResponseActions().filter((action) => action.id !== finished?.id);
		expect(cancels.map((cancel) => cancel.actionId).sort()).toEqual(stillRunning.map((action) => String(action.id)).sort());
		expect(cancels.every((cancel) => cancel.accepted)).toBe(true);
		expect(liveResponseActions().find((action) => action.id === finished?.id)?.status).toBe('Succeeded');
	}, 30_000);
});
