/**
 * The rate budget shared through a real local redis-server (Debian's package, started on a free
 * port by scripts/lib/queue-services.cjs): budgets of separate n8n processes (separate RateBudget
 * objects on separate connections) share windows, pause and learned limit; skewed clocks do not
 * matter; an outage falls back to the local budget with one log line.
 */
import { LoggerProxy } from 'n8n-workflow';

import * as queueServices from '../../scripts/lib/queue-services.cjs';
import { sleepUnlessCancelled } from '../../nodes/Microsoft365Defender/transport/cancellation';
import { RateBudget, type BudgetPolicy } from '../../nodes/Microsoft365Defender/transport/pacing/rateBudget';
import { closeSharedBudgetConnections, SharedBudgetConnection, sharedBudgetFor } from '../../nodes/Microsoft365Defender/transport/pacing/sharedBudget';
import { queueRedisSettings } from '../../nodes/Microsoft365Defender/transport/pacing/queueMode';

jest.setTimeout(60_000);

let redis: Awaited<ReturnType<typeof queueServices.startRedis>>;
let keyCounter = 0;

beforeAll(async () => {
	redis = await queueServices.startRedis();
});

afterAll(async () => {
	await closeSharedBudgetConnections();
	await redis?.stop();
});

function queueEnv(extra: Record<string, string> = {}): Record<string, string> {
	return { EXECUTIONS_MODE: 'queue', QUEUE_BULL_REDIS_HOST: '127.0.0.1', QUEUE_BULL_REDIS_PORT: String(redis.port), ...extra };
}

/** One process's budget: its own RateBudget, its own clock, the shared side in `env`'s Redis. */
function processBudget(key: string, policy: BudgetPolicy, env: Record<string, string | undefined>, clock: () => number = Date.now): RateBudget {
	return new RateBudget(policy, clock, sleepUnlessCancelled, (rules) => sharedBudgetFor(key, rules, env));
}

/** The most start times within any span of `windowMs` (inclusive of its start). */
function mostInAnyWindow(times: number[], windowMs: number): number {
	const sorted = [...times].sort((a, b) => a - b);
	let most = 0;
	for (let start = 0; start < sorted.length; start++) {
		let end = start;
		while (end < sorted.length && sorted[end] < sorted[start] + windowMs) end++;
		most = Math.max(most, end - start);
	}
	return most;
}

/** Each budget takes `calls` turns at once; resolves with the real times the turns were given. */
async function takeTurns(budgets: RateBudget[], calls: number): Promise<number[]> {
	const times: number[] = [];
	await Promise.all(
		budgets.flatMap((budget) =>
			Array.from({ length: calls }, async () => {
				const turn = await budget.acquire();
				times.push(Date.now());
				turn.done();
			}),
		),
	);
	return times;
}

const FIVE_PER_SECOND: BudgetPolicy = { limits: [{ limit: 5, windowMs: 1_000 }] };

describe('rate budget shared through Redis (queue mode)', () => {
	it('two processes on one budget stay inside one window together (each alone would send 5 at once)', async () => {
		const key = `tenant|app|graph|${++keyCounter}`;
		const times = await takeTurns([processBudget(key, FIVE_PER_SECOND, queueEnv()), processBudget(key, FIVE_PER_SECOND, queueEnv())], 5);
		expect(times).toHaveLength(10);
		// Window plus the arrival margin (1 s), as the local budget keeps it; less the time a turn
		// takes from Redis' admission to the caller (measured here, after it).
		expect(mostInAnyWindow(times, 1_900)).toBeLessThanOrEqual(5);
	});

	it('clocks that differ between machines (one hour ahead, one behind) do not matter: Redis keeps the time', async () => {
		const key = `tenant|app|graph|${++keyCounter}`;
		const ahead = processBudget(key, FIVE_PER_SECOND, queueEnv(), () => Date.now() + 3_600_000);
		const behind = processBudget(key, FIVE_PER_SECOND, queueEnv(), () => Date.now() - 3_600_000);
		const times = await takeTurns([ahead, behind], 5);
		expect(mostInAnyWindow(times, 1_900)).toBeLessThanOrEqual(5);
	});

	it("a 429 seen by one process pauses the other for Retry-After", async () => {
		const key = `tenant|app|mde|${++keyCounter}`;
		const policy: BudgetPolicy = { limits: [{ limit: 100, windowMs: 60_000 }] };
		const throttled = processBudget(key, policy, queueEnv());
		const other = processBudget(key, policy, queueEnv());
		(await throttled.acquire()).done({ throttledForMs: 1_500 });
		// The report is sent without waiting for Redis' answer; give it its round trip.
		await new Promise((resolve) => setTimeout(resolve, 100));
		const asked = Date.now();
		(await other.acquire()).done();
		expect(Date.now() - asked).toBeGreaterThanOrEqual(1_300);
	});

	it('a limit learned from a 429 in one process holds in the other', async () => {
		const key = `tenant|app|graph|${++keyCounter}`;
		const policy: BudgetPolicy = { limits: [{ limit: 10, windowMs: 1_000 }] };
		const first = processBudget(key, policy, queueEnv());
		const second = processBudget(key, policy, queueEnv());
		for (let call = 0; call < 3; call++) (await first.acquire()).done();
		// Microsoft answered 429 after 3 accepted: this tenant allows about 3 per window now.
		(await first.acquire()).done({ throttledForMs: 200 });
		// Past the window (1 s + 1 s margin) those calls no longer count; the learned limit still does.
		await new Promise((resolve) => setTimeout(resolve, 2_100));
		const asked = Date.now();
		const times = await takeTurns([second], 5);
		expect(times.filter((time) => time - asked < 500)).toHaveLength(3);
	});

	it("two n8n installations on one Redis (N8N_REDIS_KEY_PREFIX) keep their budgets apart", async () => {
		const key = `tenant|app|graph|${++keyCounter}`;
		const times = await takeTurns(
			[processBudget(key, FIVE_PER_SECOND, queueEnv({ N8N_REDIS_KEY_PREFIX: 'soc-a' })), processBudget(key, FIVE_PER_SECOND, queueEnv({ N8N_REDIS_KEY_PREFIX: 'soc-b' }))],
			5,
		);
		const started = Math.min(...times);
		expect(times.every((time) => time - started < 500)).toBe(true);
	});

	it('with the shared budget switched off (N8N_DEFENDER_SHARED_RATE_BUDGET=false) each process keeps its own', async () => {
		const key = `tenant|app|graph|${++keyCounter}`;
		const env = queueEnv({ N8N_DEFENDER_SHARED_RATE_BUDGET: 'false' });
		const times = await takeTurns([processBudget(key, FIVE_PER_SECOND, env), processBudget(key, FIVE_PER_SECOND, env)], 5);
		expect(mostInAnyWindow(times, 2_000)).toBe(10);
	});

	it('Redis unreachable: calls go on with the local budget, and the outage is logged once', async () => {
		const warnings: string[] = [];
		LoggerProxy.init({ warn: (message: string) => warnings.push(message), info: () => undefined, error: () => undefined, debug: () => undefined } as never);
		const closed = await queueServices.startRedis();
		const env = queueEnv({ QUEUE_BULL_REDIS_PORT: String(closed.port), QUEUE_BULL_REDIS_PASSWORD: 'not-for-logs' });
		await closed.stop();
		const budget = processBudget(`tenant|app|graph|${++keyCounter}`, FIVE_PER_SECOND, env);
		const asked = Date.now();
		const times = await takeTurns([budget], 7);
		// The local budget still applies: 5 at once, the 6th and 7th a window later.
		expect(mostInAnyWindow(times, 1_900)).toBe(5);
		expect(Date.now() - asked).toBeLessThan(6_000);
		expect(warnings).toHaveLength(1);
		expect(warnings[0]).toMatch(new RegExp(`Redis 127\\.0\\.0\\.1:${closed.port} is unreachable.*fall back to this process's own`));
		expect(warnings.join('\n')).not.toContain('not-for-logs');
	});

	it('Redis back where it was: the budget is shared again, and that is logged once', async () => {
		const warnings: string[] = [];
		const infos: string[] = [];
		LoggerProxy.init({ warn: (message: string) => warnings.push(message), info: (message: string) => infos.push(message), error: () => undefined, debug: () => undefined } as never);
		let flaky = await queueServices.startRedis();
		const env = queueEnv({ QUEUE_BULL_REDIS_PORT: String(flaky.port) });
		const key = `tenant|app|graph|${++keyCounter}`;
		const policy: BudgetPolicy = { limits: [{ limit: 2, windowMs: 60_000 }] };
		const giveUp = new AbortController();
		try {
			// Two calls on the shared budget take its minute.
			await takeTurns([processBudget(key, policy, env)], 2);
			await flaky.stop();
			// Down: a second process decides alone (its own budget has room), logging the outage once.
			const during = processBudget(key, policy, env);
			await takeTurns([during], 2);
			expect(warnings).toHaveLength(1);
			flaky = await queueServices.startRedis({ port: flaky.port });
			// ioredis reconnects on its own schedule (up to 5 s between attempts); until then calls go on
			// locally. The first call Redis answers again logs it, once.
			const probe = processBudget(`tenant|app|graph|${++keyCounter}`, FIVE_PER_SECOND, env);
			const reconnectDeadline = Date.now() + 20_000;
			while (!infos.some((message) => /reachable again/.test(message)) && Date.now() < reconnectDeadline) {
				await takeTurns([probe], 1);
				await new Promise((resolve) => setTimeout(resolve, 250));
			}
			// Back (an empty Redis here: nothing persisted): a third process is admitted by Redis again.
			const after = processBudget(key, policy, env);
			const asked = Date.now();
			await takeTurns([after], 2);
			const third = after.acquire({ signal: giveUp.signal });
			third.catch(() => undefined);
			const answered = await Promise.race([third.then(() => 'admitted'), new Promise((resolve) => setTimeout(() => resolve('waiting'), 7_000))]);
			expect(Date.now() - asked).toBeLessThan(10_000);
			// Redis counted the two above: the third waits for the minute (its own budget alone would too,
			// so the log line is what tells that Redis decides again).
			expect(answered).toBe('waiting');
			expect(infos.filter((message) => /reachable again; rate budgets are shared/.test(message))).toHaveLength(1);
			expect(warnings).toHaveLength(1);
		} finally {
			giveUp.abort();
			await closeSharedBudgetConnections();
			await flaky.stop();
		}
	});

	it('one admission is one atomic script run: 40 concurrent callers on 4 connections take exactly the 20 places', async () => {
		const key = `tenant|app|graph|${++keyCounter}`;
		const settings = queueRedisSettings(queueEnv());
		if (!settings) throw new Error('queue mode settings expected');
		const connections = Array.from({ length: 4 }, () => new SharedBudgetConnection(settings));
		const { sent, state } = connections[0].keysFor(key);
		try {
			const answers = await Promise.all(
				Array.from({ length: 40 }, (_, index) =>
					connections[index % 4].run(async (client) => Number(await client.defenderBudgetAdmit(sent, state, 1_000, 0.1, 60_000, 20, 60_000))),
				),
			);
			expect(answers.filter((answer) => answer === 0)).toHaveLength(20);
			expect(answers.filter((answer) => (answer ?? 0) > 0)).toHaveLength(20);
		} finally {
			await Promise.all(connections.map((connection) => connection.close()));
		}
	});
});
