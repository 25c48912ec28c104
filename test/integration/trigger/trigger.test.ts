import { credentialsFor, useEmulator } from '../context';
import { activateTrigger, fetchTestEvent } from './pollHarness';

const env = useEmulator({ incidentCount: 30 });

const MINUTE = 60_000;
const graphListCalls = () =>
	env.emulator.requestLog({ api: 'graph' }).filter((entry) => entry.method === 'GET' && /\/security\/(incidents|alerts_v2)\?/.test(entry.path));

/** Moves the emulator's clock on, as time passing between polls. */
const advance = (ms: number) => {
	const offset = env.emulator.now().getTime() - Date.now();
	env.emulator.setClockOffset(offset + ms);
};

describe('Fetch Test Event (manual mode)', () => {
	it('returns the latest matching event and leaves the active trigger\'s cursor where it was', async () => {
		const { emulator } = env;
		const trigger = activateTrigger({ event: 'newIncident' }, env.credentials.full);
		expect((await trigger.poll()).error).toBeUndefined();
		advance(5 * MINUTE);
		const older = emulator.addIncident({ severity: 'high', displayName: 'Ransomware on FIN-01' }).incident;
		advance(MINUTE);
		const newest = emulator.addIncident({ severity: 'low', displayName: 'Unfamiliar sign-in' }).incident;
		const saved = trigger.staticData();

		const latest = await fetchTestEvent({ event: 'newIncident' }, env.credentials.full, saved);
		expect(latest.error).toBeUndefined();
		expect(latest.items).toHaveLength(1);
		expect(latest.items[0].json.id).toBe(newest.id);
		expect(latest.staticData).toEqual(saved);

		const high = await fetchTestEvent(
			{ event: 'newIncident', filters: { minimumSeverity: 'high' }, options: { simplify: true } },
			env.credentials.full,
			saved,
		);
		expect(high.items).toHaveLength(1);
		expect(high.items[0].json).toMatchObject({ id: older.id, title: 'Ransomware on FIN-01', severity: 'high', webUrl: older.incidentWebUrl });
		expect(high.staticData).toEqual(saved);

		const none = await fetchTestEvent({ event: 'newIncident', filters: { titleContains: 'no incident is called this' } }, env.credentials.full, saved);
		expect(none.items).toHaveLength(0);
		expect(none.error?.message).toBe('No data with the current filter could be found');

		// The active trigger still emits both: the manual runs did not move its cursor.
		const next = await trigger.poll();
		expect(next.items?.map((item) => item.json.id)).toEqual([older.id, newest.id]);
	});

	it('works for the other events too, finding a change to an old incident behind many newer ones', async () => {
		const { emulator } = env;
		const incident = emulator.store.listIncidents().sort((a, b) => (a.createdDateTime < b.createdDateTime ? -1 : 1))[0];
		for (let index = 0; index < 230; index++) emulator.addIncident({});
		advance(MINUTE);
		const updated = emulator.updateIncident(incident.id, { status: 'inProgress' });
		const alert = emulator.addAlert(incident.id, { title: 'Newest alert' });
		for (const [event, id] of [
			['updatedIncident', updated.id],
			['newAlert', alert.id],
			['updatedAlert', alert.id],
		]) {
			const result = await fetchTestEvent({ event }, env.credentials.full);
			expect({ event, id: result.items[0]?.json.id, count: result.items.length }).toEqual({ event, id, count: 1 });
		}
	});
});

describe('first activation', () => {
	it('starts from now: existing incidents do not fire, later ones do', async () => {
		const { emulator } = env;
		const trigger = activateTrigger({ event: 'newIncident' }, env.credentials.full);
		const activation = await trigger.poll();
		expect(activation).toEqual({ items: null });
		expect(await trigger.poll()).toEqual({ items: null });
		const added = emulator.addIncident({}).incident;
		const next = await trigger.poll();
		expect(next.items?.map((item) => item.json.id)).toEqual([added.id]);
	});

	it('starts from a chosen date: the activation poll emits everything since, oldest first', async () => {
		const { emulator } = env;
		const startFrom = new Date(emulator.now().getTime() - 3 * 24 * 60 * MINUTE).toISOString();
		const expected = emulator.store
			.listIncidents()
			.filter((incident) => incident.createdDateTime >= startFrom.replace('Z', '0000Z'))
			.sort((a, b) => (a.createdDateTime < b.createdDateTime ? -1 : a.createdDateTime > b.createdDateTime ? 1 : Number(a.id) - Number(b.id)))
			.map((incident) => incident.id);
		expect(expected.length).toBeGreaterThan(0);
		const trigger = activateTrigger({ event: 'newIncident', options: { startFrom } }, env.credentials.full);
		const activation = await trigger.poll();
		expect(activation.items?.map((item) => item.json.id)).toEqual(expected);
		expect(await trigger.poll()).toEqual({ items: null });
	});
});

describe('Microsoft\'s time and order', () => {
	it('takes the first position from Graph\'s newest item, not n8n\'s clock (Microsoft 2 h behind)', async () => {
		const { emulator } = env;
		emulator.setClockOffset(-2 * 60 * MINUTE);
		for (const event of ['newIncident', 'updatedIncident', 'newAlert', 'updatedAlert']) {
			const trigger = activateTrigger({ event }, env.credentials.full);
			expect(await trigger.poll()).toEqual({ items: null });
			const { incident, alerts } = emulator.addIncident({ alerts: [{}] });
			advance(MINUTE);
			const next = await trigger.poll();
			const expected = event.endsWith('Incident') ? incident.id : alerts[0].id;
			expect({ event, ids: next.items?.map((item) => item.json.id) }).toEqual({ event, ids: [expected] });
		}
	});

	it('asks Graph for its order: ascending for polls, newest first for Fetch Test Event, newest item for activation', async () => {
		const trigger = activateTrigger({ event: 'newIncident' }, env.credentials.full);
		await trigger.poll();
		await trigger.poll();
		await fetchTestEvent({ event: 'newIncident' }, env.credentials.full);
		await fetchTestEvent({ event: 'updatedAlert' }, env.credentials.full);
		const orders = graphListCalls().map((entry) => new URLSearchParams(entry.path.split('?')[1]).get('$orderby'));
		expect(orders).toEqual([
			'createdDateTime desc', // activation: Microsoft's newest createdDateTime...
			'lastUpdateDateTime desc', // ...and lastUpdateDateTime (the late lane's start)
			'createdDateTime asc', // activation window
			'lastUpdateDateTime asc', // poll: late lane
			'createdDateTime asc', // poll: main lane
			'createdDateTime desc', // Fetch Test Event, New Incident
			'lastUpdateDateTime desc', // Fetch Test Event, Updated Alert
		]);
	});

	it('caps each execution at Max Events per Poll and drains the rest over the next polls', async () => {
		const { emulator } = env;
		const startFrom = emulator.now().toISOString();
		advance(MINUTE);
		const shared = new Date(emulator.now().getTime() - 1000).toISOString();
		const added = Array.from({ length: 120 }, () => emulator.addIncident({ createdDateTime: shared, lastUpdateDateTime: shared }).incident.id);
		const trigger = activateTrigger({ event: 'newIncident', options: { startFrom, maxEventsPerPoll: 45 } }, env.credentials.full);
		const sizes: number[] = [];
		const emitted: string[] = [];
		for (let poll = 0; poll < 4; poll++) {
			const outcome = await trigger.poll();
			sizes.push(outcome.items?.length ?? 0);
			emitted.push(...(outcome.items ?? []).map((item) => String(item.json.id)));
		}
		expect(sizes).toEqual([45, 45, 30, 0]);
		expect([...emitted].sort()).toEqual([...added].sort());
	});
});

describe('filters and output', () => {
	it('sends severity, status and owner to Graph and checks title and tags itself', async () => {
		const { emulator } = env;
		const trigger = activateTrigger(
			{
				event: 'newIncident',
				filters: {
					minimumSeverity: 'medium',
					incidentStatus: ['active', 'inProgress'],
					assignedTo: 'secops@contoso.com',
					titleContains: 'ransomware',
					tags: 'VIP, Finance',
				},
				options: { includeAlerts: true, simplify: true },
			},
			env.credentials.full,
		);
		await trigger.poll();
		const base = { severity: 'high' as const, status: 'active' as const, assignedTo: 'secops@contoso.com', displayName: 'Ransomware on FIN-01', customTags: ['VIP'] };
		const match = emulator.addIncident({ ...base, alerts: [{ title: 'Ransomware behavior', severity: 'high' }] }).incident;
		emulator.addIncident({ ...base, severity: 'low' });
		emulator.addIncident({ ...base, status: 'resolved' });
		emulator.addIncident({ ...base, assignedTo: 'someone.else@contoso.com' });
		emulator.addIncident({ ...base, displayName: 'Phishing' });
		emulator.addIncident({ ...base, customTags: ['Red team'] });
		const systemTagged = emulator.addIncident({ ...base, customTags: [], systemTags: ['Finance'] }).incident;
		emulator.clearRequestLog();

		const outcome = await trigger.poll();
		expect(outcome.items?.map((item) => item.json.id)).toEqual([match.id, systemTagged.id]);
		expect(outcome.items?.[0].json).toMatchObject({
			id: match.id,
			title: 'Ransomware on FIN-01',
			severity: 'high',
			status: 'active',
			assignedTo: 'secops@contoso.com',
			tags: ['VIP'],
			alertCount: 1,
			alerts: [{ title: 'Ransomware behavior', severity: 'high' }],
		});
		const query = decodeURIComponent(graphListCalls()[0].path);
		expect(query).toContain("(severity eq 'medium' or severity eq 'high')");
		expect(query).toContain("(status eq 'active' or status eq 'inProgress')");
		expect(query).toContain("assignedTo eq 'secops@contoso.com'");
		expect(query).toContain('$expand=alerts');
		expect(query).toContain('$orderby=lastUpdateDateTime asc');
		expect(query).toMatch(/lastUpdateDateTime ge \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/);
	});

	it('filters alerts by service source and status', async () => {
		const { emulator } = env;
		const trigger = activateTrigger(
			{ event: 'newAlert', filters: { serviceSource: ['microsoftDefenderForIdentity'], alertStatus: ['new'] } },
			env.credentials.full,
		);
		await trigger.poll();
		const { alerts } = emulator.addIncident({
			alerts: [
				{ serviceSource: 'microsoftDefenderForIdentity', title: 'Identity alert' },
				{ serviceSource: 'microsoftDefenderForEndpoint', title: 'Endpoint alert' },
				{ serviceSource: 'microsoftDefenderForIdentity', status: 'resolved', title: 'Resolved identity alert' },
			],
		});
		const outcome = await trigger.poll();
		expect(outcome.items?.map((item) => item.json.id)).toEqual([alerts[0].id]);
		expect(decodeURIComponent(graphListCalls().at(-1)?.path ?? '')).toContain("serviceSource eq 'microsoftDefenderForIdentity'");
	});

	it('can leave out the first version of an incident from Updated Incident', async () => {
		const { emulator } = env;
		const trigger = activateTrigger({ event: 'updatedIncident', options: { includeCreated: false } }, env.credentials.full);
		await trigger.poll();
		const created = emulator.addIncident({}).incident;
		expect(await trigger.poll()).toEqual({ items: null });
		advance(MINUTE);
		const changed = emulator.updateIncident(created.id, { status: 'inProgress' });
		const outcome = await trigger.poll();
		expect(outcome.items?.map((item) => [item.json.id, item.json.lastUpdateDateTime])).toEqual([[created.id, changed.lastUpdateDateTime]]);
	});
});

describe('errors', () => {
	it('fails activation with Entra ID\'s code when the secret is wrong', async () => {
		const trigger = activateTrigger({ event: 'newIncident' }, env.credentials.wrongSecret);
		const outcome = await trigger.poll();
		expect(outcome.error?.constructor.name).toBe('NodeApiError');
		expect(outcome.error?.message).toMatch(/AADSTS7000215/);
	});

	it('surfaces Graph\'s 403 as a NodeApiError naming the missing permission, and saves no state', async () => {
		const { emulator } = env;
		const app = emulator.registerApp({ clientId: '8d1c6a52-0c44-4a3b-9f43-6a0f8d1c2b11', secrets: [{ value: 'no-roles-secret' }], roles: { graph: [], mde: [] } });
		const trigger = activateTrigger({ event: 'newAlert' }, credentialsFor(emulator, { clientId: app.clientId, clientSecret: 'no-roles-secret' }));
		const outcome = await trigger.poll();
		expect(outcome.error?.constructor.name).toBe('NodeApiError');
		expect((outcome.error as { httpCode?: string }).httpCode).toBe('403');
		expect(outcome.error?.message).toMatch(/^Forbidden: /);
		expect((outcome.error as { description?: string }).description).toContain('SecurityAlert.Read.All');
		expect(trigger.staticData()).toEqual({});
	});

	it('rejects filters that can never match', async () => {
		const trigger = activateTrigger({ event: 'newIncident', filters: { minimumSeverity: 'high', severity: ['low'] } }, env.credentials.full);
		const outcome = await trigger.poll();
		expect(outcome.error?.message).toMatch(/could never fire/);
	});
});

describe('overlapping polls', () => {
	it('skips a poll that starts while the previous one is still running, so nothing is emitted twice', async () => {
		const { emulator } = env;
		const trigger = activateTrigger({ event: 'newIncident' }, env.credentials.full);
		await trigger.poll();
		for (let index = 0; index < 3; index++) emulator.addIncident({});
		emulator.setLatency(300);
		const [first, second] = await Promise.all([trigger.poll(), trigger.poll()]);
		emulator.setLatency(0);
		const emitted = [...(first.items ?? []), ...(second.items ?? [])];
		expect(emitted).toHaveLength(3);
		expect([first.items, second.items].filter((items) => items === null)).toHaveLength(1);
		expect(await trigger.poll()).toEqual({ items: null });
	});
});
