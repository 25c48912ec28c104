import { useEmulator } from '../context';
import { byId, runNode } from '../harness';

const env = useEmulator({ incidentCount: 120 });

const graphCalls = (pathPart: string) =>
	env.emulator.requestLog({ api: 'graph' }).filter((entry) => entry.path.includes(pathPart));

const someIncident = () => env.emulator.store.listIncidents()[3];

describe('Incident: Get', () => {
	it('returns the incident, with its alerts when asked', async () => {
		const incident = someIncident();
		const { items, error } = await runNode(
			{ resource: 'incident', operation: 'get', incidentId: byId(incident.id), options: { includeAlerts: true } },
			{ credentials: env.credentials },
		);
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({ id: incident.id, displayName: incident.displayName, severity: incident.severity });
		const alerts = items[0].json.alerts as Array<{ incidentId: string }>;
		expect(alerts.length).toBeGreaterThan(0);
		expect(alerts.every((alert) => alert.incidentId === incident.id)).toBe(true);
		expect(items[0].pairedItem).toEqual({ item: 0 });
	});

	it('accepts the Defender portal URL of the incident', async () => {
		const incident = someIncident();
		const { items } = await runNode(
			{
				resource: 'incident',
				operation: 'get',
				incidentId: { __rl: true, mode: 'url', value: `https://security.microsoft.com/incidents/${incident.id}?tid=${env.emulator.tenantId}` },
			},
			{ credentials: env.credentials },
		);
		expect(items[0].json.id).toBe(incident.id);
	});

	it('fails with Microsoft\'s NotFound for an unknown id', async () => {
		const { error } = await runNode(
			{ resource: 'incident', operation: 'get', incidentId: byId('987654321') },
			{ credentials: env.credentials },
		);
		expect(error?.message).toMatch(/^NotFound: /);
		expect((error as { httpCode?: string }).httpCode).toBe('404');
	});

	it('rejects a literal id that is not a number when the workflow is checked', async () => {
		await expect(
			runNode({ resource: 'incident', operation: 'get', incidentId: byId('12/../../users') }, { credentials: env.credentials }),
		).rejects.toThrow(/An incident ID is a number/);
	});

	it('rejects an id from an expression that is not a number before any request', async () => {
		const { error } = await runNode(
			{ resource: 'incident', operation: 'get', incidentId: byId('={{ "12/../../users" }}') },
			{ credentials: env.credentials },
		);
		expect(error?.message).toBe('Incident ID "12/../../users" is not valid. Expected something like 2972395.');
		expect(env.emulator.requestLog({ api: 'graph' })).toHaveLength(0);
	});

	it('with Continue On Fail, a bad item carries its error and the others succeed, paired', async () => {
		const incident = someIncident();
		const { items, error } = await runNode(
			{ resource: 'incident', operation: 'get', incidentId: byId('={{ $json.id }}') },
			{ credentials: env.credentials, continueOnFail: true, input: [{ id: incident.id }, { id: '987654321' }, { id: 'x' }] },
		);
		expect(error).toBeUndefined();
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(items[0].json.id).toBe(incident.id);
		expect(items[1].json).toMatchObject({ httpCode: '404' });
		expect(String(items[1].json.error)).toMatch(/^NotFound/);
		expect(String(items[2].json.error)).toMatch(/Incident ID "x" is not valid/);
	});
});

describe('Incident: Get Many', () => {
	it('Return All over 120 incidents takes exactly 3 page calls of 50', async () => {
		const { items, error } = await runNode(
			{ resource: 'incident', operation: 'getAll', returnAll: true },
			{ credentials: env.credentials },
		);
		expect(error).toBeUndefined();
		expect(items).toHaveLength(120);
		expect(new Set(items.map((item) => item.json.id)).size).toBe(120);
		const pages = graphCalls('/security/incidents');
		expect(pages).toHaveLength(3);
		expect(pages[0].path).toContain('$top=50');
	});

	it('stops at the limit with the smallest page', async () => {
		const { items } = await runNode(
			{ resource: 'incident', operation: 'getAll', returnAll: false, limit: 7 },
			{ credentials: env.credentials },
		);
		expect(items).toHaveLength(7);
		expect(graphCalls('/security/incidents')).toHaveLength(1);
		expect(graphCalls('/security/incidents')[0].path).toContain('$top=7');
	});

	it('filters on status, severity, owner and dates, escaping values', async () => {
		const all = env.emulator.store.listIncidents();
		const since = new Date(Date.parse(all[0].createdDateTime) - 1).toISOString();
		const expected = all.filter(
			(incident) =>
				['active', 'inProgress'].includes(incident.status) &&
				incident.severity === 'high' &&
				incident.createdDateTime >= since,
		);
		const { items, error } = await runNode(
			{
				resource: 'incident',
				operation: 'getAll',
				returnAll: true,
				filters: { status: ['active', 'inProgress'], severity: ['high'], createdAfter: since },
			},
			{ credentials: env.credentials },
		);
		expect(error).toBeUndefined();
		expect(items.map((item) => item.json.id).sort()).toEqual(expected.map((incident) => incident.id).sort());

		const { items: nobody } = await runNode(
			{ resource: 'incident', operation: 'getAll', returnAll: true, filters: { assignedTo: "x' or status eq 'active" } },
			{ credentials: env.credentials },
		);
		expect(nobody).toHaveLength(0);
	});

	it('names the field when a date filter is not a date', async () => {
		const { error } = await runNode(
			{ resource: 'incident', operation: 'getAll', returnAll: true, filters: { createdAfter: 'yesterday-ish' } },
			{ credentials: env.credentials },
		);
		expect(error?.message).toMatch(/"yesterday-ish" is not a date/);
		expect(error?.description).toMatch(/createdAfter/);
	});
});

describe('Incident: Update', () => {
	it('changes status, owner, classification and determination', async () => {
		const incident = someIncident();
		const { items, error } = await runNode(
			{
				resource: 'incident',
				operation: 'update',
				incidentId: byId(incident.id),
				updateFields: {
					status: 'resolved',
					assignedTo: 'tier2@contoso.com',
					classification: 'truePositive',
					determination: 'malware',
				},
			},
			{ credentials: env.credentials },
		);
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({
			id: incident.id,
			status: 'resolved',
			assignedTo: 'tier2@contoso.com',
			classification: 'truePositive',
			determination: 'malware',
		});
		expect(env.emulator.store.getIncident(incident.id)?.status).toBe('resolved');
	});

	it('adds to and removes from the existing custom tags', async () => {
		const incident = someIncident();
		env.emulator.updateIncident(incident.id, { customTags: ['vip', 'phishing'] });
		await runNode(
			{ resource: 'incident', operation: 'update', incidentId: byId(incident.id), updateFields: { customTags: 'n8n, vip', customTagsMode: 'add' } },
			{ credentials: env.credentials },
		);
		expect(env.emulator.store.getIncident(incident.id)?.customTags).toEqual(['vip', 'phishing', 'n8n']);
		await runNode(
			{ resource: 'incident', operation: 'update', incidentId: byId(incident.id), updateFields: { customTags: 'phishing', customTagsMode: 'remove' } },
			{ credentials: env.credentials },
		);
		expect(env.emulator.store.getIncident(incident.id)?.customTags).toEqual(['vip', 'n8n']);
	});

	it('says what to do when no field is given', async () => {
		const { error } = await runNode(
			{ resource: 'incident', operation: 'update', incidentId: byId(someIncident().id), updateFields: {} },
			{ credentials: env.credentials },
		);
		expect(error?.message).toMatch(/Nothing to update/);
	});

	it('names the missing permission when the app can only read', async () => {
		const { error } = await runNode(
			{ resource: 'incident', operation: 'update', incidentId: byId(someIncident().id), updateFields: { status: 'inProgress' } },
			{ credentials: env.credentials, credentialId: 'readOnly' },
		);
		expect((error as { httpCode?: string }).httpCode).toBe('403');
		expect(error?.description).toMatch(/"SecurityIncident\.ReadWrite\.All"/);
		expect(error?.description).toMatch(/Grant admin consent/);
	});
});

describe('Incident: Add Comment', () => {
	it('adds the comment and returns the incident\'s comments', async () => {
		const incident = someIncident();
		const { items, error } = await runNode(
			{ resource: 'incident', operation: 'addComment', incidentId: byId(incident.id), comment: 'Contained by n8n' },
			{ credentials: env.credentials },
		);
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ incidentId: incident.id, comment: 'Contained by n8n' });
		const comments = items[0].json.comments as Array<{ comment: string }>;
		expect(comments.map((comment) => comment.comment)).toContain('Contained by n8n');
		expect(env.emulator.store.getIncident(incident.id)?.comments.map((comment) => comment.comment)).toContain('Contained by n8n');
	});

	it('refuses an empty comment', async () => {
		const { error } = await runNode(
			{ resource: 'incident', operation: 'addComment', incidentId: byId(someIncident().id), comment: '   ' },
			{ credentials: env.credentials },
		);
		expect(error?.message).toMatch(/Comment is empty/);
	});
});
