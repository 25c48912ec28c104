import { useEmulator } from '../context';
import { byId, runNode } from '../harness';

const env = useEmulator();

const someAlert = () => env.emulator.store.listAlerts()[5];

describe('Alert operations (alerts_v2)', () => {
	it('gets an alert by id and by portal URL', async () => {
		const alert = someAlert();
		const byUrl = { __rl: true, mode: 'url', value: `https://security.microsoft.com/alerts/${alert.id}?tid=x` };
		for (const alertId of [byId(alert.id), byUrl]) {
			const { items, error } = await runNode({ resource: 'alert', operation: 'get', alertId }, { credentials: env.credentials });
			expect(error).toBeUndefined();
			expect(items[0].json).toMatchObject({ id: alert.id, title: alert.title, incidentId: alert.incidentId });
		}
	});

	it('lists alerts filtered by service source and severity', async () => {
		const expected = env.emulator.store
			.listAlerts()
			.filter((alert) => alert.serviceSource === 'microsoftDefenderForEndpoint' && ['high', 'medium'].includes(alert.severity));
		expect(expected.length).toBeGreaterThan(0);
		const { items } = await runNode(
			{
				resource: 'alert',
				operation: 'getAll',
				returnAll: true,
				filters: { serviceSource: ['microsoftDefenderForEndpoint'], severity: ['high', 'medium'] },
			},
			{ credentials: env.credentials },
		);
		expect(items.map((item) => item.json.id).sort()).toEqual(expected.map((alert) => alert.id).sort());
	});

	it('updates an alert and comments on it', async () => {
		const alert = someAlert();
		const { items: updated } = await runNode(
			{ resource: 'alert', operation: 'update', alertId: byId(alert.id), updateFields: { status: 'inProgress', assignedTo: 'soc@contoso.com' } },
			{ credentials: env.credentials },
		);
		expect(updated[0].json).toMatchObject({ id: alert.id, status: 'inProgress', assignedTo: 'soc@contoso.com' });
		const { items: commented } = await runNode(
			{ resource: 'alert', operation: 'addComment', alertId: byId(alert.id), comment: 'Looked at it' },
			{ credentials: env.credentials },
		);
		expect(commented[0].json).toMatchObject({ alertId: alert.id, comment: 'Looked at it' });
	});

	it('reports not found, a bad id and a missing permission', async () => {
		const { error: notFound } = await runNode(
			{ resource: 'alert', operation: 'get', alertId: byId('da000000000000000000_1') },
			{ credentials: env.credentials },
		);
		expect(notFound?.message).toMatch(/^NotFound/);
		const { error: badId } = await runNode(
			{ resource: 'alert', operation: 'get', alertId: byId('={{ "a?b=c" }}') },
			{ credentials: env.credentials },
		);
		expect(badId?.message).toMatch(/^Alert ID "a\?b=c" is not valid/);
		const { error: forbidden } = await runNode(
			{ resource: 'alert', operation: 'addComment', alertId: byId(someAlert().id), comment: 'x' },
			{ credentials: env.credentials, credentialId: 'readOnly' },
		);
		expect(forbidden?.description).toMatch(/"SecurityAlert\.ReadWrite\.All"/);
	});
});
