import type { Emulator } from '../../emulator';
import { expectGraphError, getToken, graph, startTestEmulator } from './helpers';

let emulator: Emulator;
let token: string;

beforeAll(async () => {
	emulator = await startTestEmulator({ incidentCount: 120 });
	token = await getToken(emulator, emulator.apps.full);
});

afterAll(async () => {
	await emulator.close();
});

const list = (query = '') => graph(emulator, token, `/v1.0/security/incidents${query}`);

describe('GET /security/incidents', () => {
	it('pages 120 incidents at $top=50 in exactly 3 calls following @odata.nextLink', async () => {
		emulator.clearRequestLog();
		const ids: string[] = [];
		let url: string | undefined = `${emulator.graphUrl}/v1.0/security/incidents?$top=50`;
		while (url) {
			const page: Awaited<ReturnType<typeof list>> = await graph(emulator, token, url);
			expect(page.status).toBe(200);
			expect(page.body['@odata.context']).toBe(`${emulator.graphUrl}/v1.0/$metadata#security/incidents`);
			ids.push(...page.body.value.map((incident: { id: string }) => incident.id));
			url = page.body['@odata.nextLink'];
		}
		expect(ids).toHaveLength(120);
		expect(new Set(ids).size).toBe(120);
		expect(emulator.requestLog({ api: 'graph' })).toHaveLength(3);
	});

	it('returns at most 50 without $top, newest first, with the documented fields', async () => {
		const page = await list();
		expect(page.body.value).toHaveLength(50);
		expect(page.body['@odata.nextLink']).toContain('$skip=50');
		const created = page.body.value.map((incident: { createdDateTime: string }) => Date.parse(incident.createdDateTime));
		expect([...created].sort((a, b) => b - a)).toEqual(created);
		const incident = page.body.value[0];
		for (const field of ['id', 'tenantId', 'status', 'incidentWebUrl', 'redirectIncidentId', 'displayName', 'createdDateTime', 'lastUpdateDateTime', 'assignedTo', 'classification', 'determination', 'severity', 'customTags', 'systemTags', 'description', 'comments']) {
			expect(incident).toHaveProperty(field);
		}
		expect(incident.id).toMatch(/^\d+$/);
		expect(incident.createdDateTime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}Z$/);
		expect(incident).not.toHaveProperty('alerts');
	});

	it('$top above 50 gives the exact Graph 400', async () => {
		const response = await list('?$top=51');
		expectGraphError(response, 400, 'BadRequest');
		expect(response.body.error.message).toBe("The limit of '50' for Top query has been exceeded. The value from the incoming request is '51'.");
	});

	it('filters with eq/ne/in/and/or/not, datetimes and string functions', async () => {
		const all = emulator.store.listIncidents();
		const active = await list(`?$top=50&$count=true&$filter=${encodeURIComponent("status eq 'active'")}`);
		expect(active.body['@odata.count']).toBe(all.filter((incident) => incident.status === 'active').length);
		expect(active.body.value.every((incident: { status: string }) => incident.status === 'active')).toBe(true);

		const highOrMedium = await list(`?$count=true&$filter=${encodeURIComponent("severity in ('high', 'medium') and not (status eq 'resolved')")}`);
		expect(highOrMedium.body['@odata.count']).toBe(all.filter((incident) => ['high', 'medium'].includes(incident.severity) && incident.status !== 'resolved').length);

		const since = new Date(Date.now() - 7 * 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z');
		const recent = await list(`?$count=true&$filter=${encodeURIComponent(`lastUpdateDateTime gt ${since} or assignedTo eq 'secops@contoso.com'`)}`);
		expect(recent.body['@odata.count']).toBe(all.filter((incident) => Date.parse(incident.lastUpdateDateTime) > Date.parse(since) || incident.assignedTo === 'secops@contoso.com').length);

		const unassigned = await list(`?$count=true&$filter=${encodeURIComponent('assignedTo eq null')}`);
		expect(unassigned.body['@odata.count']).toBe(all.filter((incident) => incident.assignedTo === null).length);

		const multiStage = await list(`?$count=true&$filter=${encodeURIComponent("startswith(displayName,'Multi-stage')")}`);
		expect(multiStage.body['@odata.count']).toBe(all.filter((incident) => incident.displayName.startsWith('Multi-stage')).length);

		const tagged = await list(`?$count=true&$filter=${encodeURIComponent("customTags/any(t: t eq 'VIP')")}`);
		expect(tagged.body['@odata.count']).toBe(all.filter((incident) => incident.customTags.includes('VIP')).length);
	});

	it('rejects bad filters with Graph-shaped 400s', async () => {
		const cases: Array<[string, RegExp]> = [
			["severity eq 'critical'", /The string 'critical' is not a valid enumeration type constant/],
			["foo eq 'x'", /Could not find a property named 'foo' on type 'microsoft.graph.security.incident'/],
			["createdDateTime gt '2024-01-01T00:00:00Z'", /incompatible types.*Edm.DateTimeOffset.*Edm.String/],
			["status eq 'active' and", /Syntax error at position/],
			["status eq 'active", /unterminated string literal/],
			["description eq 'x'", /cannot be used in the \$filter query option/],
		];
		for (const [filter, message] of cases) {
			const response = await list(`?$filter=${encodeURIComponent(filter)}`);
			expectGraphError(response, 400, 'BadRequest');
			expect(response.body.error.message).toMatch(message);
		}
		expectGraphError(await list('?$search=foo'), 400, 'BadRequest');
		expectGraphError(await list('?$top=abc'), 400, 'BadRequest');
	});

	it('handles quotes in string literals', async () => {
		emulator.addIncident({ displayName: "O'Brien's laptop", severity: 'low' });
		const response = await list(`?$filter=${encodeURIComponent("displayName eq 'O''Brien''s laptop'")}`);
		expect(response.body.value).toHaveLength(1);
	});

	it('orders, skips and expands alerts', async () => {
		const ascending = await list('?$orderby=lastUpdateDateTime asc&$top=5&$skip=2');
		const times = ascending.body.value.map((incident: { lastUpdateDateTime: string }) => Date.parse(incident.lastUpdateDateTime));
		expect([...times].sort((a, b) => a - b)).toEqual(times);
		const expanded = await list('?$top=3&$expand=alerts&$orderby=createdDateTime asc');
		for (const incident of expanded.body.value) {
			expect(incident.alerts.length).toBeGreaterThan(0);
			expect(incident.alerts[0]).toMatchObject({ '@odata.type': '#microsoft.graph.security.alert', incidentId: incident.id });
			expect(incident.alerts[0].evidence.length).toBeGreaterThan(0);
		}
		expectGraphError(await list('?$expand=comments'), 400, 'BadRequest');
	});
});

describe('single incident, PATCH and comments', () => {
	it('gets one incident and 404s a missing one', async () => {
		const response = await graph(emulator, token, '/v1.0/security/incidents/1001?$expand=alerts');
		expect(response.status).toBe(200);
		expect(response.body).toMatchObject({ id: '1001', alerts: expect.any(Array) });
		expectGraphError(await graph(emulator, token, '/v1.0/security/incidents/424242'), 404, 'NotFound');
	});

	it('PATCH updates allowed fields, normalizes enum case and bumps lastUpdateDateTime', async () => {
		const before = emulator.store.getIncident('1002')?.lastUpdateDateTime as string;
		const response = await graph(emulator, token, '/v1.0/security/incidents/1002', {
			method: 'PATCH',
			body: { status: 'resolved', classification: 'TruePositive', determination: 'MultiStagedAttack', assignedTo: 'kai@contoso.com', customTags: ['Demo'] },
		});
		expect(response.status).toBe(200);
		expect(response.body).toMatchObject({ id: '1002', status: 'resolved', classification: 'truePositive', determination: 'multiStagedAttack', assignedTo: 'kai@contoso.com', customTags: ['Demo'] });
		expect(Date.parse(response.body.lastUpdateDateTime)).toBeGreaterThan(Date.parse(before));
		expect(emulator.store.alertsOfIncident('1002').every((alert) => alert.status === 'resolved')).toBe(true);
	});

	it('PATCH rejects unknown, read-only and invalid values', async () => {
		const unknown = await graph(emulator, token, '/v1.0/security/incidents/1003', { method: 'PATCH', body: { foo: 1 } });
		expectGraphError(unknown, 400, 'BadRequest');
		expect(unknown.body.error.message).toContain("The property 'foo' does not exist on type 'microsoft.graph.security.incident'");
		expectGraphError(await graph(emulator, token, '/v1.0/security/incidents/1003', { method: 'PATCH', body: { severity: 'low' } }), 400, 'BadRequest');
		const badEnum = await graph(emulator, token, '/v1.0/security/incidents/1003', { method: 'PATCH', body: { status: 'closed' } });
		expectGraphError(badEnum, 400, 'BadRequest');
		expect(badEnum.body.error.message).toContain("Cannot convert the literal 'closed'");
		expectGraphError(await graph(emulator, token, '/v1.0/security/incidents/1003', { method: 'PATCH', body: { customTags: 'x' } }), 400, 'BadRequest');
		expectGraphError(await graph(emulator, token, '/v1.0/security/incidents/999999', { method: 'PATCH', body: { status: 'active' } }), 404, 'NotFound');
	});

	it('POST comments returns the whole comment collection', async () => {
		const existing = emulator.store.getIncident('1004')?.comments.length ?? 0;
		const response = await graph(emulator, token, '/v1.0/security/incidents/1004/comments', {
			method: 'POST',
			body: { '@odata.type': 'microsoft.graph.security.alertComment', comment: 'Triaged by n8n' },
		});
		expect(response.status).toBe(200);
		expect(response.body.value).toHaveLength(existing + 1);
		expect(response.body.value[existing]).toMatchObject({ comment: 'Triaged by n8n', createdByDisplayName: emulator.apps.full.displayName, createdDateTime: expect.any(String) });
		expectGraphError(await graph(emulator, token, '/v1.0/security/incidents/1004/comments', { method: 'POST', body: {} }), 400, 'BadRequest');
	});

	it('admin changes appear to API clients: late arrivals and Microsoft-side updates', async () => {
		const old = new Date(Date.now() - 3 * 86_400_000).toISOString();
		const { incident } = emulator.addIncident({ createdDateTime: old, lastUpdateDateTime: old, severity: 'high', alerts: [{ title: 'Late alert', severity: 'high' }] });
		const fetched = await graph(emulator, token, `/v1.0/security/incidents/${incident.id}?$expand=alerts`);
		expect(fetched.body.createdDateTime).toBe(old.replace('Z', '0000Z'));
		expect(fetched.body.alerts[0].title).toBe('Late alert');

		const updated = emulator.updateIncident(incident.id, { status: 'inProgress' });
		expect(Date.parse(updated.lastUpdateDateTime)).toBeGreaterThan(Date.parse(old));
	});
});
