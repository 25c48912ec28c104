import type { IDataObject } from 'n8n-workflow';

import { analyzedEmails, remediations } from '../../emulator/graph/analyzedEmails';
import { useEmulator } from '../context';
import { runNode } from '../harness';

const env = useEmulator();

const emails = () => analyzedEmails(env.emulator.store, env.emulator.now().getTime()) as IDataObject[];
const remediationCalls = () => env.emulator.requestLog({ api: 'graph' }).filter((entry) => entry.method === 'POST' && entry.path.endsWith('/analyzedEmails/remediate'));

const remediateParameters = {
	resource: 'email',
	operation: 'remediate',
	remediationAction: 'softDelete',
	networkMessageId: '={{ $json.networkMessageId }}',
	recipientEmailAddress: '={{ $json.recipientEmailAddress }}',
	remediationName: 'Phish campaign, incident 42',
	remediationDescription: 'Soft delete from every recipient',
	severity: 'high',
	remediateSendersCopy: false,
};

describe('Email: analyzed emails', () => {
	it('finds a campaign by threat type and delivery location, all pages', async () => {
		const expected = emails().filter((email) => (email.threatTypes as string[]).includes('phish'));
		expect(expected.length).toBeGreaterThan(5);
		const { items, error } = await runNode(
			{ resource: 'email', operation: 'getAll', returnAll: true, filters: { threatTypes: ['phish', 'malware'], deliveryLocation: ['inbox_folder'] } },
			{ credentials: env.credentials },
		);
		expect(error).toBeUndefined();
		expect(items.map((item) => item.json.id).sort()).toEqual(expected.map((email) => email.id).sort());
		const path = decodeURIComponent(env.emulator.requestLog({ api: 'graph' })[0].path);
		expect(path).toContain("latestDelivery/location eq 'inbox_folder' and threatTypes/any(t: t eq 'phish' or t eq 'malware')");
	});

	it('filters on sender, recipient and the time window, and stops at the limit', async () => {
		const target = emails()[3];
		const sender = (target.senderDetail as { fromAddress: string }).fromAddress;
		const { items } = await runNode(
			{
				resource: 'email',
				operation: 'getAll',
				returnAll: false,
				limit: 50,
				filters: { sender, recipientEmailAddress: String(target.recipientEmailAddress), startTime: new Date(Date.parse(String(target.loggedDateTime)) - 60_000).toISOString() },
			},
			{ credentials: env.credentials },
		);
		expect(items.map((item) => item.json.id)).toEqual([target.id]);
		const { items: limited } = await runNode({ resource: 'email', operation: 'getAll', returnAll: false, limit: 7 }, { credentials: env.credentials });
		expect(limited).toHaveLength(7);
		expect(env.emulator.requestLog({ api: 'graph' }).at(-1)?.path).toContain('$top=7');
	});

	it('gets one analyzed email by id, and says so when it does not exist', async () => {
		const target = emails()[0];
		const { items } = await runNode({ resource: 'email', operation: 'get', analyzedEmailId: String(target.id) }, { credentials: env.credentials });
		expect(items[0].json).toMatchObject({ id: target.id, networkMessageId: target.networkMessageId });
		const { error } = await runNode({ resource: 'email', operation: 'get', analyzedEmailId: 'nope' }, { credentials: env.credentials });
		expect(error?.message).toMatch(/^NotFound/);
	});
});

describe('Email: Remediate', () => {
	it('remediates 1,000 (message, recipient) pairs from items in one call, every pair once, with the Action-center link', async () => {
		const input = Array.from({ length: 1000 }, (_, index) => ({
			networkMessageId: `${index.toString(16).padStart(8, '0')}-58d8-43d0-a890-08dc18c52e6d`,
			recipientEmailAddress: `user${index % 37}@contoso.com`,
		}));
		const { items, error } = await runNode(remediateParameters, { credentials: env.credentials, input });
		expect(error).toBeUndefined();
		// Graph's page names no maximum; Defender's advises batches of 50,000 or fewer: 1,000 pairs are one call.
		expect(remediationCalls()).toHaveLength(1);
		const [remediation] = remediations(env.emulator.store);
		expect(remediation).toMatchObject({ displayName: 'Phish campaign, incident 42', description: 'Soft delete from every recipient', severity: 'high', action: 'softDelete', remediateSendersCopy: false });
		const sent = remediation.analyzedEmails.map((pair) => `${pair.networkMessageId}|${pair.recipientEmailAddress}`);
		expect(sent).toHaveLength(1000);
		expect(new Set(sent)).toEqual(new Set(input.map((pair) => `${pair.networkMessageId}|${pair.recipientEmailAddress}`)));
		expect(items).toHaveLength(1000);
		expect(items.map((item) => item.pairedItem)).toEqual(input.map((_, item) => ({ item })));
		expect(items[999].json).toMatchObject({
			networkMessageId: input[999].networkMessageId,
			recipientEmailAddress: input[999].recipientEmailAddress,
			action: 'softDelete',
			bulkId: remediation.bulkId,
			actionCenterUrl: `https://security.microsoft.com/action-center/history?filters={"bulkId":["${remediation.bulkId}"]}&tid=${env.emulator.tenantId}`,
			pairsInRemediation: 1000,
		});
	});

	it('with Continue On Fail: a bad item fails alone and is not sent, a repeated pair is sent once, other settings get their own call', async () => {
		const [first, second] = emails();
		const { items, error } = await runNode(
			{ ...remediateParameters, remediationAction: '={{ $json.action }}' },
			{
				credentials: env.credentials,
				continueOnFail: true,
				input: [
					{ ...first, action: 'softDelete' },
					{ networkMessageId: first.networkMessageId, recipientEmailAddress: 'not-an-address', action: 'softDelete' },
					{ ...first, action: 'softDelete' },
					{ ...second, action: 'moveToJunk' },
					{ ...second, action: 'quarantineEverything' },
				],
			},
		);
		expect(error).toBeUndefined();
		expect(items.map((item) => item.pairedItem)).toEqual([0, 1, 2, 3, 4].map((item) => ({ item })));
		expect(items[1].json).toMatchObject({ sent: false, error: 'Recipient Email Address "not-an-address" is not an email address.' });
		expect(items[4].json).toMatchObject({ sent: false, error: 'Action "quarantineEverything" is not one Microsoft offers.' });
		expect(items[2].json).toMatchObject({ sameAsItem: 0, bulkId: items[0].json.bulkId });
		expect(remediations(env.emulator.store).map((call) => [call.action, call.analyzedEmails.length])).toEqual([
			['softDelete', 1],
			['moveToJunk', 1],
		]);
	});

	it('stops before any request on a bad item without Continue On Fail, and names the permission a refused call needs', async () => {
		const { error } = await runNode(remediateParameters, { credentials: env.credentials, input: [emails()[0], { networkMessageId: '', recipientEmailAddress: 'a@contoso.com' }] });
		expect(error?.message).toMatch(/^Network Message ID is empty/);
		expect(env.emulator.requestLog({ api: 'graph' })).toEqual([]);
		const { error: forbidden } = await runNode(remediateParameters, { credentials: env.credentials, credentialId: 'readOnly', input: [emails()[0]] });
		expect(forbidden?.description).toMatch(/"SecurityAnalyzedMessage\.ReadWrite\.All"/);
	});
});
