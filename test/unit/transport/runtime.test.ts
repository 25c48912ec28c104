import { ProcessCache, processCache, resetProcessState } from '../../../nodes/Microsoft365Defender/runtime';

function cacheOnClock(maxEntries: number, idleMs: number) {
	let now = 0;
	const cache = new ProcessCache<string>(maxEntries, idleMs, () => now);
	return { cache, advance: (ms: number) => (now += ms) };
}

describe('ProcessCache', () => {
	it('evicts the least recently used entry, not the first inserted', () => {
		const { cache } = cacheOnClock(2, 60_000);
		cache.set('a', 'A');
		cache.set('b', 'B');
		expect(cache.get('a')).toBe('A');
		cache.set('c', 'C');
		expect(cache.get('a')).toBe('A');
		expect(cache.get('b')).toBeUndefined();
		expect(cache.get('c')).toBe('C');
	});

	it('forgets entries idle longer than its expiry, and use keeps them', () => {
		const { cache, advance } = cacheOnClock(10, 1_000);
		cache.set('used', 'U');
		cache.set('idle', 'I');
		advance(800);
		expect(cache.get('used')).toBe('U');
		advance(800);
		expect(cache.get('idle')).toBeUndefined();
		expect(cache.get('used')).toBe('U');
	});

	it('drops idle entries when something new is stored, so they do not pile up', () => {
		const { cache, advance } = cacheOnClock(10, 1_000);
		for (const key of ['a', 'b', 'c']) cache.set(key, key);
		advance(1_500);
		cache.set('d', 'd');
		expect(cache.size).toBe(1);
	});

	it('getOrCreate creates once', () => {
		const { cache } = cacheOnClock(10, 1_000);
		let created = 0;
		const make = () => `value ${++created}`;
		expect(cache.getOrCreate('k', make)).toBe('value 1');
		expect(cache.getOrCreate('k', make)).toBe('value 1');
		expect(created).toBe(1);
	});
});

describe('resetProcessState', () => {
	it('empties every named process cache', () => {
		processCache<string>('rateBudgets').set('x', 'budget');
		processCache<string>('msalApplications').set('y', 'app');
		resetProcessState();
		expect(processCache('rateBudgets').size).toBe(0);
		expect(processCache('msalApplications').size).toBe(0);
	});
});
