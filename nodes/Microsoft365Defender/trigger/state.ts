/**
 * The trigger's cursor and de-duplication, free of n8n and HTTP so it can be tested on its own.
 *
 * Each poll asks Graph for every item whose timestamp (createdDateTime for New events,
 * lastUpdateDateTime for Updated events) is at or after `since`, where
 *
 *     since = max(cursor - overlap, floor)
 *
 * - `cursor` is the newest timestamp seen in any successful poll (taken from the data, not from
 *   this machine's clock, so clock skew between n8n and Microsoft does not matter once started).
 *   Anything Microsoft shows us was visible then, so an item that turns up late, with a timestamp
 *   at most `overlap` older than what we had already seen, is still inside the next window.
 * - `floor` is where the trigger started (first activation, or the chosen start date); nothing
 *   older is ever emitted. The seen-set cap below can also raise it.
 * - `seen` maps each emitted id to the timestamp of the version emitted. New events fire for an
 *   id not in `seen`; Updated events for an id not in `seen` or with a newer timestamp. Because the
 *   window overlaps the previous one, items come back several times; `seen` keeps them from being
 *   emitted twice, including many items sharing one timestamp across a page boundary.
 *
 * Bound on the state: after each poll, `seen` keeps only entries with a timestamp at or after the
 * next poll's `since` (older ones cannot be returned by that query any more, so forgetting them
 * cannot cause a repeat). That is the items emitted within one overlap (default 15 minutes) of
 * the newest timestamp seen. On top of that, a hard cap of MAX_SEEN entries: if more than that
 * many events fall inside one overlap, the oldest entries are dropped and `floor` is raised just
 * past them, so they cannot be fetched (and repeated) again; the price is that an item arriving
 * later than that with an older timestamp would not be emitted. State size is therefore at most
 * MAX_SEEN entries of id + 28-character timestamp (worst case about 0.4 MB of JSON for incident
 * ids, 0.7 MB for alert ids), plus three timestamps; in practice it is the events of one overlap
 * (a few KB).
 */
import type { IDataObject } from 'n8n-workflow';

import type { EventDefinition } from './events';
import { addMilliseconds, laterOf, nextTick, normalizeTimestamp } from './timestamps';

export const STATE_VERSION = 1;
/** Hard cap on remembered ids. See the bound described above. */
export const MAX_SEEN = 10_000;
export const DEFAULT_OVERLAP_MINUTES = 15;

export interface PollState {
	version: number;
	/** The event the state belongs to; another event starts afresh. */
	event: string;
	cursor: string;
	floor: string;
	seen: Record<string, string>;
}

export interface PollSettings {
	definition: EventDefinition;
	overlapMs: number;
	/** Normalized start date for a first activation, or undefined for "now". */
	startFrom?: string;
	maxSeen?: number;
}

export interface PollPlan {
	/** Emit nothing: the first poll only records what is already there. */
	baseline: boolean;
	/** Inclusive lower bound of the window, in the fixed timestamp form. */
	since: string;
	state: PollState;
}

export interface PollResult<T> {
	/** Items to emit, oldest first. */
	events: T[];
	state: PollState;
}

export interface Candidate<T> {
	id: string;
	/** The event's timestamp, normalized. */
	timestamp: string;
	item: T;
	/** Passes the client-side filters. */
	matches: boolean;
}

/** The saved state, if it is this trigger's, well-formed and for this event; otherwise undefined. */
export function readState(raw: IDataObject | undefined, event: string): PollState | undefined {
	if (!raw || raw.version !== STATE_VERSION || raw.event !== event) return undefined;
	const cursor = normalizeTimestamp(raw.cursor);
	const floor = normalizeTimestamp(raw.floor);
	if (!cursor || !floor || typeof raw.seen !== 'object' || raw.seen === null) return undefined;
	const seen: Record<string, string> = {};
	for (const [id, value] of Object.entries(raw.seen as IDataObject)) {
		const timestamp = normalizeTimestamp(value);
		if (timestamp) seen[id] = timestamp;
	}
	return { version: STATE_VERSION, event, cursor, floor, seen };
}

export function windowStart(state: PollState, overlapMs: number): string {
	return laterOf(addMilliseconds(state.cursor, -overlapMs), state.floor);
}

/**
 * What the next poll asks for. Without state: from the start date (and emit), or, for "now",
 * a baseline over the last overlap that records what already exists without emitting it, so an
 * incident that existed before activation does not fire while one that turns up late does.
 */
export function planPoll(previous: PollState | undefined, settings: PollSettings, now: Date): PollPlan {
	if (previous) return { baseline: false, since: windowStart(previous, settings.overlapMs), state: previous };
	const event = settings.definition.event;
	if (settings.startFrom) {
		const state = { version: STATE_VERSION, event, cursor: settings.startFrom, floor: settings.startFrom, seen: {} };
		return { baseline: false, since: settings.startFrom, state };
	}
	const nowText = normalizeTimestamp(now) as string;
	const floor = addMilliseconds(nowText, -settings.overlapMs);
	const state = { version: STATE_VERSION, event, cursor: nowText, floor, seen: {} };
	return { baseline: true, since: floor, state };
}

/**
 * Applies one successful poll's items to the plan's state: picks the events, moves the cursor,
 * remembers what was emitted and forgets what can no longer come back.
 */
export function applyPoll<T>(plan: PollPlan, settings: PollSettings, candidates: Array<Candidate<T>>): PollResult<T> {
	const { change } = settings.definition;
	const seen = { ...plan.state.seen };
	let cursor = plan.state.cursor;

	// The same id can come back twice in one poll (pages shift while new items arrive): keep its newest version.
	const latest = new Map<string, Candidate<T>>();
	for (const candidate of candidates) {
		if (candidate.timestamp < plan.since) continue;
		cursor = laterOf(cursor, candidate.timestamp);
		const known = latest.get(candidate.id);
		if (!known || candidate.timestamp > known.timestamp) latest.set(candidate.id, candidate);
	}

	const fresh: Array<Candidate<T>> = [];
	for (const candidate of latest.values()) {
		if (!candidate.matches) continue;
		const emitted = seen[candidate.id];
		const isNew = change === 'new' ? emitted === undefined : emitted === undefined || candidate.timestamp > emitted;
		if (!isNew) continue;
		seen[candidate.id] = candidate.timestamp;
		fresh.push(candidate);
	}
	fresh.sort(compareCandidates);

	const state = boundState({ ...plan.state, cursor, seen }, settings);
	return { events: plan.baseline ? [] : fresh.map((candidate) => candidate.item), state };
}

/** Drops what the next window cannot return, then enforces the hard cap (raising the floor). */
export function boundState(state: PollState, settings: Pick<PollSettings, 'overlapMs' | 'maxSeen'>): PollState {
	const maxSeen = settings.maxSeen ?? MAX_SEEN;
	const since = windowStart(state, settings.overlapMs);
	let entries = Object.entries(state.seen).filter(([, timestamp]) => timestamp >= since);
	let floor = state.floor;
	if (entries.length > maxSeen) {
		entries.sort((a, b) => (a[1] < b[1] ? 1 : a[1] > b[1] ? -1 : 0));
		const firstDropped = entries[maxSeen][1];
		entries = entries.filter(([, timestamp]) => timestamp > firstDropped);
		floor = laterOf(floor, nextTick(firstDropped));
	}
	return { ...state, floor, seen: Object.fromEntries(entries) };
}

function compareIds(a: string, b: string): number {
	if (/^\d+$/.test(a) && /^\d+$/.test(b) && a.length !== b.length) return a.length - b.length;
	return a < b ? -1 : a > b ? 1 : 0;
}

function compareCandidates<T>(a: Candidate<T>, b: Candidate<T>): number {
	if (a.timestamp !== b.timestamp) return a.timestamp < b.timestamp ? -1 : 1;
	return compareIds(a.id, b.id);
}

/** Turns API items into candidates; items without an id or a readable timestamp are skipped. */
export function toCandidates<T extends IDataObject>(
	definition: EventDefinition,
	items: T[],
	matches: (item: T) => boolean,
): Array<Candidate<T>> {
	const candidates: Array<Candidate<T>> = [];
	for (const item of items) {
		const id = item.id;
		const timestamp = normalizeTimestamp(item[definition.timestampField]);
		if ((typeof id !== 'string' && typeof id !== 'number') || !timestamp) continue;
		candidates.push({ id: String(id), timestamp, item, matches: matches(item) });
	}
	return candidates;
}
