/**
 * The trigger's cursor and de-duplication, free of n8n and HTTP so it can be tested on its own.
 *
 * Main lane. Each poll asks Graph for the items whose event timestamp (createdDateTime for New,
 * lastUpdateDateTime for Updated) is at or after `since`, oldest first (`$orderby=... asc`), where
 *
 *     since = max(cursor - overlap, floor)
 *
 * - `cursor` is the newest event timestamp consumed (taken from the data, not from this machine's
 *   clock, so clock skew between n8n and Microsoft does not matter). An item listed late, with a
 *   timestamp at most `overlap` older than that, is still inside the next window.
 * - `floor` is where the trigger started (first activation, or the chosen start date); nothing
 *   older is ever emitted. The seen-set cap below can also raise it.
 * - `seen` maps each emitted id to the event timestamp of the version emitted. New events fire
 *   for an id not in `seen`; Updated events for an id not in `seen` or with a newer timestamp.
 *   Windows overlap; `seen` keeps items from being emitted twice, including many items sharing
 *   one timestamp across a page or cap boundary.
 *
 * Late lane (New events). Some sources reach Graph hours after their createdDateTime, behind the
 * main window; Graph then sets lastUpdateDateTime to the publication. So each poll also asks for
 * items created in [max(floor, cursor - overlap - lateness), since) whose lastUpdateDateTime is at
 * or after max(lateCursor - overlap, floor), oldest change first; `lateCursor` is the newest
 * lastUpdateDateTime that lane consumed. An id not in `seen` there fires New. Lateness: 24 hours.
 * createdDateTime never changes, so the main lane can drain a backlog without items moving
 * ahead of its cursor (as they would, updated, on lastUpdateDateTime).
 *
 * Cap: a poll emits at most `maxEvents` events, the late lane's first. When more are fresh, a
 * lane emits its first ones in cursor order (timestamp, then id) and moves its cursor only to the
 * last of those; the rest (even ones with the same timestamp as the last emitted) are fetched
 * again by the next poll, whose window starts at or before the cursor, and those already emitted
 * are in `seen`. A lane the cap left no room for is not read and its cursor stays.
 *
 * Bound on the state: after each poll, `seen` keeps only the entries the next poll could emit
 * again: Updated, a timestamp at or after the next `since` (one overlap of events); New, a
 * createdDateTime at or after the late lane's next lower bound (one day plus one overlap of new
 * items). On top of that, a hard cap of MAX_SEEN entries: the oldest entries beyond it are dropped
 * and `floor` is raised just past them, so they cannot be emitted again; the price is that an item
 * arriving later than that with an older timestamp is not emitted. State size is therefore at
 * most MAX_SEEN entries of id + 28-character timestamp (worst case about 0.4 MB of JSON for
 * incident ids, 0.7 MB for alert ids), plus three timestamps.
 */
import type { IDataObject } from 'n8n-workflow';

import type { EventDefinition } from './events';
import { addMilliseconds, laterOf, nextTick, normalizeTimestamp } from './timestamps';

export const STATE_VERSION = 2;
/** Hard cap on remembered ids. See the bound described above. */
export const MAX_SEEN = 10_000;
export const DEFAULT_OVERLAP_MINUTES = 15;
/** Default cap on the events one poll emits (one workflow execution). */
export const DEFAULT_MAX_EVENTS_PER_POLL = 1000;
/** New events: how long after its createdDateTime an item may reach Graph and still fire. */
export const LATE_PUBLICATION_MS = 24 * 60 * 60_000;
/** Before any item exists, the cursor starts here: whatever turns up later is new. */
export const EPOCH = '1970-01-01T00:00:00.0000000Z';

export interface PollState {
	version: number;
	/** The event the state belongs to; another event starts afresh. */
	event: string;
	/** Newest event timestamp consumed (createdDateTime for New, lastUpdateDateTime for Updated). */
	cursor: string;
	floor: string;
	seen: Record<string, string>;
	/** New events: newest lastUpdateDateTime consumed by the late lane. */
	lateCursor?: string;
}

export interface PollSettings {
	definition: EventDefinition;
	overlapMs: number;
	/** Normalized start date for a first activation, or undefined for "now". */
	startFrom?: string;
	maxSeen?: number;
	/** Most events one poll emits; undefined for no cap. */
	maxEvents?: number;
	/** New events: see LATE_PUBLICATION_MS. */
	latenessMs?: number;
}

/** New events: the late lane's window, behind the main one. */
export interface LateWindow {
	/** Inclusive lower bound on lastUpdateDateTime. */
	since: string;
	/** createdDateTime from here (inclusive)... */
	createdFrom: string;
	/** ...to here (exclusive): the main window's start. */
	createdBefore: string;
}

export interface PollPlan {
	/** Emit nothing: the first poll only records what is already there. */
	baseline: boolean;
	/** Inclusive lower bound of the main window (on the event's timestamp), in the fixed form. */
	since: string;
	/** New events after the first poll: the late lane. */
	late?: LateWindow;
	state: PollState;
}

export interface PollResult<T> {
	/** Items to emit, oldest first (by the event's timestamp). */
	events: T[];
	state: PollState;
	/** More events were fresh than the cap allowed: the next poll continues from the cursors. */
	capped: boolean;
}

export interface Candidate<T> {
	id: string;
	/** The event's timestamp (createdDateTime for New, lastUpdateDateTime for Updated), normalized. */
	timestamp: string;
	/** The lane's ordering timestamp: the event's timestamp (main lane) or lastUpdateDateTime (late lane). */
	position: string;
	item: T;
	/** Passes the client-side filters. */
	matches: boolean;
}

export type Lane = 'main' | 'late';

/**
 * The saved state, if it is this trigger's, well-formed and for this event; otherwise undefined.
 * A version 1 state is carried over: for New events its floor is raised to its last window's
 * start (it remembered only the ids from there on), so nothing it emitted fires again.
 */
export function readState(raw: IDataObject | undefined, event: string, overlapMs = DEFAULT_OVERLAP_MINUTES * 60_000): PollState | undefined {
	if (!raw || (raw.version !== STATE_VERSION && raw.version !== 1) || raw.event !== event) return undefined;
	const cursor = normalizeTimestamp(raw.cursor);
	let floor = normalizeTimestamp(raw.floor);
	if (!cursor || !floor || typeof raw.seen !== 'object' || raw.seen === null) return undefined;
	const seen: Record<string, string> = {};
	for (const [id, value] of Object.entries(raw.seen as IDataObject)) {
		const timestamp = normalizeTimestamp(value);
		if (timestamp) seen[id] = timestamp;
	}
	const state: PollState = { version: STATE_VERSION, event, cursor, floor, seen };
	if (event.startsWith('new')) {
		if (raw.version === 1) floor = laterOf(floor, addMilliseconds(cursor, -overlapMs));
		state.floor = floor;
		state.lateCursor = normalizeTimestamp(raw.lateCursor) ?? cursor;
	}
	return state;
}

export function windowStart(state: PollState, overlapMs: number): string {
	return laterOf(addMilliseconds(state.cursor, -overlapMs), state.floor);
}

/** New events: the oldest createdDateTime the late lane looks at, and what `seen` must cover. */
export function lateFloor(state: PollState, overlapMs: number, latenessMs = LATE_PUBLICATION_MS): string {
	return laterOf(state.floor, addMilliseconds(state.cursor, -overlapMs - latenessMs));
}

function lateWindow(state: PollState, settings: PollSettings): LateWindow | undefined {
	if (settings.definition.change !== 'new') return undefined;
	const lateCursor = state.lateCursor ?? state.cursor;
	return {
		since: laterOf(addMilliseconds(lateCursor, -settings.overlapMs), state.floor),
		createdFrom: lateFloor(state, settings.overlapMs, settings.latenessMs),
		createdBefore: windowStart(state, settings.overlapMs),
	};
}

/**
 * What the next poll asks for. Without state: from the start date (and emit), or, for "now",
 * a baseline over the last overlap before `now` that records what already exists without
 * emitting it, so an item that existed before activation does not fire while one that turns up
 * late does (or after `now`, while the baseline poll runs: that one fires in the baseline poll). `now` should be Microsoft's time: the newest event timestamp Graph lists (see
 * poll.ts), or EPOCH when it lists nothing; `lateNow` likewise the newest lastUpdateDateTime.
 */
export function planPoll(previous: PollState | undefined, settings: PollSettings, now: Date | string, lateNow?: string): PollPlan {
	if (previous) {
		return { baseline: false, since: windowStart(previous, settings.overlapMs), late: lateWindow(previous, settings), state: previous };
	}
	const event = settings.definition.event;
	const isNew = settings.definition.change === 'new';
	if (settings.startFrom) {
		const state: PollState = { version: STATE_VERSION, event, cursor: settings.startFrom, floor: settings.startFrom, seen: {} };
		if (isNew) state.lateCursor = settings.startFrom;
		return { baseline: false, since: settings.startFrom, state };
	}
	const nowText = normalizeTimestamp(now) as string;
	const floor = nowText === EPOCH ? EPOCH : addMilliseconds(nowText, -settings.overlapMs);
	const state: PollState = { version: STATE_VERSION, event, cursor: nowText, floor, seen: {} };
	if (isNew) state.lateCursor = laterOf(normalizeTimestamp(lateNow ?? now) as string, nowText);
	return { baseline: true, since: floor, state };
}

/** Whether a candidate of `lane` is an event, given the ids remembered so far. */
export function isFresh<T>(plan: PollPlan, settings: PollSettings, candidate: Candidate<T>, lane: Lane = 'main', seen = plan.state.seen): boolean {
	if (!candidate.matches) return false;
	const emitted = seen[candidate.id];
	if (lane === 'late') {
		const late = plan.late;
		return late !== undefined && emitted === undefined && candidate.position >= late.since && candidate.timestamp >= late.createdFrom;
	}
	if (candidate.position < plan.since) return false;
	if (settings.definition.change === 'new') return emitted === undefined;
	return emitted === undefined || candidate.timestamp > emitted;
}

/** One lane of one poll: the events (at most `budget`, the first by position) and how far it got. */
function applyLane<T>(
	plan: PollPlan,
	settings: PollSettings,
	lane: Lane,
	candidates: Array<Candidate<T>>,
	seen: Record<string, string>,
	cursor: string,
	budget: number,
): { emitted: Array<Candidate<T>>; cursor: string; capped: boolean } {
	const since = lane === 'late' ? (plan.late?.since ?? cursor) : plan.since;
	let newest = cursor;
	// The same id can come back twice in one poll (pages shift while new items arrive): keep its newest version.
	const latest = new Map<string, Candidate<T>>();
	for (const candidate of candidates) {
		if (candidate.position < since) continue;
		newest = laterOf(newest, candidate.position);
		const known = latest.get(candidate.id);
		if (!known || candidate.position > known.position) latest.set(candidate.id, candidate);
	}
	const fresh = [...latest.values()].filter((candidate) => isFresh(plan, settings, candidate, lane, seen));
	fresh.sort(byPosition);
	const capped = fresh.length > budget;
	const emitted = capped ? fresh.slice(0, budget) : fresh;
	for (const candidate of emitted) seen[candidate.id] = candidate.timestamp;
	if (!capped) return { emitted, cursor: newest, capped };
	// Capped: the cursor stops at the last event emitted; everything after it comes back next poll.
	return { emitted, cursor: emitted.length > 0 ? laterOf(cursor, emitted[emitted.length - 1].position) : cursor, capped };
}

/**
 * Applies one successful poll's items to the plan's state: picks the events (at most
 * `maxEvents`: the late lane's first, then the main lane's, each in its cursor order), moves
 * each cursor as far as what was consumed, remembers what was emitted and forgets what can no
 * longer come back. `late` is undefined when the late lane was not read (nothing consumed).
 */
export function applyPoll<T>(
	plan: PollPlan,
	settings: PollSettings,
	candidates: Array<Candidate<T>> | undefined,
	late?: Array<Candidate<T>>,
): PollResult<T> {
	const seen = { ...plan.state.seen };
	let budget = plan.baseline ? Infinity : (settings.maxEvents ?? Infinity);
	const state: PollState = { ...plan.state };
	const events: Array<Candidate<T>> = [];
	let capped = false;
	if (plan.late && late) {
		const result = applyLane(plan, settings, 'late', late, seen, plan.state.lateCursor ?? plan.state.cursor, budget);
		state.lateCursor = result.cursor;
		events.push(...result.emitted);
		budget -= result.emitted.length;
		capped = result.capped;
	}
	if (candidates && !capped) {
		const result = applyLane(plan, settings, 'main', candidates, seen, plan.state.cursor, budget);
		state.cursor = result.cursor;
		events.push(...result.emitted);
		capped = result.capped;
	}
	// A baseline records what existed at Microsoft's "now" (its cursor); an item past it turned up
	// after "now" was read, while this poll ran, and is an event like any later one.
	const fired = plan.baseline ? events.filter((candidate) => candidate.position > plan.state.cursor) : events;
	fired.sort(byTimestamp);
	const bounded = boundState({ ...state, seen }, settings);
	return { events: fired.map((candidate) => candidate.item), state: bounded, capped };
}

/** Drops what the next windows cannot return, then enforces the hard cap (raising the floor). */
export function boundState(
	state: PollState,
	settings: Pick<PollSettings, 'overlapMs' | 'maxSeen' | 'latenessMs'>,
): PollState {
	const maxSeen = settings.maxSeen ?? MAX_SEEN;
	const keepFrom = state.event.startsWith('new')
		? lateFloor(state, settings.overlapMs, settings.latenessMs)
		: windowStart(state, settings.overlapMs);
	let entries = Object.entries(state.seen).filter(([, timestamp]) => timestamp >= keepFrom);
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

function byPosition<T>(a: Candidate<T>, b: Candidate<T>): number {
	if (a.position !== b.position) return a.position < b.position ? -1 : 1;
	return compareIds(a.id, b.id);
}

function byTimestamp<T>(a: Candidate<T>, b: Candidate<T>): number {
	if (a.timestamp !== b.timestamp) return a.timestamp < b.timestamp ? -1 : 1;
	return compareIds(a.id, b.id);
}

/**
 * Turns API items into candidates of a lane; items without an id or readable timestamps are
 * skipped. Main lane: ordered by the event's timestamp; late lane: by lastUpdateDateTime.
 */
export function toCandidates<T extends IDataObject>(
	definition: EventDefinition,
	items: T[],
	matches: (item: T) => boolean,
	lane: Lane = 'main',
): Array<Candidate<T>> {
	const candidates: Array<Candidate<T>> = [];
	for (const item of items) {
		const id = item.id;
		const timestamp = normalizeTimestamp(item[definition.timestampField]);
		const position = lane === 'late' ? normalizeTimestamp(item.lastUpdateDateTime) : timestamp;
		if ((typeof id !== 'string' && typeof id !== 'number') || !timestamp || !position) continue;
		candidates.push({ id: String(id), timestamp, position, item, matches: matches(item) });
	}
	return candidates;
}
