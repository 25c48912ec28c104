import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { HOUR, MINUTE, type RateLimit } from './rateBudget';

/** Each budget is counted separately by Microsoft. */
export type BudgetName = 'graph' | 'hunting' | 'mde' | 'mdeIndicatorImport' | 'mdePackageUri';

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
};

export function limitsFor(credentials: ICredentialDataDecryptedObject, budget: BudgetName): RateLimit[] {
	return credentials.rateLimits === 'off' ? [] : DOCUMENTED_LIMITS[budget];
}
