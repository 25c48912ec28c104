import { addRoutePermissions, requiredRolesFor } from '../auth/permissions';
import type { HandlerResult, RequestContext, Router } from '../server';
import { listCollection, metadataUrl } from './common';
import type { EntitySchema } from './odata';

/**
 * Defender Threat Intelligence in Graph v1.0 (microsoftgraph/microsoft-graph-docs-contrib), all
 * ThreatIntelligence.Read.All:
 * - api-reference/v1.0/api/security-host-get.md (GET /hosts/{hostId}: a hostname or an ipAddress),
 *   security-host-get-reputation.md (classification, score, rules), security-host-get-whois.md (whoisRecord),
 *   security-host-list-passivedns.md (passiveDnsRecord collection);
 * - security-article-get.md, security-threatintelligence-list-articles.md ($count, $select, $search with
 *   a single term, $top, $skip, $orderby: no $filter), security-article-list-indicators.md;
 * - security-intelligenceprofile-get.md; security-vulnerability-get.md (id is the CVE ID).
 */

const TI = '/v1.0/security/threatIntelligence';
const PATHS = {
	host: `${TI}/hosts/:id`,
	reputation: `${TI}/hosts/:id/reputation`,
	whois: `${TI}/hosts/:id/whois`,
	passiveDns: `${TI}/hosts/:id/passiveDns`,
	articles: `${TI}/articles`,
	article: `${TI}/articles/:id`,
	articleIndicators: `${TI}/articles/:id/indicators`,
	intelProfile: `${TI}/intelProfiles/:id`,
	vulnerability: `${TI}/vulnerabilities/:id`,
};

addRoutePermissions(Object.values(PATHS).map((pattern) => ({ api: 'graph' as const, method: 'GET', pattern, anyOf: ['ThreatIntelligence.Read.All'] })));

const HOSTS: Record<string, { type: 'hostname' | 'ipAddress'; classification: string; score: number; resolvesTo: string[] }> = {
	'contoso-helpdesk.com': { type: 'hostname', classification: 'malicious', score: 100, resolvesTo: ['203.0.113.10', '203.0.113.11'] },
	'litware.com': { type: 'hostname', classification: 'neutral', score: 0, resolvesTo: ['198.51.100.7'] },
	'203.0.113.10': { type: 'ipAddress', classification: 'suspicious', score: 70, resolvesTo: [] },
};

const ARTICLES = [
	{ id: 'a272d5ab', title: 'Batloader malware abuses legitimate tools', tags: ['OSINT', 'Batloader'], createdDateTime: '2026-03-03T18:20:22.677Z', indicators: ['contoso-helpdesk.com', '203.0.113.10'] },
	{ id: '831b70a4', title: 'Activity snapshot: phishing campaign impersonates IT help desks', tags: ['Phishing', 'Storm-1234'], createdDateTime: '2026-10-11T08:00:00Z', indicators: ['contoso-helpdesk.com'] },
	{ id: 'c0ffee01', title: 'Ransomware operators move to cloud identities', tags: ['Ransomware'], createdDateTime: '2026-11-20T12:00:00Z', indicators: [] },
];

const INTEL_PROFILES: Record<string, Record<string, unknown>> = {
	'9b01de37bf66d1760954a16dc2b52fed2a7bd4e093dfc8a4905e108e4843da80': {
		kind: 'actor',
		title: 'Storm-1234',
		summary: { content: 'A financially motivated group that phishes help-desk credentials.', format: 'text' },
		aliases: ['HelpdeskSpider'],
		targets: ['Education', 'Finance'],
		countriesOrRegionsOfOrigin: [{ label: 'Unknown', code: 'XX' }],
		tradecraft: { content: 'Sends mailbox-full lures linking to credential harvesting pages.', format: 'text' },
		firstActiveDateTime: '2024-05-01T00:00:00Z',
	},
};

const VULNERABILITIES: Record<string, Record<string, unknown>> = {
	'CVE-2024-21412': {
		displayName: 'Internet Shortcut Files Security Feature Bypass Vulnerability',
		severity: 'high',
		cvss3Summary: { score: 8.1, vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H', severity: 'high' },
		exploitsAvailable: true,
		hasChatter: true,
		activeExploitsObserved: true,
		publishedDateTime: '2024-02-13T18:15:00Z',
		priorityScore: 90,
	},
};

const notFound = (context: RequestContext, what: string): never => context.fail(404, 'NotFound', `${what} '${context.params.id}' was not found.`);

function host(context: RequestContext) {
	const found = HOSTS[context.params.id.toLowerCase()];
	if (!found) return notFound(context, 'Host');
	return { id: context.params.id.toLowerCase(), ...found };
}

function ok(context: RequestContext, fragment: string, body: Record<string, unknown>): HandlerResult {
	return { status: 200, body: { '@odata.context': metadataUrl(context, fragment), ...body } };
}

const COLLECTION_SCHEMA = (typeName: string): EntitySchema => ({
	typeName,
	properties: {
		id: { type: 'string', filterable: true },
		title: { type: 'string', sortable: true },
		createdDateTime: { type: 'datetime', filterable: true, sortable: true },
		lastSeenDateTime: { type: 'datetime', filterable: true, sortable: true },
	},
});

function list(context: RequestContext, items: Array<Record<string, unknown>>, resourcePath: string, typeName: string): HandlerResult {
	return listCollection({
		context,
		items,
		schema: COLLECTION_SCHEMA(typeName),
		resourcePath,
		maxTop: Number.MAX_SAFE_INTEGER,
		defaultPageSize: 50,
		defaultOrder: [],
		tieBreaker: (a, b) => String(a.id).localeCompare(String(b.id)),
		allowedExpand: [],
		serialize: (item) => item,
	});
}

const article = (entry: (typeof ARTICLES)[number]) => ({
	'@odata.type': '#microsoft.graph.security.article',
	id: entry.id,
	title: entry.title,
	createdDateTime: entry.createdDateTime,
	lastUpdatedDateTime: entry.createdDateTime,
	summary: { content: `${entry.title}.`, format: 'markdown' },
	body: { content: `#### Description\r\n${entry.title}.`, format: 'markdown' },
	isFeatured: false,
	tags: entry.tags,
	imageUrl: null,
});

function findArticle(context: RequestContext) {
	return ARTICLES.find((entry) => entry.id === context.params.id) ?? notFound(context, 'Article');
}

export function registerThreatIntelligenceRoutes(router: Router): void {
	const route = (pattern: string, handler: (context: RequestContext) => HandlerResult) =>
		router.add({ method: 'GET', pattern, bucket: 'graph', requiredRoles: requiredRolesFor('graph', 'GET', pattern), handler });

	route(PATHS.host, (context) => {
		const { id, type } = host(context);
		return ok(context, 'security/threatIntelligence/hosts/$entity', {
			'@odata.type': `#microsoft.graph.security.${type}`,
			id,
			firstSeenDateTime: '2025-01-05T10:00:00Z',
			lastSeenDateTime: '2026-12-01T10:00:00Z',
		});
	});
	route(PATHS.reputation, (context) => {
		const { classification, score } = host(context);
		return ok(context, 'security/threatIntelligence/hosts/reputation/$entity', {
			'@odata.type': '#microsoft.graph.security.hostReputation',
			id: `rep-${context.params.id.toLowerCase()}`,
			classification,
			score,
			rules: score > 0 ? [{ name: 'Microsoft Defender Threat Intelligence Intel Article', description: ARTICLES[1].title, severity: 'high', relatedDetailsUrl: `https://ti.defender.microsoft.com/article/${ARTICLES[1].id}` }] : [],
		});
	});
	route(PATHS.whois, (context) => {
		const { id, type } = host(context);
		if (type !== 'hostname') return notFound(context, 'WHOIS record of host');
		return ok(context, 'security/threatIntelligence/whoisRecords/$entity', {
			'@odata.type': '#microsoft.graph.security.whoisRecord',
			id: `whois-${id}`,
			domainStatus: 'clientTransferProhibited',
			registrar: { name: 'NameCheap, Inc.' },
			registrant: { name: 'REDACTED FOR PRIVACY', email: null },
			registrationDateTime: '2026-09-30T00:00:00Z',
			expirationDateTime: '2027-09-30T00:00:00Z',
			nameservers: [{ firstSeenDateTime: '2026-09-30T00:00:00Z', lastSeenDateTime: '2026-12-01T00:00:00Z', host: { id: 'dns1.registrar-servers.com' } }],
			host: { id },
		});
	});
	route(PATHS.passiveDns, (context) => {
		const found = host(context);
		const records = found.resolvesTo.map((ip, index) => ({
			'@odata.type': '#microsoft.graph.security.passiveDnsRecord',
			id: Buffer.from(`${found.id}$$${ip}`).toString('base64'),
			firstSeenDateTime: '2026-10-01T10:31:12Z',
			lastSeenDateTime: `2026-12-0${index + 1}T13:19:35Z`,
			collectedDateTime: `2026-12-0${index + 1}T13:59:34.735Z`,
			recordType: 'A',
			parentHost: { id: found.id },
			artifact: { '@odata.type': '#microsoft.graph.security.ipAddress', id: ip },
		}));
		return list(context, records, `security/threatIntelligence/hosts('${found.id}')/passiveDns`, 'microsoft.graph.security.passiveDnsRecord');
	});
	route(PATHS.articles, (context) => {
		// $search takes a single term (the page's note); the shared list handler knows no $search.
		const search = context.query.get('$search');
		const query = new URLSearchParams(context.query);
		query.delete('$search');
		const term = search?.replace(/^"|"$/g, '').toLowerCase();
		if (term !== undefined && /\s/.test(term.trim())) return context.fail(400, 'BadRequest', 'Only single-term searches are supported.');
		const matching = ARTICLES.filter((entry) => term === undefined || `${entry.title} ${entry.tags.join(' ')}`.toLowerCase().includes(term));
		return list({ ...context, query }, matching.map(article), 'security/threatIntelligence/articles', 'microsoft.graph.security.article');
	});
	route(PATHS.article, (context) => ok(context, 'security/threatIntelligence/articles/$entity', article(findArticle(context))));
	route(PATHS.articleIndicators, (context) => {
		const entry = findArticle(context);
		const indicators = entry.indicators.map((value, index) => ({
			'@odata.type': '#microsoft.graph.security.articleIndicator',
			id: `${entry.id}-${index}`,
			source: 'microsoft',
			artifact: { '@odata.type': HOSTS[value]?.type === 'ipAddress' ? '#microsoft.graph.security.ipAddress' : '#microsoft.graph.security.hostname', id: value },
		}));
		return list(context, indicators, `security/threatIntelligence/articles('${entry.id}')/indicators`, 'microsoft.graph.security.articleIndicator');
	});
	route(PATHS.intelProfile, (context) => {
		const profile = INTEL_PROFILES[context.params.id] ?? notFound(context, 'Intel profile');
		return ok(context, 'security/threatIntelligence/intelProfiles/$entity', { '@odata.type': '#microsoft.graph.security.intelligenceProfile', id: context.params.id, ...profile });
	});
	route(PATHS.vulnerability, (context) => {
		const id = context.params.id.toUpperCase();
		const vulnerability = VULNERABILITIES[id] ?? notFound(context, 'Vulnerability');
		return ok(context, 'security/threatIntelligence/vulnerabilities/$entity', { '@odata.type': '#microsoft.graph.security.vulnerability', id, ...vulnerability });
	});
}

export const TI_FIXTURES = { hosts: Object.keys(HOSTS), articles: ARTICLES, intelProfileIds: Object.keys(INTEL_PROFILES), vulnerabilityIds: Object.keys(VULNERABILITIES) };
