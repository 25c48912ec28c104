import { useEmulator } from '../context';
import { byId, runNode } from '../harness';
import { activateTrigger } from '../trigger/pollHarness';

/**
 * Members Graph lists after `unknownFutureValue` (microsoft-graph-docs-contrib:
 * api-reference/v1.0/resources/security-incident.md, incidentStatus `awaitingAction`;
 * security-alert.md, serviceSource `microsoftDefenderForCloud` and the newer detectionSource
 * members; concepts/best-practices-concept.md on evolvable enums). The emulator answers them as
 * `unknownFutureValue`, and refuses them in $filter, unless the request says
 * `Prefer: include-unknown-enum-members`, so these pass only when the node sends that header,
 * on single calls and on each $batch sub-request.
 */
const env = useEmulator({ incidentCount: 120 });

const MINUTE = 60_000;
const awaiting = () => env.emulator.store.listIncidents().filter((incident) => incident.status === 'awaitingAction');
const fromCloud = () => env.emulator.store.listAlerts().filter((alert) => alert.serviceSource === 'microsoftDefenderForCloud');
const sortedIds = (items: Array<{ json: { id?: unknown } }>) => items.map((item) => String(item.json.id)).sort();

describe('Incidents awaiting action', () => {
	it('Get Many filtered on Awaiting Action returns exactly them, with that status', async () => {
		const expected = awaiting();
		expect(expected.length).toBeGreaterThan(1);
		const { items, error } = await runNode(
			{ resource: 'incident', operation: 'getAll', returnAll: true, filters: { status: ['awaitingAction'] } },
			{ credentials: env.credentials },
		);
		expect(error).toBeUndefined();
		expect(sortedIds(items)).toEqual(expected.map((incident) => incident.id).sort());
		expect(items.every((item) => item.json.status === 'awaitingAction')).toBe(true);
	});

	it('a status filter mixing it with older members returns both', async () => {
		const expected = env.emulator.store.listIncidents().filter((incident) => ['awaitingAction', 'inProgress'].includes(incident.status));
		const { items, error } = await runNode(
			{ resource: 'incident', operation: 'getAll', returnAll: true, filters: { status: ['inProgress', 'awaitingAction'] } },
			{ credentials: env.credentials },
		);
		expect(error).toBeUndefined();
		expect(sortedIds(items)).toEqual(expected.map((incident) => incident.id).sort());
	});

	it('a Get shows awaitingAction, alone and in a $batch of several items', async () => {
		const [one] = awaiting();
		const single = await runNode({ resource: 'incident', operation: 'get', incidentId: byId(one.id) }, { credentials: env.credentials });
		expect(single.error).toBeUndefined();
		expect(single.items[0].json).toMatchObject({ id: one.id, status: 'awaitingAction' });

		const targets = awaiting().slice(0, 5);
		expect(targets.length).toBeGreaterThan(1);
		env.emulator.clearRequestLog();
		const batched = await runNode(
			{ resource: 'incident', operation: 'get', incidentId: byId('={{ $json.id }}') },
			{ credentials: env.credentials, input: targets.map((incident) => ({ id: incident.id })) },
		);
		expect(batched.error).toBeUndefined();
		expect(env.emulator.requestLog({ api: 'graph' }).some((entry) => entry.path === '/v1.0/$batch')).toBe(true);
		expect(batched.items.map((item) => item.json.status)).toEqual(targets.map(() => 'awaitingAction'));
	});

	it('the trigger filters on it and its Simplify output shows it', async () => {
		const { emulator } = env;
		const trigger = activateTrigger({ event: 'newIncident', filters: { incidentStatus: ['awaitingAction'] }, options: { simplify: true } }, env.credentials.full);
		expect((await trigger.poll()).error).toBeUndefined();
		const offset = emulator.now().getTime() - Date.now();
		emulator.setClockOffset(offset + MINUTE);
		const wanted = emulator.addIncident({ status: 'awaitingAction', displayName: 'Defender Experts need your answer' }).incident;
		emulator.addIncident({ status: 'active', displayName: 'Not awaiting' });
		const outcome = await trigger.poll();
		expect(outcome.error).toBeUndefined();
		expect(outcome.items?.map((item) => item.json)).toEqual([expect.objectContaining({ id: wanted.id, status: 'awaitingAction', title: 'Defender Experts need your answer' })]);
	});
});

describe('Alerts from a newer service source', () => {
	it('Get Many filtered on Microsoft Defender for Cloud returns exactly them, with their real sources', async () => {
		const expected = fromCloud();
		expect(expected.length).toBeGreaterThan(1);
		const { items, error } = await runNode(
			{ resource: 'alert', operation: 'getAll', returnAll: true, filters: { serviceSource: ['microsoftDefenderForCloud'] } },
			{ credentials: env.credentials },
		);
		expect(error).toBeUndefined();
		expect(sortedIds(items)).toEqual(expected.map((alert) => alert.id).sort());
		expect(items.every((item) => item.json.serviceSource === 'microsoftDefenderForCloud' && item.json.detectionSource === 'microsoftDefenderForServers')).toBe(true);
	});

	it('a Get and an unfiltered list read the real values', async () => {
		const [alert] = fromCloud();
		const got = await runNode({ resource: 'alert', operation: 'get', alertId: byId(alert.id) }, { credentials: env.credentials });
		expect(got.error).toBeUndefined();
		expect(got.items[0].json).toMatchObject({ id: alert.id, serviceSource: 'microsoftDefenderForCloud', detectionSource: 'microsoftDefenderForServers' });

		const all = await runNode({ resource: 'alert', operation: 'getAll', returnAll: true }, { credentials: env.credentials });
		expect(all.items).toHaveLength(env.emulator.store.listAlerts().length);
		expect(all.items.some((item) => item.json.serviceSource === 'unknownFutureValue' || item.json.detectionSource === 'unknownFutureValue')).toBe(false);
	});

	it('the trigger filters on it and its Simplify output shows the real sources', async () => {
		const { emulator } = env;
		const trigger = activateTrigger({ event: 'newAlert', filters: { serviceSource: ['microsoftDefenderForCloud'] }, options: { simplify: true } }, env.credentials.full);
		expect((await trigger.poll()).error).toBeUndefined();
		const offset = emulator.now().getTime() - Date.now();
		emulator.setClockOffset(offset + MINUTE);
		const incident = emulator.store.listIncidents()[0];
		const wanted = emulator.addAlert(incident.id, {
			title: 'Suspicious access to a storage account',
			serviceSource: 'microsoftDefenderForCloud',
			detectionSource: 'microsoftDefenderForStorage',
		});
		emulator.addAlert(incident.id, { title: 'From Endpoint', serviceSource: 'microsoftDefenderForEndpoint' });
		const outcome = await trigger.poll();
		expect(outcome.error).toBeUndefined();
		expect(outcome.items?.map((item) => item.json)).toEqual([
			expect.objectContaining({ id: wanted.id, serviceSource: 'microsoftDefenderForCloud', detectionSource: 'microsoftDefenderForStorage' }),
		]);
	});
});
