import { sleep } from 'n8n-workflow';

/**
 * Shared by every item and execution in this n8n process that calls the same API with the same
 * app in the same tenant: once Microsoft answers 429, nobody on that budget calls again before
 * Retry-After has elapsed.
 */
const pausedUntil = new Map<string, number>();

export function budgetKey(tenantId: string, clientId: string, api: string): string {
	return `${tenantId.toLowerCase()}|${clientId.toLowerCase()}|${api}`;
}

export function pauseBudget(key: string, delayMs: number, now = Date.now()): void {
	const until = now + delayMs;
	if ((pausedUntil.get(key) ?? 0) < until) pausedUntil.set(key, until);
}

export function remainingPause(key: string, now = Date.now()): number {
	const until = pausedUntil.get(key);
	if (until === undefined) return 0;
	if (until <= now) {
		pausedUntil.delete(key);
		return 0;
	}
	return until - now;
}

export async function waitForBudget(key: string): Promise<number> {
	let waited = 0;
	for (let remaining = remainingPause(key); remaining > 0; remaining = remainingPause(key)) {
		await sleep(remaining);
		waited += remaining;
	}
	return waited;
}
