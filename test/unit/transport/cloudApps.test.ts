import type { IHttpRequestOptions, INode } from 'n8n-workflow';

import { apiForUrl, descriptorOf, endpointFor, isUrlOf, resolveEndpoints } from '../../../nodes/Microsoft365Defender/transport/apis';
import { CLOUD_APPS_AUDIENCE, cloudAppsOrigin } from '../../../nodes/Microsoft365Defender/transport/apis/cloudApps';
import { CredentialConfigurationError, type DefenderEnvironment } from '../../../nodes/Microsoft365Defender/transport/apis/clouds';
import { toNodeError } from '../../../nodes/Microsoft365Defender/transport/errors';
import { MINUTE } from '../../../nodes/Microsoft365Defender/transport/pacing/rateBudget';
import { budgetForRoute, DOCUMENTED_LIMITS, isCountedPerTenant } from '../../../nodes/Microsoft365Defender/transport/pacing/routeBudgets';
import { firstPage, itemsOf, nextPage } from '../../../nodes/Microsoft365Defender/transport/paging';
import { defenderApiRequest, defenderApiRequestAllItems } from '../../../nodes/Microsoft365Defender/transport/request';
import type { ApiRequest, DefenderContext } from '../../../nodes/Microsoft365Defender/transport/types';

const tokenRequests: Array<{ api: string }> = [];
jest.mock('../../../nodes/Microsoft365Defender/transport/auth/tokenProvider', () => ({
	...jest.requireActual('../../../nodes/Microsoft365Defender/transport/auth/tokenProvider'),
	getAccessToken: async (_credentials: unknown, api: string) => {
		tokenRequests.push({ api });
		return `token-for-${api}`;
	},
}));

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const NODE: INode = { name: 'Defender', type: 'test', typeVersion: 1, position: [0, 0], parameters: {}, id: '1' };

function refusal(environment: DefenderEnvironment, value: string): CredentialConfigurationError {
	try {
		cloudAppsOrigin(environment, value);
	} catch (error) {
		return error as CredentialConfigurationError;
	}
	throw new Error(`accepted ${value}`);
}

describe('Cloud Apps API URL (credential field)', () => {
	it.each([
		['global', 'https://mytenant.us2.portal.cloudappsecurity.com/api', 'https://mytenant.us2.portal.cloudappsecurity.com'],
		['global', ' https://MyTenant.eu.portal.cloudappsecurity.com/ ', 'https://mytenant.eu.portal.cloudappsecurity.com'],
		['global', 'https://contoso-sec.us.portal.cloudappsecurity.com/api/', 'https://contoso-sec.us.portal.cloudappsecurity.com'],
		['global', 'https://mytenant.us3.portal.cloudappsecurity.com', 'https://mytenant.us3.portal.cloudappsecurity.com'],
		['global', 'https://mytenant.eu2.portal.cloudappsecurity.com/api', 'https://mytenant.eu2.portal.cloudappsecurity.com'],
		['usGovGcc', 'https://mytenant.us1.portal.cloudappsecuritygov.com/api', 'https://mytenant.us1.portal.cloudappsecuritygov.com'],
		['usGovGccHigh', 'https://mytenant.us1.portal.cloudappsecurity.us/api', 'https://mytenant.us1.portal.cloudappsecurity.us'],
		['custom', 'http://127.0.0.1:9443/api', 'http://127.0.0.1:9443'],
		['custom', 'https://cloudapps.example.test', 'https://cloudapps.example.test'],
	])('%s: takes %j as the origin %s', (environment, value, origin) => {
		expect(cloudAppsOrigin(environment as DefenderEnvironment, value)).toBe(origin);
	});

	it.each([
		['global', 'https://evil.example.com/api', /not a Defender for Cloud Apps tenant host/],
		['global', 'https://mytenant.us2.portal.cloudappsecurity.com.evil.com/api', /not a Defender for Cloud Apps tenant host/],
		['global', 'https://portal.cloudappsecurity.com/cas/api', /without any other path/],
		['global', 'https://mytenant.us2.contoso.com/api', /not a Defender for Cloud Apps tenant host/],
		['global', 'https://mytenant.us9.portal.cloudappsecurity.com/api', /not a Defender for Cloud Apps tenant host/],
		['global', 'https://mytenant.us1.portal.cloudappsecurity.us/api', /not a Defender for Cloud Apps tenant host of this Environment/],
		['usGovGccHigh', 'https://mytenant.us2.portal.cloudappsecurity.com/api', /not a Defender for Cloud Apps tenant host of this Environment/],
		['global', 'https://mytenant.us2.portal.cloudappsecurity.com:8443/api', /not a Defender for Cloud Apps tenant host/],
		['global', 'http://mytenant.us2.portal.cloudappsecurity.com/api', /https/],
		['global', 'https://mytenant.us2.portal.cloudappsecurity.com/api/v1/alerts/', /without any other path/],
		['global', 'https://mytenant.us2.portal.cloudappsecurity.com/api?x=1', /without any other path, query/],
		['global', 'https://user:pw@mytenant.us2.portal.cloudappsecurity.com/api', /user name/],
		['global', 'mytenant.us2.portal.cloudappsecurity.com', /is not a URL/],
		['usGovDod', 'https://mytenant.us1.portal.cloudappsecurity.us/api', /documents no Defender for Cloud Apps API for this Environment/],
		['china', 'https://mytenant.portal.cloudappsecurity.cn/api', /documents no Defender for Cloud Apps API for this Environment/],
		['custom', 'http://cloudapps.example.test/api', /https/],
	])('%s: refuses %j, naming the field', (environment, value, message) => {
		const error = refusal(environment as DefenderEnvironment, value);
		expect(error).toBeInstanceOf(CredentialConfigurationError);
		expect(error.field).toBe('cloudAppsUrl');
		expect(error.message).toMatch(message);
		expect(error.message).toMatch(/Settings -> Cloud Apps -> System -> About/);
	});

	it('is checked only when a Cloud Apps request needs it, and the error names the field as the user sees it', () => {
		const endpoints = resolveEndpoints({ environment: 'global', tenantId: TENANT, cloudAppsUrl: 'https://evil.example.com' });
		expect(endpoints.graph.baseUrl).toBe('https://graph.microsoft.com');
		let refused: unknown;
		try {
			endpointFor(endpoints, 'cloudApps');
		} catch (error) {
			refused = error;
		}
		expect(toNodeError(NODE, refused).message).toMatch(/^Credential field "Cloud Apps API URL": Cloud Apps API URL host "evil\.example\.com"/);
		const empty = resolveEndpoints({ environment: 'global', tenantId: TENANT });
		expect(() => endpointFor(empty, 'cloudApps')).toThrow(/Cloud Apps API URL is empty/);
	});

	it('has the tenant host as its only host and Microsoft Cloud App Security as the token audience', () => {
		const endpoints = resolveEndpoints({ environment: 'global', tenantId: TENANT, cloudAppsUrl: 'https://mytenant.us2.portal.cloudappsecurity.com/api' });
		expect(endpointFor(endpoints, 'cloudApps')).toEqual({ baseUrl: 'https://mytenant.us2.portal.cloudappsecurity.com', audience: '05a65629-4c1b-48c1-a78b-804c4abdd4af' });
		expect(CLOUD_APPS_AUDIENCE).toBe('05a65629-4c1b-48c1-a78b-804c4abdd4af');
		expect(apiForUrl(endpoints, 'https://mytenant.us2.portal.cloudappsecurity.com/api/v1/alerts/')).toBe('cloudApps');
		expect(apiForUrl(endpoints, 'https://other.us2.portal.cloudappsecurity.com/api/v1/alerts/')).toBeUndefined();
		expect(isUrlOf(endpoints, 'cloudApps', 'https://graph.microsoft.com/v1.0/security/alerts_v2')).toBe(false);
		expect(isUrlOf(endpoints, 'graph', 'https://mytenant.us2.portal.cloudappsecurity.com/api/v1/alerts/')).toBe(false);
	});
});

describe('Cloud Apps descriptor: budget, paging, errors', () => {
	it('counts every call against 30 a minute, per tenant whichever app calls', () => {
		expect(budgetForRoute('cloudApps', '/api/v1/alerts/')).toBe('cloudApps');
		expect(budgetForRoute('cloudApps', '/api/v1/alerts/close_benign/')).toBe('cloudApps');
		expect(DOCUMENTED_LIMITS.cloudApps).toEqual([{ limit: 30, windowMs: MINUTE }]);
		expect(isCountedPerTenant('cloudApps')).toBe(true);
		expect(isCountedPerTenant('graph')).toBe(false);
	});

	const { paging } = descriptorOf('cloudApps');
	const list: ApiRequest = { api: 'cloudApps', method: 'POST', path: '/api/v1/alerts/', body: { filters: { severity: { eq: [2] } } } };

	it('pages with skip and limit in the JSON body, at most 100 a call, while hasNext', () => {
		const first = firstPage(paging, list);
		expect(first.body).toEqual({ filters: { severity: { eq: [2] } }, skip: 0, limit: 100 });
		expect(first.idempotent).toBe(true);
		expect(firstPage(paging, list, 30).body).toMatchObject({ skip: 0, limit: 30 });
		expect(firstPage(paging, list, 250).body).toMatchObject({ limit: 100 });
		const data = Array.from({ length: 100 }, (_, index) => ({ _id: String(index) }));
		expect(itemsOf(paging, { total: 250, hasNext: true, data })).toHaveLength(100);
		const second = nextPage(paging, list, first, { hasNext: true, data }, 100, 150);
		expect(second?.body).toEqual({ filters: { severity: { eq: [2] } }, skip: 100, limit: 100 });
		expect(nextPage(paging, list, second as ApiRequest, { hasNext: true, data }, 100, 50)?.body).toMatchObject({ skip: 200, limit: 50 });
		expect(nextPage(paging, list, first, { hasNext: false, data }, 100)).toBeUndefined();
		expect(nextPage(paging, list, first, { hasNext: true, data: [] }, 0)).toBeUndefined();
	});

	it('reads what an error answer says without a documented error body', () => {
		const { errorDetails } = descriptorOf('cloudApps');
		expect(errorDetails(undefined, 429)).toEqual({ code: 'HTTP 429', message: expect.stringMatching(/30 requests a minute/) });
		expect(errorDetails({ detail: 'Invalid filter: severity' }, 400)).toEqual({ code: 'HTTP 400', message: 'Invalid filter: severity' });
		expect(errorDetails({ error: 'Not allowed' }, 403)).toEqual({ code: 'HTTP 403', message: 'Not allowed' });
		expect(errorDetails('<html>Bad gateway</html>', 502)).toEqual({ code: 'HTTP 502', message: '<html>Bad gateway</html>' });
		expect(errorDetails({ error: { code: 'Forbidden', message: 'No role' } }, 403)).toEqual({ code: 'Forbidden', message: 'No role' });
		expect(errorDetails({}, 418)).toEqual({ code: 'HTTP 418', message: 'Request failed with status 418' });
	});
});

describe('a Cloud Apps request through the transport', () => {
	type Page = { statusCode: number; body: unknown; headers?: Record<string, string> };
	function contextAnswering(pages: Page[]) {
		const requests: IHttpRequestOptions[] = [];
		const context = {
			getNode: () => NODE,
			getInputData: () => [{ json: {} }],
			getNodeParameter: () => '',
			getCredentials: async () => ({
				environment: 'global',
				tenantId: TENANT,
				clientId: '00001111-aaaa-2222-bbbb-3333cccc4444',
				authentication: 'clientSecret',
				clientSecret: 'secret',
				cloudAppsUrl: 'https://mytenant.us2.portal.cloudappsecurity.com/api',
				rateLimits: 'off',
			}),
			logger: { info: () => undefined, debug: () => undefined, warn: () => undefined },
			helpers: {
				httpRequest: async (options: IHttpRequestOptions) => {
					requests.push({ ...options, body: options.body === undefined ? undefined : JSON.parse(JSON.stringify(options.body)) });
					const page = pages.shift();
					if (!page) throw new Error('no more answers');
					return { statusCode: page.statusCode, headers: { 'content-type': 'application/json', ...page.headers }, body: Buffer.from(JSON.stringify(page.body)) };
				},
			},
		} as unknown as DefenderContext;
		return { context, requests };
	}

	beforeEach(() => tokenRequests.splice(0));

	it('sends the list to the tenant host with a Cloud Apps token and follows hasNext with skip', async () => {
		const alerts = (from: number, count: number) => Array.from({ length: count }, (_, index) => ({ _id: `a${from + index}` }));
		const { context, requests } = contextAnswering([
			{ statusCode: 200, body: { total: 230, hasNext: true, data: alerts(0, 100) } },
			{ statusCode: 200, body: { total: 230, hasNext: true, data: alerts(100, 100) } },
			{ statusCode: 200, body: { total: 230, hasNext: false, data: alerts(200, 30) } },
		]);
		const items = await defenderApiRequestAllItems.call(context, {
			api: 'cloudApps',
			method: 'POST',
			path: '/api/v1/alerts/',
			body: { filters: { resolutionStatus: { eq: [0] } }, sortField: 'date', sortDirection: 'desc' },
		});
		expect(items.map((item) => item._id)).toEqual(alerts(0, 230).map((alert) => alert._id));
		expect(requests.map((request) => [request.method, request.url, (request.body as { skip: number }).skip, (request.body as { limit: number }).limit])).toEqual([
			['POST', 'https://mytenant.us2.portal.cloudappsecurity.com/api/v1/alerts/', 0, 100],
			['POST', 'https://mytenant.us2.portal.cloudappsecurity.com/api/v1/alerts/', 100, 100],
			['POST', 'https://mytenant.us2.portal.cloudappsecurity.com/api/v1/alerts/', 200, 100],
		]);
		expect(requests.every((request) => request.headers?.Authorization === 'Bearer token-for-cloudApps')).toBe(true);
		expect(requests[0].headers).not.toHaveProperty('Prefer');
		expect(new Set(tokenRequests.map((request) => request.api))).toEqual(new Set(['cloudApps']));
	});

	it('waits out a 429 and sends again, through the same pipeline as every API', async () => {
		const { context, requests } = contextAnswering([
			{ statusCode: 429, body: '', headers: { 'retry-after': '0' } },
			{ statusCode: 200, body: { _id: 'abc', title: 'Mass download' } },
		]);
		const alert = await defenderApiRequest.call(context, { api: 'cloudApps', method: 'GET', path: '/api/v1/alerts/abc/', itemIndex: 0 });
		expect(alert).toEqual({ _id: 'abc', title: 'Mass download' });
		expect(requests).toHaveLength(2);
	});

	it('does not follow a redirect to another host, so the Cloud Apps token stays on the tenant host', async () => {
		const { context, requests } = contextAnswering([{ statusCode: 302, body: '', headers: { location: 'https://login.example.net/api/v1/alerts/abc/' } }]);
		const failure = await defenderApiRequest
			.call(context, { api: 'cloudApps', method: 'GET', path: '/api/v1/alerts/abc/', itemIndex: 0 })
			.catch((error: Error) => error);
		expect((failure as Error).message).toMatch(/^Microsoft Defender for Cloud Apps answered 302 with a redirect to https:\/\/login\.example\.net\/api\/v1\/alerts\/abc\/; it was not followed/);
		expect(requests.map((request) => request.url)).toEqual(['https://mytenant.us2.portal.cloudappsecurity.com/api/v1/alerts/abc/']);
	});

	it('maps an error answer with the Cloud Apps hint and no Graph wording', async () => {
		const { context } = contextAnswering([{ statusCode: 403, body: { detail: 'Missing permission' } }]);
		const failure = await defenderApiRequest
			.call(context, { api: 'cloudApps', method: 'GET', path: '/api/v1/alerts/abc/', permission: 'Investigation.Read', itemIndex: 0 })
			.catch((error: Error & { description?: string }) => error);
		expect(failure).toMatchObject({ message: 'HTTP 403: Missing permission' });
		expect((failure as { description?: string }).description).toMatch(/Investigation\.Read" for Microsoft Defender for Cloud Apps\. Add it under API permissions -> Add a permission -> APIs my organization uses/);
	});
});
