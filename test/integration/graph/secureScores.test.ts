import type { INodeParameters } from 'n8n-workflow';

import { useEmulator } from '../context';
import { runNode } from '../harness';

/** Score: Get Secure Scores and Get Secure Score Control Profiles (Microsoft Graph v1.0). */
const env = useEmulator();

const run = (parameters: INodeParameters, options: { credentialId?: string; continueOnFail?: boolean; input?: Array<Record<string, string>> } = {}) =>
	runNode({ resource: 'score', ...parameters }, { credentials: env.credentials, ...options });

const graphCalls = () => env.emulator.requestLog({ api: 'graph' });

describe('Score: Get Secure Scores', () => {
	it('returns the daily secure score history newest first; Return All follows @odata.nextLink', async () => {
		const { items, error } = await run({ operation: 'getSecureScores', returnAll: true });
		expect(error).toBeUndefined();
		expect(items).toHaveLength(180);
		const days = items.map((item) => String(item.json.createdDateTime));
		expect([...days].sort().reverse()).toEqual(days);
		expect(items[0].json).toMatchObject({ azureTenantId: env.emulator.tenantId, currentScore: expect.any(Number), maxScore: expect.any(Number), controlScores: expect.any(Array) });
		// Graph pages on its own without $top (the emulator: 100 a page).
		expect(graphCalls().map((call) => call.path)).toEqual(['/v1.0/security/secureScores', '/v1.0/security/secureScores?$top=100&$skip=100']);
	});

	it('asks $top for a Limit', async () => {
		const { items } = await run({ operation: 'getSecureScores', limit: 7 });
		expect(items).toHaveLength(7);
		expect(graphCalls().map((call) => call.path)).toEqual(['/v1.0/security/secureScores?$top=7']);
	});

	it('needs SecurityEvents.Read.All; survives a 429; continues on fail, paired', async () => {
		const { error: forbidden } = await run({ operation: 'getSecureScores', limit: 1 }, { credentialId: 'readOnly' });
		expect(forbidden?.description).toContain('SecurityEvents.Read.All');
		env.emulator.setThrottle('graph', { next429: 1, retryAfterSeconds: 0 });
		const { items, error } = await run({ operation: 'getSecureScores', limit: 1 });
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		const { items: failed } = await run({ operation: 'getSecureScores', limit: 1 }, { credentialId: 'readOnly', continueOnFail: true, input: [{ a: '1' }, { a: '2' }] });
		expect(failed.map((item) => [item.json.httpCode, (item.pairedItem as { item: number }).item])).toEqual([['403', 0], ['403', 1]]);
	});
});

describe('Score: Get Secure Score Control Profiles', () => {
	it('lists the controls by rank; a Limit is $top', async () => {
		const { items, error } = await run({ operation: 'getSecureScoreControlProfiles', returnAll: true });
		expect(error).toBeUndefined();
		expect(items.length).toBeGreaterThan(5);
		expect(items.map((item) => item.json.rank)).toEqual(items.map((_, index) => index + 1));
		for (const profile of items.map((item) => item.json)) expect(profile).toMatchObject({ id: expect.any(String), controlCategory: expect.any(String), maxScore: expect.any(Number), title: expect.any(String) });
		const { items: three } = await run({ operation: 'getSecureScoreControlProfiles', limit: 3 });
		expect(three).toHaveLength(3);
		expect(graphCalls().at(-1)?.path).toBe('/v1.0/security/secureScoreControlProfiles?$top=3');
		const { error: forbidden } = await run({ operation: 'getSecureScoreControlProfiles', limit: 1 }, { credentialId: 'readOnly' });
		expect(forbidden?.description).toContain('SecurityEvents.Read.All');
	});
});
