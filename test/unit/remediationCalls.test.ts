import { bulkIdOf, MAX_PAIRS_PER_REMEDIATION, planRemediationCalls, type RemediationSettings } from '../../nodes/Microsoft365Defender/actions/email/remediationCalls';

const settings: RemediationSettings = { displayName: 'Phish 42', description: 'Soft delete', severity: 'high', action: 'softDelete', remediateSendersCopy: false };
const pairsFrom = (count: number) =>
	Array.from({ length: count }, (_, index) => ({
		index,
		settings,
		pair: { networkMessageId: `msg-${Math.floor(index / 20)}`, recipientEmailAddress: `user${index % 20}@contoso.com` },
	}));
const keyOf = (pair: { networkMessageId: string; recipientEmailAddress: string }) => `${pair.networkMessageId}|${pair.recipientEmailAddress}`;

describe('grouping (message, recipient) pairs into remediate calls', () => {
	it('sends 1,000 pairs in the fewest calls the limit allows, every pair in exactly one call', () => {
		const entries = pairsFrom(1000);
		expect(planRemediationCalls(entries)).toHaveLength(Math.ceil(1000 / MAX_PAIRS_PER_REMEDIATION));
		const calls = planRemediationCalls(entries, 400);
		expect(calls.map((call) => call.pairs.length)).toEqual([400, 400, 200]);
		const sent = calls.flatMap((call) => call.pairs.map(keyOf));
		expect(sent).toHaveLength(1000);
		expect(new Set(sent)).toEqual(new Set(entries.map((entry) => keyOf(entry.pair))));
	});

	it('sends a pair asked for twice once, and keeps different settings in different calls', () => {
		const entries = [...pairsFrom(3), { index: 3, settings, pair: { networkMessageId: 'MSG-0', recipientEmailAddress: 'USER1@contoso.com' } }, { index: 4, settings: { ...settings, action: 'hardDelete' }, pair: pairsFrom(1)[0].pair }];
		const calls = planRemediationCalls(entries);
		expect(calls.map((call) => [call.settings.action, call.pairs.length])).toEqual([
			['softDelete', 3],
			['hardDelete', 1],
		]);
		expect(calls[0].entries.map((entriesOfPair) => entriesOfPair.map((entry) => entry.index))).toEqual([[0], [1, 3], [2]]);
	});

	it('reads the bulk id from the Action-center link, encoded or not', () => {
		const raw = 'https://security.microsoft.com/action-center/history?filters={"bulkId":["b7e2"]}&tid=t1';
		expect(bulkIdOf(raw)).toBe('b7e2');
		expect(bulkIdOf(`https://security.microsoft.com/action-center/history?filters=${encodeURIComponent('{"bulkId":["b7e2"]}')}&tid=t1`)).toBe('b7e2');
		expect(bulkIdOf(undefined)).toBeUndefined();
		expect(bulkIdOf('https://security.microsoft.com/action-center/history')).toBeUndefined();
	});
});
