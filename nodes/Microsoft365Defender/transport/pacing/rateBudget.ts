import { processCache } from '../../runtime';
import { sleepUnlessCancelled, throwIfCancelled, unlessCancelled } from '../cancellation';
import { sharedBudgetFor, type SharedBudget, type SharedBudgetRules } from './sharedBudget';

/**
 * A rate budget is shared by every item and execution in this n8n process that calls the same
 * API with the same app in the same tenant (and, in queue mode, by every process of that n8n:
 * see sharedBudget.ts). It keeps the calls inside Microsoft's documented
 * windows (so 429s do not happen in the first place) and, once Microsoft still answers 429,
 * holds everybody on that budget until Retry-After has elapsed and learns the rate the tenant
 * evidently allows, coming back to the documented rate step by step once the 429s stop.
 */
export interface RateLimit {
	limit: number;
	windowMs: number;
}

export interface BudgetPolicy {
	limits: RateLimit[];
	/**
	 * Calls out at once at most. A tenant throttled below the documented rate answers 429 to the
	 * calls in flight when it starts refusing; keeping few in flight keeps those few.
	 */
	maxInFlight?: number;
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
/**
 * Microsoft counts a call when it arrives, which is later than when it is sent, by a delay that
 * varies; a window kept this much longer than Microsoft's absorbs that difference.
 */
export const ARRIVAL_MARGIN_MS = 1_000;
/** Each window without a 429 gives back this share of the documented limit. */
const RECOVERY_SHARE = 0.1;
/** A window this full when Microsoft answers 429 teaches nothing about the tenant's limit. */
const NEARLY_FULL = 0.9;

/** A call's place on the budget; `done` says how Microsoft answered and frees the place. */
export interface BudgetTurn {
	done(outcome?: { throttledForMs?: number }): void;
}

interface LearnedLimit {
	limit: number;
	at: number;
}

export class RateBudget {
	/** Start times of the calls in the longest window, oldest first. */
	private readonly sent: number[] = [];
	/** Times of answers that were not 429, within the shortest window: what Microsoft accepted. */
	private readonly accepted: number[] = [];
	private pausedUntil = 0;
	private queue: Promise<void> = Promise.resolve();
	private inFlight = 0;
	private slotFreed?: { promise: Promise<void>; resolve: () => void };
	private learned?: LearnedLimit;
	private readonly limits: RateLimit[];
	private readonly maxInFlight: number;
	/**
	 * The budget all processes of a queue-mode n8n share; it decides while reachable. This
	 * process's own windows are still kept, to decide with when it is not.
	 */
	private readonly shared?: SharedBudget;

	constructor(
		policy: BudgetPolicy | RateLimit[],
		private readonly clock: () => number = Date.now,
		private readonly wait: (ms: number, signal?: AbortSignal) => Promise<void> = sleepUnlessCancelled,
		sharedWith?: (rules: SharedBudgetRules) => SharedBudget | undefined,
	) {
		const { limits, maxInFlight } = Array.isArray(policy) ? { limits: policy, maxInFlight: undefined } : policy;
		// The shortest window first: that is the one a 429 teaches about.
		this.limits = [...limits].sort((a, b) => a.windowMs - b.windowMs);
		this.maxInFlight = maxInFlight ?? Number.POSITIVE_INFINITY;
		this.shared = sharedWith?.({ limits: this.limits, arrivalMarginMs: ARRIVAL_MARGIN_MS, recoveryShare: RECOVERY_SHARE, nearlyFull: NEARLY_FULL });
	}

	/** The limit of the shortest window as it stands now: documented, or learned from 429s. */
	currentLimit(now: number): number | undefined {
		const shortest = this.limits[0];
		if (!shortest) return undefined;
		if (!this.learned) return shortest.limit;
		const windows = Math.max(0, Math.floor((now - this.learned.at) / (shortest.windowMs + ARRIVAL_MARGIN_MS)));
		const recovered = this.learned.limit + windows * Math.max(1, Math.ceil(shortest.limit * RECOVERY_SHARE));
		if (recovered >= shortest.limit) {
			this.learned = undefined;
			return shortest.limit;
		}
		return recovered;
	}

	/** How long the next call must wait, given what was sent; 0 when it may go now. */
	delayFor(now: number): number {
		let delay = Math.max(0, this.pausedUntil - now);
		this.limits.forEach(({ limit: documented, windowMs }, index) => {
			const limit = index === 0 ? (this.currentLimit(now) ?? documented) : documented;
			const window = windowMs + ARRIVAL_MARGIN_MS;
			const inWindow = this.sent.filter((time) => time > now - window);
			if (inWindow.length >= limit) {
				delay = Math.max(delay, inWindow[inWindow.length - limit] + window - now);
			}
		});
		return delay;
	}

	/**
	 * Resolves with a turn when a call may be sent, and counts it; callers are served in order.
	 * A caller whose signal fires leaves the queue at once (rejecting) and is never counted.
	 */
	async acquire(options: { signal?: AbortSignal; onWait?: (ms: number) => void } = {}): Promise<BudgetTurn> {
		const { signal, onWait } = options;
		throwIfCancelled(signal);
		let abandoned = false;
		const turn = this.queue.then(async (): Promise<BudgetTurn> => {
			throwIfCancelled(signal);
			for (;;) {
				if (this.inFlight >= this.maxInFlight) {
					await unlessCancelled(this.nextFreedSlot(), signal);
					continue;
				}
				const delay = this.shared ? ((await this.shared.admit()) ?? this.delayFor(this.clock())) : this.delayFor(this.clock());
				if (delay <= 0) break;
				onWait?.(delay);
				await this.wait(delay, signal);
				throwIfCancelled(signal);
			}
			const now = this.clock();
			this.sent.push(now);
			const longest = Math.max(0, ...this.limits.map((limit) => limit.windowMs + ARRIVAL_MARGIN_MS));
			while (this.sent.length && this.sent[0] <= now - longest) this.sent.shift();
			this.inFlight++;
			const placed = this.turnHandle();
			// The caller gave up (stopped) just as its turn came: the place is freed at once.
			if (abandoned) placed.done();
			return placed;
		});
		this.queue = turn.then(
			() => undefined,
			() => undefined,
		);
		try {
			return await unlessCancelled(turn, signal);
		} catch (error) {
			abandoned = true;
			throw error;
		}
	}

	/** Microsoft said 429: nobody on this budget calls before Retry-After has elapsed. */
	pause(ms: number): void {
		this.pauseHere(ms);
		this.shared?.pause(ms);
	}

	private pauseHere(ms: number): void {
		this.pausedUntil = Math.max(this.pausedUntil, this.clock() + ms);
	}

	private turnHandle(): BudgetTurn {
		let settled = false;
		return {
			done: (outcome = {}) => {
				if (settled) return;
				settled = true;
				const now = this.clock();
				this.shared?.settle(outcome);
				if (outcome.throttledForMs !== undefined) {
					this.learnFrom429(now, outcome.throttledForMs);
					this.pauseHere(outcome.throttledForMs);
				} else {
					this.accepted.push(now);
					const window = (this.limits[0]?.windowMs ?? 0) + ARRIVAL_MARGIN_MS;
					while (this.accepted.length && this.accepted[0] <= now - window) this.accepted.shift();
				}
				this.inFlight--;
				const freed = this.slotFreed;
				this.slotFreed = undefined;
				freed?.resolve();
			},
		};
	}

	/**
	 * A 429 while the window holds N accepted calls means this tenant allows about N per window
	 * now; a 429 with none accepted (someone else used the budget up) halves the current limit.
	 * Recovery counts whole windows from when sending resumes, after Retry-After.
	 */
	private learnFrom429(now: number, pauseMs: number): void {
		const shortest = this.limits[0];
		if (!shortest) return;
		const window = shortest.windowMs + ARRIVAL_MARGIN_MS;
		while (this.accepted.length && this.accepted[0] <= now - window) this.accepted.shift();
		const current = this.currentLimit(now) ?? shortest.limit;
		const allowed = this.accepted.length > 0 ? Math.min(this.accepted.length, current) : Math.max(1, Math.floor(current / 2));
		// A 429 with the window nearly full is timing (calls counted on arrival), not a lower limit.
		if (allowed < shortest.limit * NEARLY_FULL) this.learned = { limit: allowed, at: now + pauseMs };
	}

	private nextFreedSlot(): Promise<void> {
		if (!this.slotFreed) {
			let resolve: () => void = () => {};
			const promise = new Promise<void>((done) => (resolve = done));
			this.slotFreed = { promise, resolve };
		}
		return this.slotFreed.promise;
	}
}

const budgets = processCache<RateBudget>('rateBudgets');

export function rateBudgetFor(key: string, policy: BudgetPolicy): RateBudget {
	return budgets.getOrCreate(key, () => new RateBudget(policy, Date.now, sleepUnlessCancelled, (rules) => sharedBudgetFor(key, rules)));
}

/** `tenantId` is the canonical tenant id (the token's tid), so a GUID and a domain share one budget. */
export function budgetKey(tenantId: string, clientId: string, budget: string, limits: RateLimit[]): string {
	const shape = limits.map(({ limit, windowMs }) => `${limit}/${windowMs}`).join(',') || 'unlimited';
	return `${tenantId.toLowerCase()}|${clientId.toLowerCase()}|${budget}|${shape}`;
}
