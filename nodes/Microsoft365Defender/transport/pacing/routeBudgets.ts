import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { API_DESCRIPTORS, descriptorOf } from '../apis';
import type { BudgetDefinition, DefenderApi } from '../apis/descriptor';
import type { BudgetPolicy, RateLimit } from './rateBudget';

/** Each budget is counted separately by Microsoft; the APIs' descriptors name and define them. */
export type BudgetName = string;

const BUDGETS: Readonly<Record<BudgetName, BudgetDefinition>> = Object.assign(
	{},
	...Object.values(API_DESCRIPTORS).map((descriptor) => descriptor.budgets.limits),
);

/** Microsoft's documented limits per budget. */
export const DOCUMENTED_LIMITS: Readonly<Record<BudgetName, RateLimit[]>> = Object.fromEntries(
	Object.entries(BUDGETS).map(([name, budget]) => [name, budget.limits]),
);

/** Which of Microsoft's limits a call counts against: its route's own, or its API's. */
export function budgetForRoute(api: DefenderApi, path: string): BudgetName {
	const { budgets } = descriptorOf(api);
	return budgets.routes.find((route) => route.path.test(path))?.budget ?? budgets.default;
}

/** Whether Microsoft counts the budget per tenant for every app, rather than per app and tenant. */
export function isCountedPerTenant(budget: BudgetName): boolean {
	return BUDGETS[budget]?.per === 'tenant';
}

export function policyFor(credentials: ICredentialDataDecryptedObject, budget: BudgetName): BudgetPolicy {
	if (credentials.rateLimits === 'off') return { limits: [] };
	return { limits: BUDGETS[budget].limits, maxInFlight: BUDGETS[budget].maxInFlight };
}
