import { API_DESCRIPTORS, apiForUrl, descriptorOf, endpointFor, isUrlOf, resolveEndpoints } from '../../../nodes/Microsoft365Defender/transport/apis';
import { budgetForRoute } from '../../../nodes/Microsoft365Defender/transport/pacing/routeBudgets';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';

describe('API descriptors', () => {
	it('gives Graph beta Graph\'s host, token audience and budgets, but no $batch', () => {
		const endpoints = resolveEndpoints({ environment: 'usGovGccHigh', tenantId: TENANT });
		expect(endpointFor(endpoints, 'graphBeta')).toEqual(endpointFor(endpoints, 'graph'));
		expect(endpointFor(endpoints, 'graphBeta')).toEqual({ baseUrl: 'https://graph.microsoft.us', audience: 'https://graph.microsoft.us' });
		expect(budgetForRoute('graphBeta', '/beta/security/incidents')).toBe('graph');
		expect(budgetForRoute('graphBeta', '/beta/security/runHuntingQuery')).toBe('hunting');
		expect(descriptorOf('graph').batch).toEqual({ path: '/v1.0/$batch', versionPrefix: '/v1.0', maxSize: 20 });
		expect(descriptorOf('graphBeta').batch).toBeUndefined();
		expect(descriptorOf('graphBeta').headers).toEqual({ Prefer: 'include-unknown-enum-members' });
		expect(descriptorOf('mde').headers).toBeUndefined();
	});

	it('lets a URL of Graph\'s host belong to both Graph versions and to nothing else', () => {
		const endpoints = resolveEndpoints({ environment: 'global', tenantId: TENANT, cloudAppsUrl: 'https://mytenant.eu.portal.cloudappsecurity.com/api' });
		const url = 'https://graph.microsoft.com/beta/security/incidents';
		expect(apiForUrl(endpoints, url)).toBe('graph');
		expect(isUrlOf(endpoints, 'graphBeta', url)).toBe(true);
		expect(isUrlOf(endpoints, 'mde', url)).toBe(false);
		expect(isUrlOf(endpoints, 'cloudApps', url)).toBe(false);
	});

	it('names every budget once, whichever descriptor defines it', () => {
		const owners = new Map<string, Set<object>>();
		for (const descriptor of Object.values(API_DESCRIPTORS)) {
			for (const name of Object.keys(descriptor.budgets.limits)) {
				owners.set(name, (owners.get(name) ?? new Set()).add(descriptor.budgets.limits[name]));
			}
			expect(descriptor.budgets.limits[descriptor.budgets.default]).toBeDefined();
			for (const route of descriptor.budgets.routes) expect(descriptor.budgets.limits[route.budget]).toBeDefined();
		}
		// Graph beta shares Graph's budgets (the same objects), nothing else shares a name.
		for (const [name, definitions] of owners) expect([name, definitions.size]).toEqual([name, 1]);
	});
});
