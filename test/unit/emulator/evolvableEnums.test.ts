/* eslint-disable @typescript-eslint/no-explicit-any -- tests navigate arbitrary JSON response bodies freely */
import type { Emulator } from '../../emulator';
import { expectGraphError, getToken, graph, startTestEmulator } from './helpers';

/**
 * Graph's evolvable enums, as documented in microsoftgraph/microsoft-graph-docs-contrib:
 * concepts/best-practices-concept.md ("Handling future members in evolvable enumerations"),
 * api-reference/v1.0/resources/security-incident.md (incidentStatus: awaitingAction after
 * unknownFutureValue) and security-alert.md (serviceSource microsoftDefenderForCloud,
 * detectionSource microsoftDefenderForCloud ... microsoftDefenderForApiManagement after it).
 */
const PREFER = { Prefer: 'include-unknown-enum-members' };

let emulator: Emulator;
let token: string;

beforeAll(async () => {
	emulator = await startTestEmulator({ incidentCount: 60 });
	token = await getToken(emulator, emulator.apps.full);
});

afterAll(async () => {
	await emulator.close();
});

const awaiting = () => emulator.store.listIncidents().filter((incident) => incident.status === 'awaitingAction');
const fromCloud = () => emulator.store.listAlerts().filter((alert) => alert.serviceSource === 'microsoftDefenderForCloud');
const ids = (items: Array<{ id: string }>) => items.map((item) => item.id).sort();

describe('seed', () => {
	it('has incidents awaiting action and alerts from Defender for Cloud', () => {
		expect(awaiting().length).toBeGreaterThan(0);
		expect(fromCloud().length).toBeGreaterThan(0);
		expect(fromCloud().every((alert) => alert.detectionSource === 'microsoftDefenderForServers')).toBe(true);
	});
});

describe('without Prefer: include-unknown-enum-members', () => {
	it('lists and gets incidents with members after the sentinel shown as unknownFutureValue', async () => {
		const list = await graph(emulator, token, '/v1.0/security/incidents?$top=50&$count=true');
		expect(list.status).toBe(200);
		const listed = list.body.value as Array<{ id: string; status: string }>;
		expect(listed.some((incident) => incident.status === 'awaitingAction')).toBe(false);
		const awaitingIds = new Set(awaiting().map((incident) => incident.id));
		const masked = listed.filter((incident) => awaitingIds.has(incident.id));
		expect(masked.length).toBeGreaterThan(0);
		expect(masked.every((incident) => incident.status === 'unknownFutureValue')).toBe(true);

		const [one] = awaiting();
		const got = await graph(emulator, token, `/v1.0/security/incidents/${one.id}`);
		expect(got.body).toMatchObject({ id: one.id, status: 'unknownFutureValue' });
		// The store is untouched: only the answer is masked.
		expect(emulator.store.getIncident(one.id)?.status).toBe('awaitingAction');
	});

	it('masks serviceSource and detectionSource of alerts, also inside an incident\'s expanded alerts', async () => {
		const [alert] = fromCloud();
		const got = await graph(emulator, token, `/v1.0/security/alerts_v2/${alert.id}`);
		expect(got.body).toMatchObject({ id: alert.id, serviceSource: 'unknownFutureValue', detectionSource: 'unknownFutureValue' });

		const listed = await graph(emulator, token, '/v1.0/security/alerts_v2?$top=2000');
		const values = listed.body.value as Array<{ serviceSource: string; detectionSource: string }>;
		expect(values.some((item) => item.serviceSource === 'microsoftDefenderForCloud' || item.detectionSource === 'microsoftDefenderForServers')).toBe(false);
		expect(values.filter((item) => item.serviceSource === 'unknownFutureValue')).toHaveLength(fromCloud().length);

		const expanded = await graph(emulator, token, `/v1.0/security/incidents/${alert.incidentId}?$expand=alerts`);
		const inner = (expanded.body.alerts as Array<{ id: string; serviceSource: string }>).find((candidate) => candidate.id === alert.id);
		expect(inner?.serviceSource).toBe('unknownFutureValue');
	});

	it('refuses such a member in $filter with Graph\'s 400', async () => {
		for (const filter of ["status eq 'awaitingAction'", "(status eq 'active' or status eq 'awaitingAction')"]) {
			const response = await graph(emulator, token, `/v1.0/security/incidents?$filter=${encodeURIComponent(filter)}`);
			expectGraphError(response, 400, 'BadRequest');
			expect(response.body.error.message).toBe("Invalid filter clause: The string 'awaitingAction' is not a valid enumeration type constant.");
		}
		for (const filter of ["serviceSource eq 'microsoftDefenderForCloud'", "detectionSource eq 'microsoftDefenderForServers'"]) {
			const response = await graph(emulator, token, `/v1.0/security/alerts_v2?$filter=${encodeURIComponent(filter)}`);
			expectGraphError(response, 400, 'BadRequest');
			expect(response.body.error.message).toMatch(/^Invalid filter clause: The string '\w+' is not a valid enumeration type constant\.$/);
		}
		// Members before the sentinel still filter as before.
		const active = await graph(emulator, token, `/v1.0/security/incidents?$count=true&$filter=${encodeURIComponent("status eq 'active'")}`);
		expect(active.body['@odata.count']).toBe(emulator.store.listIncidents().filter((incident) => incident.status === 'active').length);
	});

	it('refuses such a member in a PATCH body with Graph\'s 400 and changes nothing', async () => {
		const incident = emulator.store.listIncidents().find((candidate) => candidate.status === 'active');
		if (!incident) throw new Error('seed has no active incident');
		const response = await graph(emulator, token, `/v1.0/security/incidents/${incident.id}`, { method: 'PATCH', body: { status: 'awaitingAction' } });
		expectGraphError(response, 400, 'BadRequest');
		expect(response.body.error.message).toBe("The string 'awaitingAction' is not a valid enumeration type constant for 'microsoft.graph.security.incidentStatus'.");
		expect(emulator.store.getIncident(incident.id)?.status).toBe('active');
	});
});

describe('with Prefer: include-unknown-enum-members', () => {
	it('returns and filters on the real members', async () => {
		const filter = encodeURIComponent("status eq 'awaitingAction'");
		const response = await graph(emulator, token, `/v1.0/security/incidents?$top=50&$filter=${filter}`, { headers: PREFER });
		expect(response.status).toBe(200);
		expect(ids(response.body.value)).toEqual(ids(awaiting()));
		expect((response.body.value as Array<{ status: string }>).every((incident) => incident.status === 'awaitingAction')).toBe(true);

		const [one] = awaiting();
		expect((await graph(emulator, token, `/v1.0/security/incidents/${one.id}`, { headers: PREFER })).body.status).toBe('awaitingAction');

		const alerts = await graph(emulator, token, `/v1.0/security/alerts_v2?$filter=${encodeURIComponent("serviceSource eq 'microsoftDefenderForCloud'")}`, {
			headers: { Prefer: 'return=minimal, include-unknown-enum-members' },
		});
		expect(alerts.status).toBe(200);
		expect(ids(alerts.body.value)).toEqual(ids(fromCloud()));
		expect(alerts.body.value[0]).toMatchObject({ serviceSource: 'microsoftDefenderForCloud', detectionSource: 'microsoftDefenderForServers' });
	});

	it('still refuses awaitingAction in a PATCH: only Defender Experts set it', async () => {
		const incident = emulator.store.listIncidents().find((candidate) => candidate.status === 'active');
		if (!incident) throw new Error('seed has no active incident');
		const response = await graph(emulator, token, `/v1.0/security/incidents/${incident.id}`, { method: 'PATCH', body: { status: 'awaitingAction' }, headers: PREFER });
		expectGraphError(response, 400, 'BadRequest');
		expect(response.body.error.message).toBe("Cannot convert the literal 'awaitingAction' to the expected type 'microsoft.graph.security.incidentStatus'.");
	});
});

describe('$batch', () => {
	it('applies each sub-request\'s own Prefer header, not the envelope\'s', async () => {
		const [one] = awaiting();
		const [alert] = fromCloud();
		const response = await graph(emulator, token, '/v1.0/$batch', {
			method: 'POST',
			headers: PREFER,
			body: {
				requests: [
					{ id: '1', method: 'GET', url: `/security/incidents/${one.id}` },
					{ id: '2', method: 'GET', url: `/security/incidents/${one.id}`, headers: PREFER },
					{ id: '3', method: 'GET', url: `/security/alerts_v2/${alert.id}`, headers: PREFER },
					{ id: '4', method: 'GET', url: `/security/incidents?$filter=${encodeURIComponent("status eq 'awaitingAction'")}` },
				],
			},
		});
		expect(response.status).toBe(200);
		const byId = Object.fromEntries((response.body.responses as Array<{ id: string; status: number; body: any }>).map((item) => [item.id, item]));
		expect(byId['1'].body.status).toBe('unknownFutureValue');
		expect(byId['2'].body.status).toBe('awaitingAction');
		expect(byId['3'].body).toMatchObject({ serviceSource: 'microsoftDefenderForCloud', detectionSource: 'microsoftDefenderForServers' });
		expect(byId['4'].status).toBe(400);
		expect(byId['4'].body.error.message).toBe("Invalid filter clause: The string 'awaitingAction' is not a valid enumeration type constant.");
	});
});
