/**
 * A simulated month of polling against the emulator (the week simulation, extended): four
 * active triggers (New/Updated Incident, New/Updated Alert) with Start From three weeks back,
 * polled by n8n-core's PollTriggerExecutor while the emulator's clock moves on, with
 *
 * - a backlog of 10,000 incidents (and their alerts) between Start From and activation, drained
 *   at the default cap of 1,000 events per poll,
 * - bursts above the cap, two of them 1,200 incidents sharing one timestamp (equal timestamps
 *   across pages and across the cap boundary),
 * - items Graph publishes up to 24 hours after their createdDateTime (lastUpdateDateTime is the
 *   publication time, up to 10 minutes before it is listed), and the usual late arrivals,
 * - changes to old incidents and alerts, restarts, and faults (5xx and connection resets before
 *   the first page and between pages, retried or failing whole polls).
 *
 * Expected events are derived from the emulator's store, not from the node: before every poll
 * the test snapshots what Graph would list. New: every id created at or after Start From that
 * was listed at some successful poll, exactly once. Updated: every version (id +
 * lastUpdateDateTime) emitted at most once, only versions Graph listed; and every version listed
 * at a poll that was not capped (the trigger had caught up) or at the end is emitted.
 */
import { normalizeTimestamp } from '../../../nodes/Microsoft365Defender/trigger/timestamps';
import { MAX_SEEN } from '../../../nodes/Microsoft365Defender/trigger/state';
import { random } from '../../unit/trigger/simulation';
import { useEmulator } from '../context';
import { activateTrigger, type ActiveTrigger, type PollOutcome } from './pollHarness';

const env = useEmulator({ incidentCount: 40 });

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** The documented default of Max Events per Poll (the test leaves the option unset). */
const CAP = 1000;
const BACKLOG = 10_000;

type EventName = 'newIncident' | 'updatedIncident' | 'newAlert' | 'updatedAlert';
const EVENT_NAMES: EventName[] = ['newIncident', 'updatedIncident', 'newAlert', 'updatedAlert'];

interface Listed {
	id: string;
	createdDateTime: string;
	lastUpdateDateTime: string;
}

const keyOf = (event: EventName, item: Listed) =>
	event.startsWith('new') ? item.id : `${item.id}@${normalizeTimestamp(item.lastUpdateDateTime)}`;
/** The emulator's own records carry timestamps in the fixed 7-digit form already. */
const storedKeyOf = (event: EventName, item: Listed) => (event.startsWith('new') ? item.id : `${item.id}@${item.lastUpdateDateTime}`);

type Fault =
	| { kind: 'before'; status?: number; reset?: boolean; count: number }
	| { kind: 'betweenPages'; status: number; count: number };

/** Transport retries a failing request 4 times: 5 failures in a row make the poll fail. */
const FAILING = 5;

interface Step {
	advanceMs: number;
	burst?: 'sharedTimestamp' | 'distinct';
	faults?: Partial<Record<EventName, Fault>>;
	restart?: boolean;
}

/**
 * 100 polls per trigger over 30+ days: every fourth step jumps most of a day ahead, the rest are
 * minutes apart (late arrivals then often carry a timestamp older than the newest item already
 * seen). The first steps drain the backlog; faults hit some of them between pages.
 */
function schedule(): Step[] {
	const rand = random(2026);
	const steps: Step[] = [];
	for (let index = 0; index < 100; index++) {
		const long = index % 4 === 3;
		steps.push({ advanceMs: long ? Math.round((22 + rand() * 8) * HOUR) : Math.round((1 + rand() * 13) * MINUTE) });
	}
	const total = steps.reduce((sum, step) => sum + step.advanceMs, 0);
	steps[steps.length - 1].advanceMs += Math.max(0, 30 * DAY - total + HOUR);

	steps[20].burst = 'sharedTimestamp';
	steps[45].burst = 'sharedTimestamp';
	steps[61].burst = 'distinct';
	steps[2].faults = { newIncident: { kind: 'betweenPages', status: 502, count: FAILING }, updatedIncident: { kind: 'betweenPages', status: 503, count: 2 } };
	steps[5].faults = { updatedIncident: { kind: 'before', reset: true, count: FAILING } };
	steps[21].faults = { newIncident: { kind: 'betweenPages', status: 500, count: 1 }, newAlert: { kind: 'before', status: 504, count: 1 } };
	steps[46].faults = { updatedAlert: { kind: 'before', status: 503, count: 2 } };
	for (const index of [3, 10, 22, 40, 47, 70, 90]) steps[index].restart = true;
	return steps;
}

it('emits every event exactly once over a simulated month: a 10,000-incident backlog, bursts above the cap, items published up to 24 h late, restarts and faults', async () => {
	const { emulator } = env;
	const rand = random(7);
	const startedAt = emulator.now().getTime();
	const startFrom = new Date(startedAt - 21 * DAY).toISOString();
	const startFromKey = normalizeTimestamp(startFrom) as string;

	const counts = {
		steps: 0,
		polls: 0,
		failedPolls: 0,
		absorbedFaults: 0,
		backlogIncidents: 0,
		incidentsInserted: 0,
		lateArrivals: 0,
		publishedLate: 0,
		latestPublicationHours: 0,
		sharedTimestampGroups: 0,
		largestSharedTimestampGroup: 0,
		incidentUpdates: 0,
		alertUpdates: 0,
		alertsAdded: 0,
		restarts: 0,
		cappedPolls: 0,
		largestExecution: 0,
		events: {} as Record<EventName, number>,
		pollsPerTrigger: {} as Record<EventName, number>,
		maxSeenEntries: {} as Record<EventName, number>,
		maxStateBytes: {} as Record<EventName, number>,
		peakRssMiB: 0,
		peakHeapUsedMiB: 0,
	};
	const memory = () => {
		const usage = process.memoryUsage();
		counts.peakRssMiB = Math.max(counts.peakRssMiB, Math.round(usage.rss / 2 ** 20));
		counts.peakHeapUsedMiB = Math.max(counts.peakHeapUsedMiB, Math.round(usage.heapUsed / 2 ** 20));
	};

	let offset = 0;
	// Explicit ids: the emulator's default id scans every incident, too slow for 15,000 inserts.
	let nextId = Math.max(...emulator.store.listIncidents().map((incident) => Number(incident.id) || 0)) + 1;
	const severity = () => (['low', 'medium', 'high'] as const)[Math.floor(rand() * 3)];
	/** An incident created at `createdMs` that Graph publishes with lastUpdateDateTime `publishedMs`. */
	const insertIncident = (createdMs: number, publishedMs = createdMs, alertCount = rand() < 0.3 ? 1 : 0) => {
		const created = new Date(createdMs).toISOString();
		const published = new Date(publishedMs).toISOString();
		emulator.addIncident({
			id: String(nextId++),
			createdDateTime: created,
			lastUpdateDateTime: published,
			severity: severity(),
			alerts: Array.from({ length: alertCount }, () => ({ createdDateTime: created, lastUpdateDateTime: published })),
		});
		counts.incidentsInserted++;
	};

	// The backlog: 10,000 incidents over the 20 days after Start From, some changed since.
	for (let index = 0; index < BACKLOG; index++) {
		const createdMs = startedAt - 21 * DAY + HOUR + Math.floor(rand() * 20 * DAY);
		const changed = rand() < 0.2 ? Math.min(startedAt - MINUTE, createdMs + Math.floor(rand() * 3 * DAY)) : createdMs;
		insertIncident(createdMs, changed);
		counts.backlogIncidents++;
	}

	const triggers = Object.fromEntries(
		EVENT_NAMES.map((event) => [event, activateTrigger({ event, options: { startFrom } }, env.credentials.full)]),
	) as Record<EventName, ActiveTrigger>;

	const listed = (event: EventName): Listed[] => (event.endsWith('Incident') ? emulator.store.listIncidents() : emulator.store.listAlerts());
	const inScope = (event: EventName, item: Listed) => (event.startsWith('new') ? item.createdDateTime : item.lastUpdateDateTime) >= startFromKey;
	const snapshot = (event: EventName) => new Set(listed(event).filter((item) => inScope(event, item)).map((item) => storedKeyOf(event, item)));

	const possible = {} as Record<EventName, Set<string>>;
	const required = {} as Record<EventName, Set<string>>;
	const emitted = {} as Record<EventName, string[]>;
	for (const event of EVENT_NAMES) {
		possible[event] = new Set();
		required[event] = new Set();
		emitted[event] = [];
		counts.events[event] = 0;
		counts.pollsPerTrigger[event] = 0;
		counts.maxSeenEntries[event] = 0;
		counts.maxStateBytes[event] = 0;
	}

	const pollOnce = async (event: EventName, fault?: Fault): Promise<number> => {
		const trigger = triggers[event];
		const current = snapshot(event);
		const stateBefore = trigger.staticData();
		const graphRequestsBefore = emulator.requestLog({ api: 'graph' }).length;

		let outcome: PollOutcome;
		if (fault?.kind === 'before') {
			emulator.injectFaults('graph', { failNext: fault.count, status: fault.status, reset: fault.reset ?? false });
			outcome = await trigger.poll();
		} else if (fault?.kind === 'betweenPages') {
			// The first page succeeds; the emulator fails the next request(s).
			outcome = await trigger.poll({
				beforeRequest: (index) => {
					if (index === 1) emulator.injectFaults('graph', { failNext: fault.count, status: fault.status, reset: false });
				},
			});
		} else {
			outcome = await trigger.poll();
		}
		emulator.injectFaults('graph', { failNext: 0, reset: false });
		counts.polls++;
		counts.pollsPerTrigger[event]++;
		memory();

		const failedRequests = emulator.requestLog({ api: 'graph' }).slice(graphRequestsBefore).filter((entry) => entry.fault).length;
		if (fault) expect(failedRequests).toBe(fault.count);
		if (fault && fault.count >= FAILING) {
			// The poll failed: n8n got the error, the state is untouched.
			expect(outcome.error?.constructor.name).toBe('NodeApiError');
			expect(trigger.staticData()).toEqual(stateBefore);
			counts.failedPolls++;
			return -1;
		}
		if (fault) counts.absorbedFaults += fault.count;
		expect(outcome.error).toBeUndefined();
		const items = (outcome.items ?? []).map((item) => item.json as unknown as Listed);
		// No execution above the cap, oldest first.
		expect(items.length).toBeLessThanOrEqual(CAP);
		counts.largestExecution = Math.max(counts.largestExecution, items.length);
		const timestamps = items.map((item) => normalizeTimestamp(event.startsWith('new') ? item.createdDateTime : item.lastUpdateDateTime) as string);
		expect([...timestamps].sort()).toEqual(timestamps);

		for (const key of current) possible[event].add(key);
		if (items.length < CAP) for (const key of current) required[event].add(key);
		else counts.cappedPolls++;
		emitted[event].push(...items.map((item) => keyOf(event, item)));
		counts.events[event] += items.length;
		const state = trigger.staticData();
		counts.maxSeenEntries[event] = Math.max(counts.maxSeenEntries[event], Object.keys(state.seen as object).length);
		counts.maxStateBytes[event] = Math.max(counts.maxStateBytes[event], JSON.stringify(state).length);
		return items.length;
	};

	// Activation: with Start From, the first poll emits the oldest 1,000 of the backlog.
	for (const event of EVENT_NAMES) await pollOnce(event);

	for (const step of schedule()) {
		counts.steps++;
		const previous = emulator.now().getTime();
		offset += step.advanceMs;
		emulator.setClockOffset(offset);
		const now = emulator.now().getTime();
		const between = () => previous + 1 + Math.floor(rand() * (now - previous - 1));

		for (let index = Math.floor(rand() * 5); index > 0; index--) insertIncident(between());
		// Late arrivals: listed now, timestamped up to 15 minutes ago.
		if (rand() < 0.6) {
			for (let index = 1 + Math.floor(rand() * 2); index > 0; index--) {
				const at = now - 1000 - Math.floor(rand() * (15 * MINUTE - 2000));
				insertIncident(at);
				counts.lateArrivals++;
			}
		}
		// Published late: created up to 24 h ago, published (lastUpdateDateTime) up to 10 minutes ago.
		if (rand() < 0.6) {
			for (let index = 1 + Math.floor(rand() * 3); index > 0; index--) {
				const published = now - Math.floor(rand() * 10 * MINUTE);
				const created = published - Math.floor((0.25 + rand() * 23.7) * HOUR);
				insertIncident(created, published, rand() < 0.5 ? 1 : 0);
				counts.publishedLate++;
				counts.latestPublicationHours = Math.max(counts.latestPublicationHours, Number(((published - created) / HOUR).toFixed(2)));
			}
		}
		if (step.burst === 'sharedTimestamp') {
			const shared = now - Math.floor(rand() * 10 * MINUTE);
			const size = 1200;
			for (let index = 0; index < size; index++) insertIncident(shared, shared, 0);
			counts.sharedTimestampGroups++;
			counts.largestSharedTimestampGroup = Math.max(counts.largestSharedTimestampGroup, size);
		} else if (step.burst === 'distinct') {
			for (let index = 0; index < 1500; index++) insertIncident(between(), undefined, 0);
		}
		// Changes to existing incidents and alerts, old ones included.
		const incidents = emulator.store.listIncidents();
		for (let index = 2 + Math.floor(rand() * 5); index > 0; index--) {
			const incident = incidents[Math.floor(rand() * incidents.length)];
			emulator.updateIncident(incident.id, {
				status: (['active', 'inProgress', 'resolved'] as const)[Math.floor(rand() * 3)],
				assignedTo: rand() < 0.5 ? 'secops@contoso.com' : null,
			});
			counts.incidentUpdates++;
		}
		const alerts = emulator.store.listAlerts();
		for (let index = Math.floor(rand() * 3); index > 0; index--) {
			emulator.store.updateAlert(alerts[Math.floor(rand() * alerts.length)].id, { status: 'inProgress' });
			counts.alertUpdates++;
		}
		if (rand() < 0.4) {
			emulator.addAlert(incidents[Math.floor(rand() * incidents.length)].id, {});
			counts.alertsAdded++;
		}

		if (step.restart) {
			for (const event of EVENT_NAMES) triggers[event].restart();
			counts.restarts++;
		}
		for (const event of EVENT_NAMES) await pollOnce(event, step.faults?.[event]);
	}

	// Quiet at the end: poll until every trigger has caught up.
	for (const event of EVENT_NAMES) {
		for (let round = 0; round < 20; round++) if ((await pollOnce(event)) < CAP) break;
	}

	const simulatedDays = (emulator.now().getTime() - startedAt) / DAY;
	const graphRequests = emulator.requestLog({ api: 'graph' }).length;
	console.log(`Trigger month: ${JSON.stringify({ ...counts, simulatedDays: Number(simulatedDays.toFixed(2)), graphRequests }, null, 1)}`);

	expect(simulatedDays).toBeGreaterThanOrEqual(30);
	expect(counts.largestExecution).toBe(CAP);
	expect(counts.cappedPolls).toBeGreaterThanOrEqual(10 + 1 + 2);
	for (const event of EVENT_NAMES) {
		expect(counts.pollsPerTrigger[event]).toBeGreaterThanOrEqual(100);
		const keys = emitted[event];
		const set = new Set(keys);
		// Nothing doubled...
		expect(keys.length - set.size).toBe(0);
		// ...nothing lost, nothing invented.
		const missing = [...required[event]].filter((key) => !set.has(key));
		const unexpected = keys.filter((key) => !possible[event].has(key));
		expect({ event, missing: missing.slice(0, 10), unexpected: unexpected.slice(0, 10) }).toEqual({ event, missing: [], unexpected: [] });
		if (event.startsWith('new')) expect(set.size).toBe(possible[event].size);
		// State bounded: New remembers about a day of new items, Updated one overlap.
		expect(counts.maxSeenEntries[event]).toBeLessThanOrEqual(MAX_SEEN);
	}
	expect(counts.events.newIncident).toBeGreaterThan(BACKLOG + 3000);
	expect(counts.failedPolls).toBe(2);
	expect(counts.absorbedFaults).toBe(6);
}, 180_000);
