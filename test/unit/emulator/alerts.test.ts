import type { Emulator } from '../../emulator';
import { expectGraphError, getToken, graph, startTestEmulator } from './helpers';

let emulator: Emulator;
let token: string;

beforeAll(async () => {
	emulator = await startTestEmulator();
	token = await getToken(emulator, emulator.apps.full);
});

afterAll(async () => {
	await emulator.close();
});

describe('alerts_v2', () => {
	it('lists alerts with evidence and filters by serviceSource/status/incidentId', async () => {
		const all = emulator.store.listAlerts();
		const response = await graph(emulator, token, '/v1.0/security/alerts_v2?$count=true');
		expect(response.status).toBe(200);
		expect(response.body['@odata.count']).toBe(all.length);
		const alert = response.body.value[0];
		expect(alert.id).toMatch(/^da\d+_-?\d+$/);
		expect(alert).toMatchObject({ '@odata.type': '#microsoft.graph.security.alert', providerAlertId: alert.id, tenantId: emulator.tenantId, evidence: expect.any(Array) });
		const device = all.flatMap((candidate) => candidate.evidence).find((evidence) => evidence['@odata.type'] === '#microsoft.graph.security.deviceEvidence');
		expect(device).toMatchObject({ mdeDeviceId: expect.stringMatching(/^[0-9a-f]{40}$/), deviceDnsName: expect.stringMatching(/\.contoso\.local$/) });

		const filter = encodeURIComponent("serviceSource eq 'microsoftDefenderForEndpoint' and status eq 'new'");
		const filtered = await graph(emulator, token, `/v1.0/security/alerts_v2?$count=true&$filter=${filter}`);
		expect(filtered.body['@odata.count']).toBe(all.filter((candidate) => candidate.serviceSource === 'microsoftDefenderForEndpoint' && candidate.status === 'new').length);

		const byIncident = await graph(emulator, token, `/v1.0/security/alerts_v2?$filter=${encodeURIComponent("incidentId eq '1001'")}`);
		expect(byIncident.body.value.length).toBe(emulator.store.alertsOfIncident('1001').length);
	});

	it('caps $top at 2000 and pages with nextLink', async () => {
		const tooMany = await graph(emulator, token, '/v1.0/security/alerts_v2?$top=2001');
		expectGraphError(tooMany, 400, 'BadRequest');
		expect(tooMany.body.error.message).toBe("The limit of '2000' for Top query has been exceeded. The value from the incoming request is '2001'.");
		const page = await graph(emulator, token, '/v1.0/security/alerts_v2?$top=10');
		expect(page.body.value).toHaveLength(10);
		const next = await graph(emulator, token, page.body['@odata.nextLink']);
		expect(next.body.value[0].id).not.toBe(page.body.value[0].id);
	});

	it('gets, patches and comments on one alert', async () => {
		const target = emulator.store.listAlerts().find((alert) => alert.status === 'new');
		if (!target) throw new Error('seed has no new alert');
		const fetched = await graph(emulator, token, `/v1.0/security/alerts_v2/${target.id}`);
		expect(fetched.body.id).toBe(target.id);

		const patched = await graph(emulator, token, `/v1.0/security/alerts_v2/${target.id}`, {
			method: 'PATCH',
			body: { status: 'resolved', classification: 'falsePositive', determination: 'notMalicious', assignedTo: 'secops@contoso.com' },
		});
		expect(patched.status).toBe(200);
		expect(patched.body).toMatchObject({ status: 'resolved', classification: 'falsePositive', assignedTo: 'secops@contoso.com', resolvedDateTime: expect.any(String) });
		expectGraphError(await graph(emulator, token, `/v1.0/security/alerts_v2/${target.id}`, { method: 'PATCH', body: { status: 'active' } }), 400, 'BadRequest');
		expectGraphError(await graph(emulator, token, `/v1.0/security/alerts_v2/${target.id}`, { method: 'PATCH', body: { title: 'x' } }), 400, 'BadRequest');

		const comments = await graph(emulator, token, `/v1.0/security/alerts_v2/${target.id}/comments`, {
			method: 'POST',
			body: { '@odata.type': 'microsoft.graph.security.alertComment', comment: 'checked' },
		});
		expect(comments.status).toBe(200);
		expect(comments.body.value.at(-1)).toMatchObject({ comment: 'checked' });
		expectGraphError(await graph(emulator, token, '/v1.0/security/alerts_v2/da000_1'), 404, 'NotFound');
	});
});
