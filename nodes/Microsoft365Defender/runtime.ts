/**
 * Process-wide state: what outlives one execution, shared by every workflow in this n8n
 * process. Each cache is named here with its bound and its idle expiry, so nothing grows
 * without limit and a rotated secret or a deleted credential is forgotten on its own.
 */
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export const PROCESS_CACHES = {
	/** One MSAL application (and its token cache) per distinct credential. */
	msalApplications: { maxEntries: 100, idleMs: HOUR },
	/** Token requests in flight, shared by concurrent items. */
	pendingTokens: { maxEntries: 500, idleMs: 5 * MINUTE },
	/** Tenant as configured (GUID or domain) -> the tenant id Entra ID put in the token. */
	canonicalTenants: { maxEntries: 1000, idleMs: 24 * HOUR },
	/** Rate budgets per app, tenant and API; idle longer than the longest window (1 hour) first. */
	rateBudgets: { maxEntries: 1000, idleMs: 2 * HOUR },
	/** Live response sessions this process keeps running per app and tenant (Microsoft allows 25). */
	liveResponseSessions: { maxEntries: 1000, idleMs: 6 * HOUR },
	/** Trigger polls running now, so an overlapping poll of the same workflow is skipped. */
	runningPolls: { maxEntries: 10_000, idleMs: 6 * HOUR },
	/** Queue mode: one connection per Redis to the rate budgets shared by n8n's processes (transport/pacing/sharedBudget.ts). */
	sharedBudgetConnections: { maxEntries: 10, idleMs: 24 * HOUR },
} as const;

export type ProcessCacheName = keyof typeof PROCESS_CACHES;

/** A map that forgets its least recently used entry past its bound, and any entry idle too long. */
export class ProcessCache<V> {
	private readonly entries = new Map<string, { value: V; lastUsed: number }>();

	constructor(
		readonly maxEntries: number,
		readonly idleMs: number,
		private readonly clock: () => number = Date.now,
	) {}

	get(key: string): V | undefined {
		const now = this.clock();
		const entry = this.entries.get(key);
		if (!entry) return undefined;
		this.entries.delete(key);
		if (now - entry.lastUsed > this.idleMs) return undefined;
		entry.lastUsed = now;
		this.entries.set(key, entry);
		return entry.value;
	}

	set(key: string, value: V): void {
		const now = this.clock();
		this.entries.delete(key);
		this.entries.set(key, { value, lastUsed: now });
		// Map order is least recently used first.
		for (const [oldest, entry] of this.entries) {
			if (this.entries.size <= this.maxEntries && now - entry.lastUsed <= this.idleMs) break;
			this.entries.delete(oldest);
		}
	}

	getOrCreate(key: string, create: () => V): V {
		const existing = this.get(key);
		if (existing !== undefined) return existing;
		const value = create();
		this.set(key, value);
		return value;
	}

	delete(key: string): void {
		this.entries.delete(key);
	}

	values(): V[] {
		return [...this.entries.values()].map((entry) => entry.value);
	}

	get size(): number {
		return this.entries.size;
	}

	clear(): void {
		this.entries.clear();
	}
}

const registry = new Map<ProcessCacheName, ProcessCache<unknown>>();

/** The process's one cache of that name. */
export function processCache<V>(name: ProcessCacheName): ProcessCache<V> {
	let cache = registry.get(name);
	if (!cache) {
		const { maxEntries, idleMs } = PROCESS_CACHES[name];
		cache = new ProcessCache<unknown>(maxEntries, idleMs);
		registry.set(name, cache);
	}
	return cache as ProcessCache<V>;
}

/** Forgets all process-wide state (tokens, budgets, locks). For tests that start afresh. */
export function resetProcessState(): void {
	for (const cache of registry.values()) cache.clear();
}
