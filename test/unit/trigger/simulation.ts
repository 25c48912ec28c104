/**
 * A tiny stand-in for Graph's collection semantics, for the pure cursor logic: items have
 * versions, each version becomes visible at some time (late arrivals), and a query returns the
 * current visible version of every item whose timestamp is >= the filter bound, compared at
 * millisecond precision as Graph's OData literal is. Time only moves forward: call listAt with
 * non-decreasing `now`.
 */
import type { EventDefinition } from '../../../nodes/Microsoft365Defender/trigger/events';
import {
	applyPoll,
	planPoll,
	toCandidates,
	type LateWindow,
	type PollSettings,
	type PollState,
} from '../../../nodes/Microsoft365Defender/trigger/state';
import { normalizeTimestamp, odataLowerBound, odataUpperBound } from '../../../nodes/Microsoft365Defender/trigger/timestamps';

export interface Version {
	createdDateTime: string;
	lastUpdateDateTime: string;
	/** When Microsoft starts listing this version. */
	visibleAt: string;
	matches?: boolean;
}

export type Item = { id: string; createdDateTime: string; lastUpdateDateTime: string; matches: boolean };

export const iso = (ms: number) => normalizeTimestamp(new Date(ms)) as string;
export const T0 = Date.parse('2026-03-01T00:00:00Z');
export const MIN = 60_000;

export class FakeCollection {
	private pending: Array<{ id: string; version: Version }> = [];
	private sorted = true;
	private readonly current = new Map<string, Item>();

	add(id: string, version: Version): void {
		this.pending.push({ id, version });
		this.sorted = false;
	}

	/** The current version of each item as listed at `now` (the newest version already visible). */
	listAt(now: string): Item[] {
		if (!this.sorted) {
			this.pending.sort((a, b) => (a.version.visibleAt < b.version.visibleAt ? 1 : a.version.visibleAt > b.version.visibleAt ? -1 : 0));
			this.sorted = true;
		}
		while (this.pending.length > 0 && this.pending[this.pending.length - 1].version.visibleAt <= now) {
			const { id, version } = this.pending.pop() as { id: string; version: Version };
			const known = this.current.get(id);
			if (!known || version.lastUpdateDateTime > known.lastUpdateDateTime) {
				const { createdDateTime, lastUpdateDateTime, matches = true } = version;
				this.current.set(id, { id, createdDateTime, lastUpdateDateTime, matches });
			}
		}
		return [...this.current.values()];
	}

	/** New events' late lane: created in [createdFrom, createdBefore) and changed from `since` on, as Graph compares (milliseconds). */
	queryLate(late: LateWindow, now: string): Item[] {
		const since = normalizeTimestamp(odataLowerBound(late.since)) as string;
		const from = normalizeTimestamp(odataLowerBound(late.createdFrom)) as string;
		const before = normalizeTimestamp(odataUpperBound(late.createdBefore)) as string;
		return this.listAt(now).filter((item) => item.lastUpdateDateTime >= since && item.createdDateTime >= from && item.createdDateTime < before);
	}

	query(definition: EventDefinition, since: string, now: string): Item[] {
		// Timestamps here are all in the fixed form, so text comparison is time comparison.
		const bound = normalizeTimestamp(odataLowerBound(since)) as string;
		return this.listAt(now).filter((item) => item[definition.timestampField] >= bound);
	}
}

export interface PollOutcome {
	events: Item[];
	state: PollState;
	fetched: number;
	capped: boolean;
}

/** One poll as the node runs it: plan, query, apply. */
export function runPoll(
	collection: FakeCollection,
	state: PollState | undefined,
	settings: PollSettings,
	nowMs: number,
	shuffle?: (items: Item[]) => Item[],
): PollOutcome {
	const now = iso(nowMs);
	const plan = planPoll(state, settings, new Date(nowMs));
	let items = collection.query(settings.definition, plan.since, now);
	if (shuffle) items = shuffle(items);
	let late: Item[] | undefined;
	if (plan.late) {
		late = collection.queryLate(plan.late, now);
		if (shuffle) late = shuffle(late);
	}
	const result = applyPoll(
		plan,
		settings,
		toCandidates(settings.definition, items, (item) => item.matches),
		late && toCandidates(settings.definition, late, (item) => item.matches, 'late'),
	);
	return { events: result.events, state: result.state, fetched: items.length + (late?.length ?? 0), capped: result.capped };
}

/** Deterministic pseudo-random numbers (mulberry32). */
export function random(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}
