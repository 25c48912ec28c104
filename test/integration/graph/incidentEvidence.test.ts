import { useEmulator } from '../context';
import { byId, runNode } from '../harness';

const env = useEmulator();

const user = { '@odata.type': '#microsoft.graph.security.userEvidence', verdict: 'suspicious', remediationStatus: 'none', roles: [], userAccount: { userPrincipalName: 'adele.vance@contoso.com', azureAdUserId: 'a1b2c3d4-0000-4000-8000-000000000001', accountName: 'avance' } };
const mailbox = { '@odata.type': '#microsoft.graph.security.mailboxEvidence', verdict: 'suspicious', primaryAddress: 'adele.vance@contoso.com', displayName: 'Adele Vance' };
const email = { '@odata.type': '#microsoft.graph.security.analyzedMessageEvidence', verdict: 'malicious', networkMessageId: '00000001-58d8-43d0-a890-08dc18c52e6d', recipientEmailAddress: 'adele.vance@contoso.com', subject: 'Action required' };
const device = { '@odata.type': '#microsoft.graph.security.deviceEvidence', verdict: 'suspicious', mdeDeviceId: '1e5bc9d7e413ddd7902c2932e418702b84d0cc07', deviceDnsName: 'wks-fin-001.contoso.com' };

function phishingIncident() {
	return env.emulator.addIncident({
		displayName: 'Phishing leads to sign-in from an unusual location',
		alerts: [
			{ title: 'Phish delivered', evidence: [email, mailbox, user] },
			{ title: 'Unusual sign-in', evidence: [user, device] },
		],
	});
}

describe('Incident: Get Evidence', () => {
	it("returns one item per entity across the incident's alerts, with what containment takes, and Simplify drops the raw entry", async () => {
		const { incident, alerts } = phishingIncident();
		const { items, error } = await runNode({ resource: 'incident', operation: 'getEvidence', incidentId: byId(incident.id), evidenceTypes: [], simplify: true }, { credentials: env.credentials, typeVersion: 1.1 });
		expect(error).toBeUndefined();
		const byType = Object.fromEntries(items.map((item) => [item.json.type, item.json]));
		expect(Object.keys(byType).sort()).toEqual(['analyzedMessage', 'device', 'mailbox', 'user']);
		expect(byType.user).toEqual({
			incidentId: incident.id,
			type: 'user',
			name: 'adele.vance@contoso.com',
			verdict: 'suspicious',
			remediationStatus: 'none',
			userPrincipalName: 'adele.vance@contoso.com',
			azureAdUserId: 'a1b2c3d4-0000-4000-8000-000000000001',
			accountName: 'avance',
			alertIds: alerts.map((alert) => alert.id),
		});
		expect(byType.analyzedMessage).toMatchObject({ networkMessageId: email.networkMessageId, recipientEmailAddress: email.recipientEmailAddress });
		expect(byType.device).toMatchObject({ mdeDeviceId: device.mdeDeviceId });
		expect(items.every((item) => item.pairedItem && (item.pairedItem as { item: number }).item === 0)).toBe(true);
	});

	it('keeps only the chosen kinds, and the whole entry without Simplify', async () => {
		const { incident } = phishingIncident();
		const { items } = await runNode({ resource: 'incident', operation: 'getEvidence', incidentId: byId(incident.id), evidenceTypes: ['user', 'device'], simplify: false }, { credentials: env.credentials, typeVersion: 1.1 });
		expect(items.map((item) => item.json.type).sort()).toEqual(['device', 'user']);
		expect(items.find((item) => item.json.type === 'device')?.json.evidence).toMatchObject(device);
	});

	it('pairs a failure to its item under Continue On Fail', async () => {
		const { incident } = phishingIncident();
		const { items } = await runNode(
			{ resource: 'incident', operation: 'getEvidence', incidentId: byId('={{ $json.id }}'), evidenceTypes: ['mailbox'] },
			{ credentials: env.credentials, continueOnFail: true, input: [{ id: '999999999' }, { id: incident.id }] },
		);
		expect(items.map((item) => [item.pairedItem, item.json.type ?? item.json.error])).toEqual([
			[{ item: 0 }, expect.stringMatching(/^NotFound/)],
			[{ item: 1 }, 'mailbox'],
		]);
	});
});
