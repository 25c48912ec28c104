import { ARRIVAL_MARGIN_MS, RateBudget } from '../../nodes/Microsoft365Defender/transport/pacing/rateBudget';

/** A budget on a fake clock: waiting advances time instead of sleeping. */
function fakeBudget(limits: ConstructorParameters<typeof RateBudget>[0]) {
	let now = 0;
	const waits: number[] = [];
	const budget = new RateBudget(
		limits,
		() => now,
		async (ms) => {
			waits.push(ms);
			now += ms;
		},
	);
	return { budget, waits, now: () => now, advance: (ms: number) => (now += ms) };
}

describe('RateBudget', () => {
	it('lets the first calls through and holds the next until the window has room', async () => {
		const { budget, now } = fakeBudget([{ limit: 3, windowMs: 60_000 }]);
		const times: number[] = [];
		for (let call = 0; call < 7; call++) {
			await budget.acquire();
			times.push(now());
		}
		const next = 60_000 + ARRIVAL_MARGIN_MS;
		expect(times).toEqual([0, 0, 0, next, next, next, 2 * next]);
	});

	it('never lets more than the limit into any rolling window, with two limits', async () => {
		const { budget, now, advance } = fakeBudget([
			{ limit: 5, windowMs: 1_000 },
			{ limit: 12, windowMs: 10_000 },
		]);
		const times: number[] = [];
		for (let call = 0; call < 40; call++) {
			if (call % 7 === 0) advance(300);
			await budget.acquire();
			times.push(now());
		}
		for (const [limit, windowMs] of [
			[5, 1_000],
			[12, 10_000],
		]) {
			for (const start of times) {
				expect(times.filter((time) => time >= start && time < start + windowMs).length).toBeLessThanOrEqual(limit);
			}
		}
	});

	it('holds every caller until a Retry-After pause ends', async () => {
		const { budget, now, waits } = fakeBudget([]);
		await budget.acquire();
		budget.pause(2_000);
		await Promise.all([budget.acquire(), budget.acquire()]);
		expect(now()).toBe(2_000);
		expect(waits).toEqual([2_000]);
	});

	it('serves callers in order and reports waits', async () => {
		const { budget } = fakeBudget([{ limit: 1, windowMs: 1_000 }]);
		const order: number[] = [];
		const reported: number[] = [];
		await Promise.all(
			[0, 1, 2].map(async (index) => {
				await budget.acquire({ onWait: (ms) => reported.push(ms) });
				order.push(index);
			}),
		);
		expect(order).toEqual([0, 1, 2]);
		expect(reported).toEqual([1_000 + ARRIVAL_MARGIN_MS, 1_000 + ARRIVAL_MARGIN_MS]);
	});

	it('without limits never waits', async () => {
		const { budget, waits } = fakeBudget([]);
		for (let call = 0; call < 1000; call++) await budget.acquire();
		expect(waits).toEqual([]);
	});
});

describe('RateBudget and a stop', () => {
	it('a waiter whose signal fires leaves the queue at once and is not counted', async () => {
		const budget = new RateBudget([{ limit: 1, windowMs: 60_000 }]);
		await budget.acquire();
		const stop = new AbortController();
		const started = Date.now();
		const waiting = budget.acquire({ signal: stop.signal });
		setTimeout(() => stop.abort(), 50);
		await expect(waiting).rejects.toThrow(/stopped/);
		expect(Date.now() - started).toBeLessThan(1_000);
		// Not counted: the window still holds only the first call.
		expect(budget.delayFor(Date.now())).toBeLessThanOrEqual(60_000 + ARRIVAL_MARGIN_MS);
	});

	it('a stopped waiter behind another one does not hold up the queue or take its place', async () => {
		let now = 0;
		const budget = new RateBudget([{ limit: 2, windowMs: 1_000 }], () => now, async (ms) => {
			now += ms;
		});
		await budget.acquire();
		const stop = new AbortController();
		stop.abort();
		await expect(budget.acquire({ signal: stop.signal })).rejects.toThrow(/stopped/);
		await budget.acquire();
		// The second real call went without waiting: the stopped one took no slot.
		expect(now).toBe(0);
	});

	it('a Retry-After pause is cut short by the stop', async () => {
		const budget = new RateBudget([]);
		budget.pause(60_000);
		const stop = new AbortController();
		const started = Date.now();
		setTimeout(() => stop.abort(), 50);
		await expect(budget.acquire({ signal: stop.signal })).rejects.toThrow(/stopped/);
		expect(Date.now() - started).toBeLessThan(1_000);
	});
});
