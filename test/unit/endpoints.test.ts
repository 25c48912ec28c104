import { apiForUrl, endpointFor, resolveEndpoints } from '../../nodes/Microsoft365Defender/transport/apis';
import {
	CredentialConfigurationError,
	validateClientId,
	validateTenantId,
} from '../../nodes/Microsoft365Defender/transport/apis/clouds';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';

describe('validateTenantId', () => {
	it.each([
		[TENANT, TENANT],
		['  contoso.onmicrosoft.com ', 'contoso.onmicrosoft.com'],
		['fabrikam.com', 'fabrikam.com'],
	])('accepts %j', (input, expected) => {
		expect(validateTenantId(input)).toBe(expected);
	});

	it.each(['common', 'Organizations', 'consumers'])('rejects the multi-tenant alias %j and says why', (alias) => {
		expect(() => validateTenantId(alias)).toThrow(/multi-tenant alias/);
	});

	it.each([
		'',
		'not a tenant',
		'../common',
		'contoso.onmicrosoft.com/oauth2',
		'contoso.onmicrosoft.com?x=1',
		'72f988bf-86f1-41af-91ab-2d7cd011db4',
		'tenant%2F..',
		'a'.repeat(300) + '.com',
		'localhost',
	])('rejects %j naming the field', (input) => {
		try {
			validateTenantId(input);
			throw new Error('accepted');
		} catch (error) {
			expect(error).toBeInstanceOf(CredentialConfigurationError);
			expect((error as CredentialConfigurationError).field).toBe('tenantId');
		}
	});
});

describe('validateClientId', () => {
	it('accepts a GUID', () => {
		expect(validateClientId(' 00001111-aaaa-2222-bbbb-3333cccc4444 ')).toBe('00001111-aaaa-2222-bbbb-3333cccc4444');
	});
	it.each(['', 'my-app', '00001111-aaaa-2222-bbbb-3333cccc444', '{00001111-aaaa-2222-bbbb-3333cccc4444}'])(
		'rejects %j',
		(input) => {
			expect(() => validateClientId(input)).toThrow(/Application \(client\) ID/);
		},
	);
});

describe('resolveEndpoints', () => {
	it.each([
		['global', 'login.microsoftonline.com', 'https://graph.microsoft.com', 'https://api.security.microsoft.com', 'https://api.securitycenter.microsoft.com'],
		['usGovGcc', 'login.microsoftonline.com', 'https://graph.microsoft.com', 'https://api-gcc.securitycenter.microsoft.us', 'https://api-gcc.securitycenter.microsoft.us'],
		['usGovGccHigh', 'login.microsoftonline.us', 'https://graph.microsoft.us', 'https://api-gov.securitycenter.microsoft.us', 'https://api-gov.securitycenter.microsoft.us'],
		['usGovDod', 'login.microsoftonline.us', 'https://dod-graph.microsoft.us', 'https://api-gov.securitycenter.microsoft.us', 'https://api-gov.securitycenter.microsoft.us'],
	])('%s uses %s, %s and %s', (environment, login, graph, mde, mdeAudience) => {
		const endpoints = resolveEndpoints({ environment, tenantId: TENANT });
		expect(endpoints.tokenUrl).toBe(`https://${login}/${TENANT}/oauth2/v2.0/token`);
		expect(endpoints.graph).toEqual({ baseUrl: graph, audience: graph });
		expect(endpoints.mde).toEqual({ baseUrl: mde, audience: mdeAudience });
	});

	it('uses the chosen regional Defender for Endpoint host in the global cloud', () => {
		const endpoints = resolveEndpoints({ environment: 'global', tenantId: TENANT, mdeRegion: 'eu' });
		expect(endpoints.mde?.baseUrl).toBe('https://eu.api.security.microsoft.com');
		expect(endpoints.mde?.audience).toBe('https://api.securitycenter.microsoft.com');
	});

	it('has no Defender for Endpoint API in the China cloud and says so', () => {
		const endpoints = resolveEndpoints({ environment: 'china', tenantId: TENANT });
		expect(endpoints.graph.baseUrl).toBe('https://microsoftgraph.chinacloudapi.cn');
		expect(() => endpointFor(endpoints, 'mde')).toThrow(/no Defender for Endpoint API/);
	});

	it('accepts custom endpoints and normalises them to origins', () => {
		const endpoints = resolveEndpoints({
			environment: 'custom',
			tenantId: TENANT,
			loginHost: 'https://LocalHost:9440/',
			graphUrl: 'https://localhost:9441/',
			mdeUrl: 'http://127.0.0.1:9442',
		});
		expect(endpoints.tokenUrl).toBe(`https://localhost:9440/${TENANT}/oauth2/v2.0/token`);
		expect(endpoints.graph.baseUrl).toBe('https://localhost:9441');
		expect(endpoints.mde?.baseUrl).toBe('http://127.0.0.1:9442');
	});

	it.each([
		[{ graphUrl: 'http://graph.example.com' }, 'graphUrl', /https/],
		[{ graphUrl: 'https://graph.example.com/v1.0' }, 'graphUrl', /without a path/],
		[{ graphUrl: 'https://user:pw@graph.example.com' }, 'graphUrl', /without a path, query or user name/],
		[{ graphUrl: 'javascript:alert(1)' }, 'graphUrl', /https/],
		[{ graphUrl: 'not a url' }, 'graphUrl', /full URL/],
		[{ loginHost: 'login.example.com/tenant' }, 'loginHost', /host name/],
		[{ loginHost: 'evil.com#@login.microsoftonline.com' }, 'loginHost', /host name/],
		[{ mdeUrl: 'ftp://mde.example.com' }, 'mdeUrl', /https/],
	])('rejects custom %j in field %s', (override, field, message) => {
		const credentials = {
			environment: 'custom',
			tenantId: TENANT,
			loginHost: 'login.example.com',
			graphUrl: 'https://graph.example.com',
			...override,
		};
		try {
			resolveEndpoints(credentials);
			throw new Error('accepted');
		} catch (error) {
			expect((error as CredentialConfigurationError).field).toBe(field);
			expect((error as Error).message).toMatch(message);
		}
	});

	it('checks the tenant before anything else', () => {
		expect(() => resolveEndpoints({ environment: 'global', tenantId: 'common' })).toThrow(/multi-tenant/);
	});
});

describe('apiForUrl', () => {
	const endpoints = resolveEndpoints({ environment: 'global', tenantId: TENANT });
	it.each([
		['https://graph.microsoft.com/v1.0/security/incidents', 'graph'],
		['https://api.security.microsoft.com/api/machines', 'mde'],
		['https://api.securitycenter.microsoft.com/api/machines', 'mde'],
		['https://graph.microsoft.com.evil.com/v1.0', undefined],
		['https://evil.com/?https://graph.microsoft.com', undefined],
		['http://graph.microsoft.com/v1.0', undefined],
		['https://graph.microsoft.com:8443/v1.0', undefined],
		['not a url', undefined],
	])('%s belongs to %s', (url, api) => {
		expect(apiForUrl(endpoints, url)).toBe(api);
	});
});
