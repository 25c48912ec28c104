import { processCache } from '../runtime';
import { sleepUnlessCancelled, throwIfCancelled, unlessCancelled } from './cancellation';

/**
 * A rate budget is shared by every item and execution in this n8n process that calls the same
 * API with the same app in the same tenant. It keeps the calls inside Microsoft's documented
 * windows (so 429s do not happen in the first place) and, once Microsoft still answers 429,
 * holds everybody on that budget until Retry-After has elapsed.
 */
export interface RateLimit {
	limit: number;
	windowMs: number;
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
/**
 * Microsoft counts a call when it arrives, which is later than when it is sent, by a delay that
 * varies; a window kept this much longer than Microsoft's absorbs that difference.
 */
export const ARRIVAL_MARGIN_MS = 1_000;

export class RateBudget {
	/** Start times of the calls in the longest window, oldest first. */
	private readonly sent: number[] = [];
	private pausedUntil = 0;
	private queue: Promise<void> = Promise.resolve();

	constructor(
		private readonly limits: RateLimit[],
		private readonly clock: () => number = Date.now,
		private readonly wait: (ms: number, signal?: AbortSignal) => Promise<void> = sleepUnlessCancelled,
	) {}

	/** How long the next call must wait, given what was sent; 0 when it may go now. */
	delayFor(now: number): number {
		let delay = Math.max(0, this.pausedUntil - now);
		for (const { limit, windowMs } of this.limits) {
			const window = windowMs + ARRIVAL_MARGIN_MS;
			const inWindow = this.sent.filter((time) => time > now - window);
			if (inWindow.length >= limit) {
				delay = Math.max(delay, inWindow[inWindow.length - limit] + window - now);
			}
		}
		return delay;
	}

	/**
	 * Resolves when a call may be sent, and counts it; callers are served in order. A caller
	 * whose signal fires leaves the queue at once (rejecting) and is never counted.
	 */
	async acquire(options: { signal?: AbortSignal; onWait?: (ms: number) => void } = {}): Promise<void> {
		const { signal, onWait } = options;
		throwIfCancelled(signal);
		const turn = this.queue.then(async () => {
			throwIfCancelled(signal);
			for (let delay = this.delayFor(this.clock()); delay > 0; delay = this.delayFor(this.clock())) {
				onWait?.(delay);
				await this.wait(delay, signal);
				throwIfCancelled(signal);
			}
			const now = this.clock();
			this.sent.push(now);
			const longest = Math.max(0, ...this.limits.map((limit) => limit.windowMs + ARRIVAL_MARGIN_MS));
			while (this.sent.length && this.sent[0] <= now - longest) this.sent.shift();
		});
		this.queue = turn.catch(() => {});
		await unlessCancelled(turn, signal);
	}

	/** Microsoft said 429: nobody on this budget calls before Retry-After has elapsed. */
	pause(ms: number): void {
		this.pausedUntil = Math.max(this.pausedUntil, this.clock() + ms);
	}
}

const budgets = processCache<RateBudget>('rateBudgets');

export function rateBudgetFor(key: string, limits: RateLimit[]): RateBudget {
	return budgets.getOrCreate(key, () => new RateBudget(limits));
}

/** `tenantId` is the canonical tenant id (the token's tid), so a GUID and a domain share one budget. */
export function budgetKey(tenantId: string, clientId: string, budget: string, limits: RateLimit[]): string {
	const shape = limits.map(({ limit, windowMs }) => `${limit}/${windowMs}`).join(',') || 'unlimited';
	return `${tenantId.toLowerCase()}|${clientId.toLowerCase()}|${budget}|${shape}`;
}
