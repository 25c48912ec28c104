import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import type { DefenderApi } from '../apis/clouds';
import { HOUR, MINUTE, type BudgetPolicy, type RateLimit } from './rateBudget';

/** Each budget is counted separately by Microsoft. */
export type BudgetName = 'graph' | 'hunting' | 'mde' | 'mdeIndicatorImport' | 'mdePackageUri' | 'mdeDeviceVulnerabilities' | 'mdeLiveResponse' | 'mdeStartInvestigation';

/** Microsoft's documented limits per app and tenant. */
export const DOCUMENTED_LIMITS: Record<BudgetName, RateLimit[]> = {
	graph: [{ limit: 150, windowMs: MINUTE }],
	hunting: [{ limit: 45, windowMs: MINUTE }],
	mde: [
		{ limit: 100, windowMs: MINUTE },
		{ limit: 1500, windowMs: HOUR },
	],
	mdeIndicatorImport: [{ limit: 30, windowMs: MINUTE }],
	mdePackageUri: [
		{ limit: 2, windowMs: MINUTE },
		{ limit: 120, windowMs: HOUR },
	],
	// defender-endpoint/api/get-discovered-vulnerabilities.md: "50 calls per minute and 1500 calls per hour".
	mdeDeviceVulnerabilities: [
		{ limit: 50, windowMs: MINUTE },
		{ limit: 1500, windowMs: HOUR },
	],
	// defender-endpoint/api/run-live-response.md: "10 calls per minute". Its other limit, 25 sessions
	// running at once, is kept by the live response session gate (transport/sessionGate.ts).
	mdeLiveResponse: [{ limit: 10, windowMs: MINUTE }],
	// defender-endpoint/api/initiate-autoir-investigation.md: "50 calls per hour".
	mdeStartInvestigation: [{ limit: 50, windowMs: HOUR }],
};

/**
 * Routes Microsoft documents with limits of their own (each page's "Limitations"); every other
 * call counts against its API's budget.
 */
const ROUTE_BUDGETS: Array<{ api: DefenderApi; path: RegExp; budget: BudgetName }> = [
	{ api: 'graph', path: /^\/(v1\.0|beta)\/security\/runHuntingQuery$/i, budget: 'hunting' },
	{ api: 'mde', path: /^\/api\/indicators\/import$/i, budget: 'mdeIndicatorImport' },
	{ api: 'mde', path: /^\/api\/machineactions\/[^/]+\/getPackageUri$/i, budget: 'mdePackageUri' },
	{ api: 'mde', path: /^\/api\/machines\/[^/]+\/vulnerabilities$/i, budget: 'mdeDeviceVulnerabilities' },
	{ api: 'mde', path: /^\/api\/machines\/[^/]+\/runliveresponse$/i, budget: 'mdeLiveResponse' },
	{ api: 'mde', path: /^\/api\/machines\/[^/]+\/startInvestigation$/i, budget: 'mdeStartInvestigation' },
];

export function budgetForRoute(api: DefenderApi, path: string): BudgetName {
	return ROUTE_BUDGETS.find((route) => route.api === api && route.path.test(path))?.budget ?? api;
}

/**
 * Calls in flight at once per budget. Where a tenant throttles below the documented rate, the
 * calls already out when it starts refusing all get 429; Graph's per-item calls travel 20 to a
 * $batch, so Graph keeps room for two batches.
 */
const MAX_IN_FLIGHT: Record<BudgetName, number> = {
	graph: 40,
	hunting: 5,
	mde: 5,
	mdeIndicatorImport: 2,
	mdePackageUri: 1,
	mdeDeviceVulnerabilities: 5,
	mdeLiveResponse: 2,
	mdeStartInvestigation: 2,
};

export function policyFor(credentials: ICredentialDataDecryptedObject, budget: BudgetName): BudgetPolicy {
	if (credentials.rateLimits === 'off') return { limits: [] };
	return { limits: DOCUMENTED_LIMITS[budget], maxInFlight: MAX_IN_FLIGHT[budget] };
}
