import { TI_FIXTURES } from '../../emulator/graph/threatIntelligence';
import { useEmulator } from '../context';
import { runNode } from '../harness';

const env = useEmulator();

describe('Threat Intelligence (Defender TI in Graph)', () => {
	it('gets a host with its reputation, WHOIS and passive DNS', async () => {
		const { items, error } = await runNode(
			{ resource: 'threatIntelligence', operation: 'getHost', host: 'contoso-helpdesk.com', include: ['reputation', 'whois', 'passiveDns'], passiveDnsLimit: 100 },
			{ credentials: env.credentials },
		);
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({
			'@odata.type': '#microsoft.graph.security.hostname',
			id: 'contoso-helpdesk.com',
			reputation: { classification: 'malicious', score: 100 },
			whois: { registrar: { name: 'NameCheap, Inc.' } },
		});
		expect((items[0].json.passiveDns as Array<{ artifact: { id: string } }>).map((record) => record.artifact.id)).toEqual(['203.0.113.10', '203.0.113.11']);
		const paths = env.emulator.requestLog({ api: 'graph' }).map((entry) => entry.path);
		expect(paths.some((path) => path.includes('passiveDns'))).toBe(true);
	});

	it('asks only for what Include names, and continues past a host Microsoft does not know, paired per item', async () => {
		const { items } = await runNode(
			{ resource: 'threatIntelligence', operation: 'getHost', host: '={{ $json.host }}', include: ['reputation'] },
			{ credentials: env.credentials, continueOnFail: true, input: [{ host: '203.0.113.10' }, { host: 'unknown.example' }] },
		);
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(items[0].json).toMatchObject({ id: '203.0.113.10', reputation: { classification: 'suspicious' } });
		expect(items[0].json).not.toHaveProperty('whois');
		expect(items[1].json.error).toMatch(/^NotFound/);
		expect(env.emulator.requestLog({ api: 'graph' }).filter((entry) => /whois|passiveDns/.test(entry.path))).toEqual([]);
	});

	it('gets an article with its indicators, and lists articles by a search term', async () => {
		const [withIndicators] = TI_FIXTURES.articles;
		const { items } = await runNode({ resource: 'threatIntelligence', operation: 'getArticle', articleId: withIndicators.id, includeIndicators: true }, { credentials: env.credentials });
		expect(items[0].json).toMatchObject({ id: withIndicators.id, title: withIndicators.title });
		expect((items[0].json.indicators as Array<{ artifact: { id: string } }>).map((indicator) => indicator.artifact.id)).toEqual(withIndicators.indicators);

		const { items: found } = await runNode({ resource: 'threatIntelligence', operation: 'getManyArticles', returnAll: true, searchTerm: 'phishing' }, { credentials: env.credentials });
		expect(found.map((item) => item.json.id)).toEqual(['831b70a4']);
		const { items: newest } = await runNode({ resource: 'threatIntelligence', operation: 'getManyArticles', returnAll: false, limit: 2, searchTerm: '' }, { credentials: env.credentials });
		expect(newest.map((item) => item.json.id)).toEqual(['c0ffee01', '831b70a4']);
		const { error } = await runNode({ resource: 'threatIntelligence', operation: 'getManyArticles', returnAll: true, searchTerm: 'two words' }, { credentials: env.credentials });
		expect(error?.message).toBe('Search Term "two words" has more than one word.');
	});

	it('gets an intel profile and a vulnerability, and refuses a malformed CVE before any request', async () => {
		const { items: profile } = await runNode({ resource: 'threatIntelligence', operation: 'getIntelProfile', intelProfileId: TI_FIXTURES.intelProfileIds[0] }, { credentials: env.credentials });
		expect(profile[0].json).toMatchObject({ kind: 'actor', title: 'Storm-1234' });
		const { items: cve } = await runNode({ resource: 'threatIntelligence', operation: 'getVulnerability', cveId: 'cve-2024-21412' }, { credentials: env.credentials });
		expect(cve[0].json).toMatchObject({ id: 'CVE-2024-21412', severity: 'high' });
		env.emulator.clearRequestLog();
		const { error } = await runNode({ resource: 'threatIntelligence', operation: 'getVulnerability', cveId: 'log4shell' }, { credentials: env.credentials });
		expect(error?.message).toMatch(/^CVE ID "LOG4SHELL" is not valid/);
		expect(env.emulator.requestLog({ api: 'graph' })).toEqual([]);
	});

	it('names ThreatIntelligence.Read.All when the app lacks it', async () => {
		const { error } = await runNode({ resource: 'threatIntelligence', operation: 'getVulnerability', cveId: 'CVE-2024-21412' }, { credentials: env.credentials, credentialId: 'readOnly' });
		expect(error?.description).toMatch(/"ThreatIntelligence\.Read\.All"/);
	});
});
