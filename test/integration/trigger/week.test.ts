/**
 * A simulated week of polling against the emulator: four active triggers (New/Updated
 * Incident, New/Updated Alert) polled by n8n-core's PollTriggerExecutor while the emulator's
 * clock moves on, with late arrivals (up to 15 minutes), many incidents sharing one timestamp,
 * bursts of more than one page, changes to old incidents and alerts, and faults (5xx and
 * connection resets, before the first page and between pages) that make whole polls fail.
 *
 * Expected events are derived from the emulator's store, not from the node: before every poll
 * the test snapshots what Graph would list (New: ids; Updated: id + lastUpdateDateTime). Every
 * key present at some successful poll and absent at activation must be emitted exactly once.
 */
import { normalizeTimestamp } from '../../../nodes/Microsoft365Defender/trigger/timestamps';
import { random } from '../../unit/trigger/simulation';
import { useEmulator } from '../context';
import { activateTrigger, type ActiveTrigger, type PollOutcome } from './pollHarness';

const env = useEmulator({ incidentCount: 40 });

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

type EventName = 'newIncident' | 'updatedIncident' | 'newAlert' | 'updatedAlert';
const EVENT_NAMES: EventName[] = ['newIncident', 'updatedIncident', 'newAlert', 'updatedAlert'];

interface Listed {
	id: string;
	createdDateTime: string;
	lastUpdateDateTime: string;
}

const keyOf = (event: EventName, item: Listed) =>
	event.startsWith('new') ? item.id : `${item.id}@${normalizeTimestamp(item.lastUpdateDateTime)}`;

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
 * 72 polls per trigger over 7 days: every fourth step jumps hours ahead (quiet nights), the
 * rest are minutes apart, so late arrivals often carry a timestamp older than the newest item
 * the trigger has already seen.
 */
function schedule(): Step[] {
	const rand = random(2026);
	const steps: Step[] = [];
	for (let index = 0; index < 72; index++) {
		const long = index % 4 === 0;
		steps.push({ advanceMs: long ? Math.round((6 + rand() * 6) * HOUR) : Math.round((1 + rand() * 13) * MINUTE) });
	}
	const total = steps.reduce((sum, step) => sum + step.advanceMs, 0);
	steps[steps.length - 1].advanceMs += Math.max(0, 7 * DAY - total + HOUR);

	for (const index of [6, 19, 33, 47, 62]) steps[index].burst = 'sharedTimestamp';
	for (const index of [11, 27, 53]) steps[index].burst = 'distinct';
	steps[3].faults = { newIncident: { kind: 'before', status: 503, count: FAILING } };
	steps[6].faults = { newIncident: { kind: 'betweenPages', status: 502, count: FAILING } };
	steps[9].faults = { newAlert: { kind: 'before', reset: true, count: FAILING } };
	steps[19].faults = { updatedIncident: { kind: 'betweenPages', status: 500, count: FAILING } };
	steps[24].faults = { updatedAlert: { kind: 'before', status: 504, count: FAILING } };
	steps[33].faults = { updatedIncident: { kind: 'before', status: 503, count: FAILING } };
	steps[34].faults = { updatedIncident: { kind: 'before', reset: true, count: FAILING } };
	steps[47].faults = {
		newIncident: { kind: 'before', status: 503, count: 1 },
		updatedIncident: { kind: 'betweenPages', status: 503, count: 2 },
		newAlert: { kind: 'before', reset: true, count: 1 },
		updatedAlert: { kind: 'before', status: 500, count: 1 },
	};
	for (const index of [10, 20, 30, 40, 50, 60, 70]) steps[index].restart = true;
	return steps;
}

it('emits every event exactly once over a simulated week of 50+ polls with late arrivals, bursts, updates and faults', async () => {
	const { emulator } = env;
	const rand = random(7);
	const triggers = Object.fromEntries(
		EVENT_NAMES.map((event) => [event, activateTrigger({ event }, env.credentials.full)]),
	) as Record<EventName, ActiveTrigger>;

	const listIncidents = (): Listed[] => emulator.store.listIncidents();
	const listAlerts = (): Listed[] => emulator.store.listAlerts();
	const snapshot = (event: EventName) =>
		new Set((event.endsWith('Incident') ? listIncidents() : listAlerts()).map((item) => keyOf(event, item)));

	const counts = {
		steps: 0,
		polls: 0,
		failedPolls: 0,
		absorbedFaults: 0,
		incidentsInserted: 0,
		lateArrivals: 0,
		sharedTimestampGroups: 0,
		largestSharedTimestampGroup: 0,
		burstsOverOnePage: 0,
		incidentUpdates: 0,
		lateIncidentUpdates: 0,
		alertUpdates: 0,
		alertsAdded: 0,
		restarts: 0,
		maxSeenEntries: 0,
		events: {} as Record<EventName, number>,
		pollsPerTrigger: {} as Record<EventName, number>,
		failedPerTrigger: {} as Record<EventName, number>,
	};
	const baseline = {} as Record<EventName, Set<string>>;
	const expected = {} as Record<EventName, Set<string>>;
	const emitted = {} as Record<EventName, string[]>;

	// Activation: n8n's first poll (testingTrigger) records what exists and emits nothing.
	for (const event of EVENT_NAMES) {
		baseline[event] = snapshot(event);
		expected[event] = new Set();
		emitted[event] = [];
		counts.events[event] = 0;
		counts.pollsPerTrigger[event] = 1;
		counts.failedPerTrigger[event] = 0;
		const outcome = await triggers[event].poll();
		expect(outcome.error).toBeUndefined();
		expect(outcome.items).toBeNull();
		counts.polls++;
	}
	const startedAt = emulator.now().getTime();

	let offset = 0;
	const insertIncident = (createdMs: number, withAlerts = rand() < 0.5) => {
		const at = new Date(createdMs).toISOString();
		emulator.addIncident({
			createdDateTime: at,
			lastUpdateDateTime: at,
			severity: (['low', 'medium', 'high'] as const)[Math.floor(rand() * 3)],
			alerts: withAlerts ? Array.from({ length: 1 + Math.floor(rand() * 2) }, () => ({})) : [],
		});
		counts.incidentsInserted++;
	};

	for (const step of schedule()) {
		counts.steps++;
		const previous = emulator.now().getTime();
		offset += step.advanceMs;
		emulator.setClockOffset(offset);
		const now = emulator.now().getTime();

		// New incidents since the previous poll.
		for (let index = Math.floor(rand() * 5); index > 0; index--) insertIncident(previous + 1 + Math.floor(rand() * (now - previous - 1)));
		// Late arrivals: published now, timestamped up to 15 minutes ago (often before the previous poll).
		if (rand() < 0.7) {
			for (let index = 1 + Math.floor(rand() * 3); index > 0; index--) {
				insertIncident(now - 1000 - Math.floor(rand() * (15 * MINUTE - 2000)));
				counts.lateArrivals++;
			}
		}
		if (step.burst === 'sharedTimestamp') {
			const shared = now - Math.floor(rand() * 10 * MINUTE);
			const size = 60 + Math.floor(rand() * 70);
			for (let index = 0; index < size; index++) insertIncident(shared, false);
			counts.sharedTimestampGroups++;
			counts.burstsOverOnePage++;
			counts.largestSharedTimestampGroup = Math.max(counts.largestSharedTimestampGroup, size);
		} else if (step.burst === 'distinct') {
			for (let index = 0; index < 75; index++) insertIncident(previous + 1 + Math.floor(rand() * (now - previous - 1)), false);
			counts.burstsOverOnePage++;
		}
		// Changes to existing incidents and alerts, old ones included (the seed goes back weeks).
		const incidents = emulator.store.listIncidents();
		for (let index = 2 + Math.floor(rand() * 5); index > 0; index--) {
			const incident = incidents[Math.floor(rand() * incidents.length)];
			const late = rand() < 0.3;
			const lastUpdateMs = Math.max(Date.parse(incident.lastUpdateDateTime) + 1, now - Math.floor(rand() * 15 * MINUTE));
			emulator.updateIncident(incident.id, {
				status: (['active', 'inProgress', 'resolved'] as const)[Math.floor(rand() * 3)],
				assignedTo: rand() < 0.5 ? 'secops@contoso.com' : null,
				...(late && lastUpdateMs <= now ? { lastUpdateDateTime: new Date(lastUpdateMs).toISOString() } : {}),
			});
			counts.incidentUpdates++;
			if (late) counts.lateIncidentUpdates++;
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

		for (const event of EVENT_NAMES) {
			const trigger = triggers[event];
			const fault = step.faults?.[event];
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

			const failedRequests = emulator.requestLog({ api: 'graph' }).slice(graphRequestsBefore).filter((entry) => entry.fault).length;
			if (fault) expect(failedRequests).toBe(fault.count);
			if (fault && fault.count >= FAILING) {
				// The poll failed: n8n got the error (NodeApiError with Microsoft's code), the state is untouched.
				expect(outcome.error).toBeDefined();
				expect(outcome.error?.constructor.name).toBe('NodeApiError');
				expect(trigger.staticData()).toEqual(stateBefore);
				counts.failedPolls++;
				counts.failedPerTrigger[event]++;
				continue;
			}
			if (fault) counts.absorbedFaults += fault.count;
			expect(outcome.error).toBeUndefined();
			for (const key of current) if (!baseline[event].has(key)) expected[event].add(key);
			const items = (outcome.items ?? []).map((item) => item.json as unknown as Listed);
			const timestamps = items.map((item) => normalizeTimestamp(event.startsWith('new') ? item.createdDateTime : item.lastUpdateDateTime) as string);
			expect([...timestamps].sort()).toEqual(timestamps);
			emitted[event].push(...items.map((item) => keyOf(event, item)));
			counts.events[event] += items.length;
			const seen = trigger.staticData().seen as Record<string, string>;
			counts.maxSeenEntries = Math.max(counts.maxSeenEntries, Object.keys(seen).length);
		}
	}

	const simulatedDays = (emulator.now().getTime() - startedAt) / DAY;
	const graphRequests = emulator.requestLog({ api: 'graph' }).length;
	console.log(
		`Trigger week: ${JSON.stringify({ ...counts, simulatedDays: Number(simulatedDays.toFixed(2)), graphRequests }, null, 1)}`,
	);

	expect(simulatedDays).toBeGreaterThanOrEqual(7);
	for (const event of EVENT_NAMES) {
		expect(counts.pollsPerTrigger[event]).toBeGreaterThanOrEqual(50);
		const keys = emitted[event];
		// Nothing doubled...
		expect(keys.length - new Set(keys).size).toBe(0);
		// ...nothing lost, nothing invented.
		const missing = [...expected[event]].filter((key) => !keys.includes(key));
		const unexpected = keys.filter((key) => !expected[event].has(key));
		expect({ event, missing, unexpected }).toEqual({ event, missing: [], unexpected: [] });
		expect(keys.length).toBe(expected[event].size);
	}
	expect(counts.failedPolls).toBe(7);
	expect(counts.absorbedFaults).toBe(5);
	expect(counts.maxSeenEntries).toBeLessThan(1000);
}, 600_000);
