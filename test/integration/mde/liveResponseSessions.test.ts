import { useEmulator } from '../context';
import { byId, runNode } from '../harness';

/**
 * 30 live response sessions started at once against Microsoft's limits for them
 * (defender-endpoint/api/run-live-response.md): 10 calls per minute and 25 sessions running at
 * once, each answered with 429 beyond it. Sessions here run until the test ends them, so the
 * 25-session limit is reached (after three windows of 10 calls) and has to hold the last 5.
 * It takes a little over two minutes: 30 calls at 10 a minute cannot be faster.
 */

const env = useEmulator();
const SESSIONS = 30;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function runningSessionIds(): string[] {
	return env.emulator.mde
		.machineActions()
		.filter((action) => action.type === 'LiveResponse' && (action.status === 'Pending' || action.status === 'InProgress'))
		.map((action) => String(action.id));
}

const startCalls = () => env.emulator.requestLog({ api: 'mde' }).filter((call) => call.method === 'POST' && call.path.endsWith('/runliveresponse'));

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error('condition not met in time');
		await sleep(200);
	}
}

it('30 sessions at once: never more than 25 running, 0 x 429, all 30 finish', async () => {
	env.emulator.mde.setLiveResponseBehaviour({ pendingMs: 0, inProgressMs: null, outcome: 'Succeeded' });
	const devices = env.emulator.store.machines.slice(0, SESSIONS).map((machine) => ({ deviceId: machine.id }));
	const credentials = { ...env.credentials, full: { ...env.credentials.full, rateLimits: 'documented' } };
	const started = Date.now();
	const running = runNode(
		{
			resource: 'liveResponse',
			operation: 'runScript',
			deviceId: byId('={{ $json.deviceId }}'),
			scriptName: 'list-processes.sh',
			comment: 'Fleet sweep',
			waitForCompletion: true,
			// 25 sessions checked every 15 s stay within the 100 calls a minute of the other MDE routes.
			pollIntervalSeconds: 15,
			waitTimeoutSeconds: 400,
		},
		{ credentials, input: devices },
	);

	// Three windows of 10 calls: 25 sessions start, and the session limit holds the other 5.
	await until(() => startCalls().length >= 25, 200_000);
	await sleep(3_000);
	expect(startCalls()).toHaveLength(25);
	expect(runningSessionIds()).toHaveLength(25);

	// The devices finish; new sessions now end quickly, and the last 5 start and finish.
	env.emulator.mde.setLiveResponseBehaviour({ inProgressMs: 300 });
	for (const id of runningSessionIds()) env.emulator.mde.setMachineActionStatus(id, 'Succeeded');
	const { items, error } = await running;
	const seconds = (Date.now() - started) / 1000;

	expect(error).toBeUndefined();
	expect(items).toHaveLength(SESSIONS);
	expect(items.every((item) => item.json.status === 'Succeeded' && item.json.exitCode === 0)).toBe(true);
	expect(new Set(items.map((item) => item.json.machineId)).size).toBe(SESSIONS);
	expect(items.map((item) => item.pairedItem)).toEqual(devices.map((_, item) => ({ item })));

	const stats = env.emulator.mde.liveResponseStats();
	expect(stats).toEqual({ maxRunningSessions: 25, refusedForSessions: 0, refusedForRate: 0 });
	expect(env.emulator.requestLog().filter((call) => call.status === 429)).toHaveLength(0);
	expect(startCalls().map((call) => call.status)).toEqual(new Array(SESSIONS).fill(201));
	// 10 calls a minute: the 21st call cannot come before two minutes (and their arrival margin) have passed.
	const times = startCalls().map((call) => Date.parse(call.time));
	expect(times[20] - times[0]).toBeGreaterThanOrEqual(120_000);
	console.log(`30 live response sessions: ${seconds.toFixed(1)} s, ${stats.maxRunningSessions} running at most`);
}, 330_000);
