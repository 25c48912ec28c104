import { EVENTS, type EventDefinition } from '../../../nodes/Microsoft365Defender/trigger/events';
import {
	applyPoll,
	boundState,
	lateFloor,
	MAX_SEEN,
	planPoll,
	readState,
	STATE_VERSION,
	toCandidates,
	type PollSettings,
	type PollState,
} from '../../../nodes/Microsoft365Defender/trigger/state';
import { FakeCollection, iso, MIN, random, runPoll, T0, type Item } from './simulation';

const OVERLAP = 15 * MIN;
const settingsFor = (definition: EventDefinition, extra: Partial<PollSettings> = {}): PollSettings => ({
	definition,
	overlapMs: OVERLAP,
	...extra,
});
const ids = (events: Item[]) => events.map((event) => event.id);

/** Drives polls every `intervalMs` from `fromMs` to `toMs`, collecting every emitted event. */
function drive(
	collection: FakeCollection,
	settings: PollSettings,
	fromMs: number,
	toMs: number,
	intervalMs: number,
	initial?: PollState,
) {
	let state = initial;
	const emitted: Item[] = [];
	let maxSeen = 0;
	for (let now = fromMs; now <= toMs; now += intervalMs) {
		const outcome = runPoll(collection, state, settings, now);
		emitted.push(...outcome.events);
		state = outcome.state;
		maxSeen = Math.max(maxSeen, Object.keys(state.seen).length);
	}
	return { emitted, state: state as PollState, maxSeen };
}

describe('first activation', () => {
	it('starts from now: what already exists does not fire, what turns up afterwards does, late or not', () => {
		const collection = new FakeCollection();
		const start = T0;
		// Existing before activation: created 1 h and 5 min before, both visible.
		collection.add('1', { createdDateTime: iso(start - 60 * MIN), lastUpdateDateTime: iso(start - 60 * MIN), visibleAt: iso(start - 60 * MIN) });
		collection.add('2', { createdDateTime: iso(start - 5 * MIN), lastUpdateDateTime: iso(start - 5 * MIN), visibleAt: iso(start - 5 * MIN) });
		const settings = settingsFor(EVENTS.newIncident);

		const first = runPoll(collection, undefined, settings, start);
		expect(first.events).toEqual([]);
		expect(first.state.floor).toBe(iso(start - OVERLAP));
		expect(first.state.seen).toEqual({ '2': iso(start - 5 * MIN) });

		// After activation: one new, one created 3 min before activation but published 8 min late,
		// one created 20 min before activation (before the start window) published now.
		collection.add('3', { createdDateTime: iso(start + 1 * MIN), lastUpdateDateTime: iso(start + 1 * MIN), visibleAt: iso(start + 1 * MIN) });
		collection.add('4', { createdDateTime: iso(start - 3 * MIN), lastUpdateDateTime: iso(start - 3 * MIN), visibleAt: iso(start + 5 * MIN) });
		collection.add('5', { createdDateTime: iso(start - 20 * MIN), lastUpdateDateTime: iso(start - 20 * MIN), visibleAt: iso(start + 2 * MIN) });
		const second = runPoll(collection, first.state, settings, start + 6 * MIN);
		expect(ids(second.events)).toEqual(['4', '3']);
	});

	it.each([
		['New', EVENTS.newIncident, 'createdDateTime'],
		['Updated', EVENTS.updatedIncident, 'lastUpdateDateTime'],
	] as const)('%s: an item that turns up between reading "now" and reading the window fires in the first poll', (_label, definition, field) => {
		const settings = settingsFor(definition);
		// The first poll reads Microsoft's "now" (the newest timestamp listed), then its window; '3' arrived in between.
		const now = iso(T0 - 5 * MIN);
		const plan = planPoll(undefined, settings, now, now);
		const listed = [
			{ id: '2', createdDateTime: now, lastUpdateDateTime: now },
			{ id: '3', createdDateTime: iso(T0 + 1000), lastUpdateDateTime: iso(T0 + 1000) },
		];
		const outcome = applyPoll(plan, settings, toCandidates(definition, listed, () => true));
		expect(outcome.events.map((event) => event.id)).toEqual(['3']);
		expect(outcome.state.seen).toEqual({ '2': now, '3': iso(T0 + 1000) });
		expect(outcome.state.cursor).toBe(listed[1][field]);
		// And not again at the next poll.
		const next = applyPoll(planPoll(outcome.state, settings, iso(T0 + MIN)), settings, toCandidates(definition, listed, () => true));
		expect(next.events).toEqual([]);
	});

	it.each([
		['from a chosen date, oldest first', '2026-02-27T00:00:00.0000000Z', ['b', 'c', 'd']],
		['from a date after everything', '2026-03-02T00:00:00.0000000Z', []],
	])('starts %s', (_label, startFrom, expected) => {
		const collection = new FakeCollection();
		const add = (id: string, at: string) => collection.add(id, { createdDateTime: at, lastUpdateDateTime: at, visibleAt: at });
		add('a', '2026-02-26T23:59:59.9999999Z');
		add('d', '2026-02-28T12:00:00.0000000Z');
		add('b', '2026-02-27T00:00:00.0000000Z');
		add('c', '2026-02-27T00:00:00.0000000Z');
		const outcome = runPoll(collection, undefined, settingsFor(EVENTS.newIncident, { startFrom }), T0);
		expect(ids(outcome.events)).toEqual(expected);
		expect(outcome.state.floor).toBe(startFrom);
	});
});

describe('late arrivals', () => {
	// Steady traffic (one incident a minute) keeps the cursor close to now, the hardest case.
	const steady = () => {
		const collection = new FakeCollection();
		for (let minute = 0; minute <= 120; minute++) {
			const at = iso(T0 + minute * MIN);
			collection.add(`steady-${minute}`, { createdDateTime: at, lastUpdateDateTime: at, visibleAt: at });
		}
		return collection;
	};
	it.each([
		['New Incident', 0, true, EVENTS.newIncident],
		['New Incident', 14.9, true, EVENTS.newIncident],
		// New: the late lane looks behind the main window too (lastUpdateDateTime within about two overlaps).
		['New Incident', 16, true, EVENTS.newIncident],
		['Updated Incident', 0, true, EVENTS.updatedIncident],
		['Updated Incident', 14.9, true, EVENTS.updatedIncident],
		['Updated Incident', 16, false, EVENTS.updatedIncident],
	] as const)('%s: an item listed %p minutes after its timestamps is emitted: %p (overlap 15 min)', (_label, lateMinutes, expected, definition) => {
		const collection = steady();
		const created = T0 + 60 * MIN + 30_000;
		collection.add('late', { createdDateTime: iso(created), lastUpdateDateTime: iso(created), visibleAt: iso(created + lateMinutes * 60_000) });
		const { emitted } = drive(collection, settingsFor(definition, { startFrom: iso(T0) }), T0, T0 + 120 * MIN, MIN);
		expect(ids(emitted).filter((id) => id === 'late')).toEqual(expected ? ['late'] : []);
		expect(new Set(ids(emitted)).size).toBe(emitted.length);
	});

	it.each([
		[0.5, true],
		[6, true],
		[23.5, true],
		[25, false],
	])('New: an item Graph publishes %p hours after its createdDateTime (lastUpdateDateTime = publication) fires once: %p', (hours, expected) => {
		const collection = new FakeCollection();
		const end = T0 + 30 * 60 * MIN;
		for (let minute = 0; minute <= 30 * 60; minute += 5) {
			const at = iso(T0 + minute * MIN);
			collection.add(`steady-${minute}`, { createdDateTime: at, lastUpdateDateTime: at, visibleAt: at });
		}
		const published = T0 + 28 * 60 * MIN + 30_000;
		const created = published - hours * 60 * MIN;
		collection.add('late', { createdDateTime: iso(created), lastUpdateDateTime: iso(published), visibleAt: iso(published + 2 * MIN) });
		// ...and changed twice more later: still one event.
		collection.add('late', { createdDateTime: iso(created), lastUpdateDateTime: iso(published + 40 * MIN), visibleAt: iso(published + 40 * MIN) });
		collection.add('late', { createdDateTime: iso(created), lastUpdateDateTime: iso(published + 90 * MIN), visibleAt: iso(published + 90 * MIN) });
		const settings = settingsFor(EVENTS.newIncident, { startFrom: iso(T0 - 2 * 24 * 60 * MIN) });
		const { emitted, maxSeen } = drive(collection, settings, T0, end, MIN);
		expect(ids(emitted).filter((id) => id === 'late')).toEqual(expected ? ['late'] : []);
		expect(new Set(ids(emitted)).size).toBe(emitted.length);
		// About a day of ids (one every 5 minutes), not everything ever emitted.
		expect(maxSeen).toBeLessThanOrEqual(12 * 25 + 2);
	});
});

describe('cap per poll', () => {
	it('drains a backlog at most N per poll, oldest first, without loss or doubles, across equal timestamps at the cap boundary', () => {
		const collection = new FakeCollection();
		// 95 items: groups of 7 sharing one timestamp, so most cap boundaries fall inside a group.
		for (let index = 0; index < 95; index++) {
			const at = iso(T0 + Math.floor(index / 7) * 1000);
			collection.add(`${index}`, { createdDateTime: at, lastUpdateDateTime: at, visibleAt: at });
		}
		for (const definition of [EVENTS.newIncident, EVENTS.updatedIncident]) {
			const settings = settingsFor(definition, { startFrom: iso(T0 - MIN), maxEvents: 10 });
			let state: PollState | undefined;
			const emitted: string[] = [];
			const sizes: number[] = [];
			for (let poll = 0; poll < 12; poll++) {
				const outcome = runPoll(collection, state, settings, T0 + 5 * MIN, (items) => [...items].reverse());
				sizes.push(outcome.events.length);
				emitted.push(...ids(outcome.events));
				expect(outcome.capped).toBe(poll < 9);
				state = outcome.state;
			}
			expect(sizes).toEqual([10, 10, 10, 10, 10, 10, 10, 10, 10, 5, 0, 0]);
			expect(emitted).toEqual(Array.from({ length: 95 }, (_, index) => `${index}`));
		}
	});

	it('stops the cursor at the last event emitted', () => {
		const collection = new FakeCollection();
		for (let index = 0; index < 30; index++) {
			const at = iso(T0 + index * 1000);
			collection.add(`${index}`, { createdDateTime: at, lastUpdateDateTime: at, visibleAt: at });
		}
		const outcome = runPoll(collection, undefined, settingsFor(EVENTS.newIncident, { startFrom: iso(T0), maxEvents: 10 }), T0 + MIN);
		expect(ids(outcome.events)).toEqual(Array.from({ length: 10 }, (_, index) => `${index}`));
		expect(outcome.state.cursor).toBe(iso(T0 + 9000));
	});
});

describe('equal timestamps', () => {
	it('emits each of many items sharing one timestamp once, when they are listed over several polls', () => {
		const collection = new FakeCollection();
		const at = iso(T0 + 5 * MIN);
		for (let index = 0; index < 120; index++) {
			// 70 are listed at once, the other 50 two minutes later with the same timestamp.
			collection.add(`${1000 + index}`, { createdDateTime: at, lastUpdateDateTime: at, visibleAt: iso(T0 + (index < 70 ? 5 : 7) * MIN) });
		}
		const settings = settingsFor(EVENTS.newIncident, { startFrom: iso(T0) });
		const first = runPoll(collection, undefined, settings, T0 + 6 * MIN);
		expect(first.events).toHaveLength(70);
		const second = runPoll(collection, first.state, settings, T0 + 8 * MIN);
		expect(second.events).toHaveLength(50);
		expect(second.fetched).toBe(120);
		const third = runPoll(collection, second.state, settings, T0 + 9 * MIN);
		expect(third.events).toHaveLength(0);
		expect(ids([...first.events, ...second.events]).sort()).toEqual(Array.from({ length: 120 }, (_, index) => `${1000 + index}`));
	});

	it('emits an item listed twice in one poll (pages shifted under a concurrent insert) once, in its newest version', () => {
		const settings = settingsFor(EVENTS.updatedIncident, { startFrom: iso(T0) });
		const plan = planPoll(undefined, settings, new Date(T0));
		const v1 = { id: '9', createdDateTime: iso(T0), lastUpdateDateTime: iso(T0 + MIN), matches: true };
		const v2 = { ...v1, lastUpdateDateTime: iso(T0 + 2 * MIN) };
		const other = { id: '10', createdDateTime: iso(T0), lastUpdateDateTime: iso(T0 + MIN), matches: true };
		const result = applyPoll(plan, settings, toCandidates(settings.definition, [v1, other, other, v2], (item) => item.matches));
		expect(result.events).toEqual([other, v2]);
	});

	it('orders events oldest first, then by id (numerically for incident ids)', () => {
		const settings = settingsFor(EVENTS.newIncident, { startFrom: iso(T0) });
		const plan = planPoll(undefined, settings, new Date(T0));
		const item = (id: string, minute: number) => ({ id, createdDateTime: iso(T0 + minute * MIN), lastUpdateDateTime: iso(T0 + minute * MIN), matches: true });
		const result = applyPoll(plan, settings, toCandidates(settings.definition, [item('10', 2), item('9', 2), item('100', 1), item('11', 3)], () => true));
		expect(ids(result.events)).toEqual(['100', '9', '10', '11']);
	});
});

describe('updates', () => {
	it('fires Updated for a change to an old incident, once per version, and the newest of several changes between polls', () => {
		const collection = new FakeCollection();
		const created = iso(T0 - 30 * 24 * 60 * MIN);
		collection.add('42', { createdDateTime: created, lastUpdateDateTime: created, visibleAt: created });
		const settings = settingsFor(EVENTS.updatedIncident);

		let outcome = runPoll(collection, undefined, settings, T0);
		expect(outcome.events).toEqual([]);
		const update = (minutes: number) =>
			collection.add('42', { createdDateTime: created, lastUpdateDateTime: iso(T0 + minutes * MIN), visibleAt: iso(T0 + minutes * MIN) });

		update(1);
		outcome = runPoll(collection, outcome.state, settings, T0 + 2 * MIN);
		expect(outcome.events.map((event) => event.lastUpdateDateTime)).toEqual([iso(T0 + MIN)]);
		outcome = runPoll(collection, outcome.state, settings, T0 + 3 * MIN);
		expect(outcome.events).toEqual([]);
		update(4);
		update(5);
		outcome = runPoll(collection, outcome.state, settings, T0 + 6 * MIN);
		expect(outcome.events.map((event) => event.lastUpdateDateTime)).toEqual([iso(T0 + 5 * MIN)]);
		expect(outcome.state.seen).toEqual({ '42': iso(T0 + 5 * MIN) });
	});

	it('does not fire New again when an incident is updated', () => {
		const collection = new FakeCollection();
		const at = iso(T0 + MIN);
		collection.add('7', { createdDateTime: at, lastUpdateDateTime: at, visibleAt: at });
		const settings = settingsFor(EVENTS.newIncident, { startFrom: iso(T0) });
		const first = runPoll(collection, undefined, settings, T0 + 2 * MIN);
		collection.add('7', { createdDateTime: at, lastUpdateDateTime: iso(T0 + 3 * MIN), visibleAt: iso(T0 + 3 * MIN) });
		const second = runPoll(collection, first.state, settings, T0 + 4 * MIN);
		expect(ids(first.events)).toEqual(['7']);
		expect(second.events).toEqual([]);
	});

	it('does not emit items the client-side filters reject, but still moves the cursor past them', () => {
		const collection = new FakeCollection();
		const at = iso(T0 + 10 * MIN);
		collection.add('1', { createdDateTime: at, lastUpdateDateTime: at, visibleAt: at, matches: false });
		const outcome = runPoll(collection, undefined, settingsFor(EVENTS.newIncident, { startFrom: iso(T0) }), T0 + 11 * MIN);
		expect(outcome.events).toEqual([]);
		expect(outcome.state.cursor).toBe(at);
		expect(outcome.state.seen).toEqual({});
	});
});

describe('state bound', () => {
	it('keeps only what the next window can return: one overlap of events', () => {
		const collection = new FakeCollection();
		// 3 incidents a minute for a day.
		for (let minute = 0; minute < 24 * 60; minute++) {
			for (let index = 0; index < 3; index++) {
				const at = iso(T0 + minute * MIN + index * 1000);
				collection.add(`${minute * 3 + index}`, { createdDateTime: at, lastUpdateDateTime: at, visibleAt: at });
			}
		}
		const { emitted, state, maxSeen } = drive(collection, settingsFor(EVENTS.newIncident, { startFrom: iso(T0) }), T0, T0 + 24 * 60 * MIN, MIN);
		expect(emitted).toHaveLength(3 * 24 * 60);
		expect(new Set(ids(emitted)).size).toBe(emitted.length);
		// New events remember what can still be published late: one day plus the overlap and one poll, 3 a minute.
		expect(maxSeen).toBeLessThanOrEqual(3 * (24 * 60 + 16));
		expect(Object.values(state.seen).every((timestamp) => timestamp >= lateFloor(state, OVERLAP))).toBe(true);
		// Updated events: one overlap of events.
		const updated = drive(collection, settingsFor(EVENTS.updatedIncident, { startFrom: iso(T0) }), T0, T0 + 24 * 60 * MIN, MIN);
		expect(updated.emitted).toHaveLength(3 * 24 * 60);
		expect(updated.maxSeen).toBeLessThanOrEqual(3 * 16);
	});

	it('enforces the hard cap by raising the floor, so dropped ids cannot repeat', () => {
		const collection = new FakeCollection();
		const at = (index: number) => iso(T0 + MIN + index * 100);
		for (let index = 0; index < 300; index++) collection.add(`${index}`, { createdDateTime: at(index), lastUpdateDateTime: at(index), visibleAt: at(index) });
		const settings = settingsFor(EVENTS.newIncident, { startFrom: iso(T0), maxSeen: 50 });
		const first = runPoll(collection, undefined, settings, T0 + 2 * MIN);
		expect(first.events).toHaveLength(300);
		expect(Object.keys(first.state.seen)).toHaveLength(50);
		expect(first.state.floor > at(249)).toBe(true);
		expect(first.state.floor <= at(250)).toBe(true);
		const second = runPoll(collection, first.state, settings, T0 + 3 * MIN);
		expect(second.events).toEqual([]);
	});

	it('keeps the cap even when every item shares one timestamp', () => {
		const state: PollState = {
			version: STATE_VERSION,
			event: 'newIncident',
			cursor: iso(T0),
			floor: iso(T0 - OVERLAP),
			seen: Object.fromEntries(Array.from({ length: 20 }, (_, index) => [`${index}`, iso(T0)])),
		};
		const bounded = boundState(state, { overlapMs: OVERLAP, maxSeen: 10 });
		expect(Object.keys(bounded.seen).length).toBeLessThanOrEqual(10);
		expect(bounded.floor > iso(T0)).toBe(true);
	});

	it('has a documented default cap', () => {
		expect(MAX_SEEN).toBe(10_000);
	});
});

describe('readState', () => {
	const valid = { version: STATE_VERSION, event: 'newIncident', cursor: iso(T0), floor: iso(T0), seen: { '1': iso(T0) } };
	it.each([
		['a valid state', valid, true],
		['another event', { ...valid, event: 'newAlert' }, false],
		['another version', { ...valid, version: 0 }, false],
		['no cursor', { ...valid, cursor: undefined }, false],
		['no seen map', { ...valid, seen: null }, false],
		['nothing', undefined, false],
		['an empty object', {}, false],
	])('accepts %s: %p', (_label, raw, accepted) => {
		expect(readState(raw as never, 'newIncident') !== undefined).toBe(accepted);
	});

	it('drops unreadable seen entries and copies the map', () => {
		const raw = { ...valid, seen: { '1': iso(T0), '2': 'garbage' } };
		const state = readState(raw, 'newIncident') as PollState;
		expect(state.seen).toEqual({ '1': iso(T0) });
		state.seen['3'] = iso(T0);
		expect(raw.seen).not.toHaveProperty('3');
	});
});

describe('a failed poll', () => {
	it('changes nothing: the plan does not touch the saved state, so the next poll repeats the window', () => {
		const saved: PollState = { version: STATE_VERSION, event: 'newIncident', cursor: iso(T0), floor: iso(T0 - OVERLAP), seen: { '1': iso(T0) } };
		const snapshot = JSON.stringify(saved);
		const settings = settingsFor(EVENTS.newIncident);
		const plan = planPoll(saved, settings, new Date(T0 + MIN));
		// The fetch fails here; applyPoll is never called. Even if it were, it must not mutate its input.
		applyPoll(plan, settings, toCandidates(settings.definition, [{ id: '2', createdDateTime: iso(T0 + MIN), lastUpdateDateTime: iso(T0 + MIN) }], () => true));
		expect(JSON.stringify(saved)).toBe(snapshot);
	});
});

describe('simulated week (pure logic)', () => {
	it.each([
		['New Incident', EVENTS.newIncident, 1],
		['Updated Incident', EVENTS.updatedIncident, 2],
		['New Alert', EVENTS.newAlert, 3],
		['Updated Alert', EVENTS.updatedAlert, 4],
	])('%s: every event exactly once despite late arrivals, shared timestamps, bursts, updates and failed polls', (_label, definition, seed) => {
		const rand = random(seed);
		const collection = new FakeCollection();
		const start = T0;
		const end = T0 + 7 * 24 * 60 * MIN;
		const interval = 5 * MIN;
		const settings = settingsFor(definition, { startFrom: iso(start) });
		let nextId = 1;
		// For New events a filter decides once per incident (its title or tags as created); for
		// Updated events each version can match or not.
		const created: Array<{ id: string; created: string; matches: boolean }> = [];
		const versionMatches = (first: boolean) => (definition.change === 'new' ? first : rand() > 0.1);

		// Traffic: per interval, 0-5 items, sometimes a burst of 80 sharing one timestamp; up to 15 min late.
		for (let t = start; t < end; t += interval) {
			const burst = rand() < 0.03;
			const count = burst ? 80 : Math.floor(rand() * 6);
			const shared = t + Math.floor(rand() * interval);
			for (let index = 0; index < count; index++) {
				const at = burst ? shared : t + Math.floor(rand() * interval);
				const late = rand() < 0.3 ? Math.floor(rand() * 15 * MIN) : 0;
				const id = `${nextId++}`;
				const matches = rand() > 0.1;
				collection.add(id, { createdDateTime: iso(at), lastUpdateDateTime: iso(at), visibleAt: iso(at + late), matches });
				created.push({ id, created: iso(at), matches });
			}
			// Updates to older items, some of them days old.
			for (let index = 0; index < 3 && created.length > 0; index++) {
				const target = created[Math.floor(rand() * created.length)];
				const at = t + Math.floor(rand() * interval);
				if (iso(at) <= target.created) continue;
				const late = rand() < 0.3 ? Math.floor(rand() * 15 * MIN) : 0;
				collection.add(target.id, { createdDateTime: target.created, lastUpdateDateTime: iso(at), visibleAt: iso(at + late), matches: versionMatches(target.matches) });
			}
		}

		// Poll; 5 % of polls fail (state untouched). Expected: for New, every matching id; for
		// Updated, every matching version that was current at some successful poll.
		let state: PollState | undefined;
		const emitted: string[] = [];
		const expected = new Set<string>();
		let polls = 0;
		let failures = 0;
		let maxSeen = 0;
		const keyOf = (item: Item) => (definition.change === 'new' ? item.id : `${item.id}@${item.lastUpdateDateTime}`);
		for (let now = start; now <= end + 30 * MIN; now += interval) {
			polls++;
			if (rand() < 0.05) {
				failures++;
				continue;
			}
			for (const item of collection.listAt(iso(now))) if (item.matches) expected.add(keyOf(item));
			const outcome = runPoll(collection, state, settings, now, (items) => [...items].sort(() => rand() - 0.5));
			emitted.push(...outcome.events.map(keyOf));
			state = outcome.state;
			maxSeen = Math.max(maxSeen, Object.keys(state.seen).length);
		}
		expect(new Set(emitted).size).toBe(emitted.length);
		expect(new Set(emitted)).toEqual(expected);
		expect(polls).toBeGreaterThan(2000);
		expect(failures).toBeGreaterThan(50);
		// New: a day of new items (about 1,400 a day here); Updated: one overlap.
		expect(maxSeen).toBeLessThan(definition.change === 'new' ? 2500 : 400);
	});
});
