import { canonicalTenantId } from '../auth/canonicalTenant';
import { applicationIdOf } from '../auth/tokenProvider';
import { budgetKey, rateBudgetFor, type BudgetTurn, type RateBudget } from '../pacing/rateBudget';
import { budgetForRoute, isCountedPerTenant, policyFor, type BudgetName } from '../pacing/routeBudgets';
import type { ApiRequest, Connection, DefenderContext } from '../types';
import { descriptorOf } from '../apis';
import type { PipelinePolicy } from './policy';
import { retryDecisionFor } from './retryPolicy';

/**
 * Each attempt takes a turn on the rate budget its route counts against (the API's descriptor
 * says which), so the node stays within Microsoft's limits instead of running into 429s; a 429
 * pauses the budget for everybody on it and teaches it the tenant's real rate.
 */

/** Which of Microsoft's limits a call counts against: its route's own, or its API's. */
function budgetNameOf(request: ApiRequest): BudgetName {
	return budgetForRoute(request.api, request.url ? new URL(request.url).pathname : (request.path ?? ''));
}

export async function budgetFor(connection: Connection, request: ApiRequest, signal?: AbortSignal): Promise<RateBudget> {
	const budgetName = budgetNameOf(request);
	const policy = policyFor(connection.credentials, budgetName);
	const tenantId = await canonicalTenantId(connection, request, signal);
	// A limit Microsoft counts per tenant is shared by every app calling it.
	const applicationId = isCountedPerTenant(budgetName) ? '' : applicationIdOf(connection.credentials);
	return rateBudgetFor(budgetKey(tenantId, applicationId, budgetName, policy.limits), policy);
}

/** Waits for a turn on the budget, logging waits long enough for a user to wonder. */
export async function acquireTurn(
	this: DefenderContext,
	budget: RateBudget,
	request: ApiRequest,
	signal: AbortSignal | undefined,
): Promise<BudgetTurn> {
	return await budget.acquire({
		signal,
		onWait: (delayMs) => {
			if (delayMs >= 1000) {
				this.logger.info(
					`Microsoft 365 Defender: waiting ${(delayMs / 1000).toFixed(1)} s to stay within ${descriptorOf(request.api).displayName}'s rate limit (${budgetNameOf(request)})`,
				);
			}
		},
	});
}

export const pacingPolicy: PipelinePolicy = {
	name: 'pacing',
	async send(request, next) {
		const budget = await budgetFor(request.connection, request.request, request.signal);
		const turn = request.paced ? await acquireTurn.call(request.context, budget, request.request, request.signal) : undefined;
		let throttledForMs: number | undefined;
		try {
			const outcome = await next(request);
			if (outcome.response?.statusCode === 429) {
				// Everybody on this budget waits it out (the turn's outcome pauses it and teaches it the rate).
				const decision = retryDecisionFor(request, outcome);
				throttledForMs = decision.retry ? decision.delayMs : 0;
				if (!turn) budget.pause(throttledForMs);
			}
			return outcome;
		} finally {
			turn?.done({ throttledForMs });
		}
	},
};
