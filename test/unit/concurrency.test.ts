import { forEachConcurrently } from '../../nodes/Microsoft365Defender/transport/concurrency';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('forEachConcurrently', () => {
	it('never runs more than the limit at once and runs every index once', async () => {
		let running = 0;
		let peak = 0;
		const seen: number[] = [];
		await forEachConcurrently(50, 7, async (index) => {
			running++;
			peak = Math.max(peak, running);
			await tick();
			seen.push(index);
			running--;
		});
		expect(peak).toBe(7);
		expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, index) => index));
	});

	it('stops starting new work after a failure and rethrows it', async () => {
		const started: number[] = [];
		await expect(
			forEachConcurrently(20, 2, async (index) => {
				started.push(index);
				await tick();
				if (index === 3) throw new Error('item 3 failed');
			}),
		).rejects.toThrow('item 3 failed');
		expect(Math.max(...started)).toBeLessThan(6);
	});

	it.each([0, -1, Number.NaN])('treats a limit of %p as 1', async (limit) => {
		let running = 0;
		let peak = 0;
		await forEachConcurrently(5, limit, async () => {
			running++;
			peak = Math.max(peak, running);
			await tick();
			running--;
		});
		expect(peak).toBe(1);
	});

	it('does nothing for no items', async () => {
		const worker = jest.fn();
		await forEachConcurrently(0, 5, worker);
		expect(worker).not.toHaveBeenCalled();
	});
});
