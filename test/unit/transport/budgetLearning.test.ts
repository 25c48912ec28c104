/**
 * Field fidelity, point 2: a tenant that throttles below the documented rate. A model of
 * Microsoft's counting (a rolling minute, Retry-After until the window has room) on n8n's fake
 * timers, driven through the real RateBudget the way the transport drives it.
 */
import { MINUTE, RateBudget } from '../../../nodes/Microsoft365Defender/transport/pacing/rateBudget';
import { DOCUMENTED_LIMITS } from '../../../nodes/Microsoft365Defender/transport/pacing/routeBudgets';

const LATENCY_MS = 50;

function throttlingTenant(limitPerMinute: number) {
	const accepted: number[] = [];
	let throttled = 0;
	return {
		/** Answers a call arriving now: undefined when accepted, else the Retry-After in ms. */
		answer(now: number): number | undefined {
			const inWindow = accepted.filter((time) => time > now - MINUTE);
			if (inWindow.length >= limitPerMinute) {
				throttled++;
				return Math.ceil((inWindow[0] + MINUTE - now) / 1000) * 1000;
			}
			accepted.push(now);
			return undefined;
		},
		accepted,
		throttled: () => throttled,
	};
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function runCalls(budget: RateBudget, tenant: ReturnType<typeof throttlingTenant>, count: number): Promise<number[]> {
	const finished: number[] = [];
	await Promise.all(
		Array.from({ length: count }, async () => {
			for (;;) {
				const turn = await budget.acquire();
				await sleep(LATENCY_MS / 2);
				const retryAfter = tenant.answer(Date.now());
				await sleep(LATENCY_MS / 2);
				turn.done(retryAfter === undefined ? {} : { throttledForMs: retryAfter });
				if (retryAfter === undefined) break;
			}
			finished.push(Date.now());
		}),
	);
	return finished;
}

describe('a budget on a tenant throttled below the documented rate', () => {
	beforeEach(() => jest.useFakeTimers({ now: 0 }));
	afterEach(() => jest.useRealTimers());

	it('50 calls at 20/min (documented 100/min): all succeed, at most 5 x 429, within 1.05 x 150 s', async () => {
		const tenant = throttlingTenant(20);
		const budget = new RateBudget({ limits: DOCUMENTED_LIMITS.mde, maxInFlight: 5 });
		const done = runCalls(budget, tenant, 50);
		await jest.advanceTimersByTimeAsync(10 * MINUTE);
		const finished = await done;
		expect(finished).toHaveLength(50);
		expect(tenant.accepted).toHaveLength(50);
		expect(tenant.throttled()).toBeLessThanOrEqual(5);
		expect(Math.max(...finished)).toBeLessThanOrEqual(1.05 * 150_000);
	});

	it('after the 429s stop, the limit climbs back to the documented one', async () => {
		const tenant = throttlingTenant(20);
		const budget = new RateBudget({ limits: DOCUMENTED_LIMITS.mde, maxInFlight: 5 });
		const done = runCalls(budget, tenant, 25);
		await jest.advanceTimersByTimeAsync(5 * MINUTE);
		await done;
		expect(budget.currentLimit(Date.now())).toBeLessThan(100);
		await jest.advanceTimersByTimeAsync(15 * MINUTE);
		expect(budget.currentLimit(Date.now())).toBe(100);
	});

	it('at the documented rate nothing is learned: 100 calls go in the first minute, none throttled', async () => {
		const tenant = throttlingTenant(100);
		const budget = new RateBudget({ limits: DOCUMENTED_LIMITS.mde, maxInFlight: 5 });
		const done = runCalls(budget, tenant, 100);
		await jest.advanceTimersByTimeAsync(5 * MINUTE);
		const finished = await done;
		expect(tenant.throttled()).toBe(0);
		expect(Math.max(...finished)).toBeLessThan(2_000);
		expect(budget.currentLimit(Date.now())).toBe(100);
	});
});

describe('a single 429 with the window nearly full', () => {
	it('pauses for Retry-After but keeps the documented limit', async () => {
		let now = 0;
		const budget = new RateBudget({ limits: DOCUMENTED_LIMITS.mde }, () => now);
		for (let call = 0; call < 96; call++) (await budget.acquire()).done();
		now = 1_000;
		(await budget.acquire()).done({ throttledForMs: 2_000 });
		expect(budget.currentLimit(now)).toBe(100);
		expect(budget.delayFor(now)).toBeGreaterThanOrEqual(2_000);
	});

	it('with the window far from full, the limit drops to what was accepted', async () => {
		let now = 0;
		const budget = new RateBudget({ limits: DOCUMENTED_LIMITS.mde }, () => now);
		for (let call = 0; call < 30; call++) (await budget.acquire()).done();
		now = 1_000;
		(await budget.acquire()).done({ throttledForMs: 2_000 });
		expect(budget.currentLimit(now)).toBe(30);
	});
});
