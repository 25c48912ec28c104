import type { Clock, LimitBucket } from './runtime';

export interface ThrottleOptions {
	/** null removes the limit. */
	limitPerMinute?: number | null;
	limitPerHour?: number | null;
	/** Fixed Retry-After; otherwise the seconds until the rolling window has room again. */
	retryAfterSeconds?: number | null;
	/** Forces the next n requests of this bucket to get 429 whatever the counts. */
	next429?: number;
}

export interface BucketLimits {
	limitPerMinute: number | null;
	limitPerHour: number | null;
}

/** Documented per app + tenant budgets. Token endpoint limits are not documented: none by default. */
export const DEFAULT_LIMITS: Record<LimitBucket, BucketLimits> = {
	token: { limitPerMinute: null, limitPerHour: null },
	graph: { limitPerMinute: 150, limitPerHour: null },
	hunting: { limitPerMinute: 45, limitPerHour: null },
	mde: { limitPerMinute: 100, limitPerHour: 1500 },
	/** api-introduction.md (CloudAppSecurityDocs): "30 requests per minute per tenant". */
	cloudApps: { limitPerMinute: 30, limitPerHour: null },
};

interface BucketState extends BucketLimits {
	/** Counts are enforced when strict limits are on or a limit was set explicitly. */
	enforced: boolean;
	retryAfterSeconds: number | null;
	forced429: number;
}

export type ThrottleDecision =
	| { throttled: false; early: boolean }
	| { throttled: true; early: boolean; retryAfterSeconds: number };

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

export class ThrottleController {
	private buckets = new Map<LimitBucket, BucketState>();
	private acceptedCalls = new Map<string, number[]>();
	private retryUntil = new Map<string, number>();
	private retryGivenAt = new Map<string, number>();
	private earlyCounts = new Map<string, number>();

	constructor(
		private readonly clock: Clock,
		private readonly strictLimits: boolean,
	) {
		this.reset();
	}

	reset(): void {
		this.buckets.clear();
		for (const [bucket, limits] of Object.entries(DEFAULT_LIMITS) as Array<[LimitBucket, BucketLimits]>) {
			this.buckets.set(bucket, { ...limits, enforced: this.strictLimits, retryAfterSeconds: null, forced429: 0 });
		}
		this.acceptedCalls.clear();
		this.retryUntil.clear();
		this.retryGivenAt.clear();
		this.earlyCounts.clear();
	}

	configure(bucket: LimitBucket, options: ThrottleOptions): void {
		const state = this.bucketState(bucket);
		if (options.limitPerMinute !== undefined) {
			state.limitPerMinute = options.limitPerMinute;
			state.enforced = true;
		}
		if (options.limitPerHour !== undefined) {
			state.limitPerHour = options.limitPerHour;
			state.enforced = true;
		}
		if (options.retryAfterSeconds !== undefined) state.retryAfterSeconds = options.retryAfterSeconds;
		if (options.next429 !== undefined) state.forced429 = options.next429;
	}

	describe(bucket: LimitBucket): BucketState {
		return { ...this.bucketState(bucket) };
	}

	/**
	 * `arrivedAt` is when the caller sent the HTTP request: for the requests inside a $batch,
	 * the batch's arrival, so a Retry-After given to one of them does not make its siblings early.
	 */
	check(bucket: LimitBucket, callerKey: string, arrivedAt?: number): ThrottleDecision {
		const state = this.bucketState(bucket);
		const key = `${bucket}|${callerKey}`;
		const now = this.clock.nowMs();
		const sentAt = arrivedAt ?? now;
		const early = sentAt < (this.retryUntil.get(key) ?? 0) && (this.retryGivenAt.get(key) ?? 0) < sentAt;
		if (early) this.earlyCounts.set(key, (this.earlyCounts.get(key) ?? 0) + 1);

		if (state.forced429 > 0) {
			state.forced429--;
			return this.throttle(key, now, early, state.retryAfterSeconds ?? 1);
		}

		const calls = (this.acceptedCalls.get(key) ?? []).filter((time) => now - time < HOUR_MS);
		this.acceptedCalls.set(key, calls);
		if (state.enforced) {
			const overMinute = this.windowWait(calls, now, MINUTE_MS, state.limitPerMinute);
			const overHour = this.windowWait(calls, now, HOUR_MS, state.limitPerHour);
			const waitMs = Math.max(overMinute, overHour);
			if (waitMs > 0) return this.throttle(key, now, early, state.retryAfterSeconds ?? Math.max(1, Math.ceil(waitMs / 1000)));
		}
		calls.push(now);
		return { throttled: false, early };
	}

	/** Requests that arrived before the Retry-After they had been given elapsed. */
	earlyCallCount(bucket?: LimitBucket, callerKey?: string): number {
		let total = 0;
		for (const [key, count] of this.earlyCounts) {
			const [keyBucket, keyCaller] = [key.slice(0, key.indexOf('|')), key.slice(key.indexOf('|') + 1)];
			if (bucket && keyBucket !== bucket) continue;
			if (callerKey && keyCaller !== callerKey) continue;
			total += count;
		}
		return total;
	}

	private throttle(key: string, now: number, early: boolean, retryAfterSeconds: number): ThrottleDecision {
		this.retryUntil.set(key, now + retryAfterSeconds * 1000);
		this.retryGivenAt.set(key, now);
		return { throttled: true, early, retryAfterSeconds };
	}

	private windowWait(calls: number[], now: number, windowMs: number, limit: number | null): number {
		if (limit === null) return 0;
		const inWindow = calls.filter((time) => now - time < windowMs);
		if (inWindow.length < limit) return 0;
		const oldestThatMustExpire = inWindow[inWindow.length - limit];
		return oldestThatMustExpire + windowMs - now;
	}

	private bucketState(bucket: LimitBucket): BucketState {
		const state = this.buckets.get(bucket);
		if (!state) throw new Error(`Unknown limit bucket '${bucket}'`);
		return state;
	}
}

export const REDIRECT_STATUSES = [301, 302, 303, 307, 308] as const;
export type RedirectStatus = (typeof REDIRECT_STATUSES)[number];
export const FAULT_STATUSES = [500, 502, 503, 504] as const;
export type FaultStatus = (typeof FAULT_STATUSES)[number];
/** What an apply-then-fail request gets after its handler ran: a dropped socket or a 5xx. */
export type ApplyThenFailMode = 'drop' | FaultStatus;

export interface FaultOptions {
	failNext?: number;
	status?: number;
	/** Destroy the socket instead of answering. */
	reset?: boolean;
	/** Delay added to every response of the bucket (0 removes it). */
	latencyMs?: number;
	/** Answer the next n requests with a redirect to `location` (the handler does not run). */
	redirectNext?: number;
	/** Absolute http(s) URL for the Location header; required while redirectNext > 0. */
	location?: string;
	/** Default 302. */
	redirectStatus?: RedirectStatus;
	/** Run the handler of the next n requests (state changes), then answer with `applyThenFail` instead. */
	applyThenFailNext?: number;
	applyThenFail?: ApplyThenFailMode;
}

interface FaultState {
	failNext: number;
	status: number;
	reset: boolean;
	latencyMs: number;
	redirectNext: number;
	location: string | undefined;
	redirectStatus: RedirectStatus;
	applyThenFailNext: number;
	applyThenFail: ApplyThenFailMode | undefined;
}

export type FaultDecision =
	| { kind: 'status'; status: number }
	| { kind: 'reset' }
	| { kind: 'redirect'; status: RedirectStatus; location: string }
	| null;

function isCount(value: unknown): boolean {
	return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

/**
 * Why these fault options cannot be applied, or undefined. Shared by the admin route (400) and
 * injectFaults (throws), so a test that mistypes a fault fails at once instead of running unfaulted.
 */
export function faultOptionsProblem(options: FaultOptions): string | undefined {
	for (const key of ['failNext', 'latencyMs', 'redirectNext', 'applyThenFailNext'] as const) {
		if (options[key] !== undefined && !isCount(options[key])) return `'${key}' must be a whole number of 0 or more`;
	}
	if (options.reset !== undefined && typeof options.reset !== 'boolean') return "'reset' must be true or false";
	if (options.location !== undefined) {
		let url: URL | undefined;
		try {
			url = typeof options.location === 'string' ? new URL(options.location) : undefined;
		} catch {
			url = undefined;
		}
		if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
			return `'location' must be an absolute http:// or https:// URL; got ${JSON.stringify(options.location)}`;
		}
	}
	if (options.redirectStatus !== undefined && !(REDIRECT_STATUSES as readonly unknown[]).includes(options.redirectStatus)) {
		return `'redirectStatus' must be one of ${REDIRECT_STATUSES.join(', ')}`;
	}
	if ((options.redirectNext ?? 0) > 0 && options.location === undefined) return "'location' is required with 'redirectNext'";
	if (options.applyThenFail !== undefined && options.applyThenFail !== 'drop' && !(FAULT_STATUSES as readonly unknown[]).includes(options.applyThenFail)) {
		return `'applyThenFail' must be 'drop' or one of ${FAULT_STATUSES.join(', ')}`;
	}
	if ((options.applyThenFailNext ?? 0) > 0 && options.applyThenFail === undefined) {
		return "'applyThenFail' ('drop', 500, 502, 503 or 504) is required with 'applyThenFailNext'";
	}
	return undefined;
}

export class FaultController {
	private faults = new Map<LimitBucket, FaultState>();

	configure(bucket: LimitBucket, options: FaultOptions): void {
		const problem = faultOptionsProblem(options);
		if (problem) throw new Error(`injectFaults('${bucket}'): ${problem}`);
		const state = this.state(bucket);
		if (options.failNext !== undefined) state.failNext = options.failNext;
		if (options.status !== undefined) state.status = options.status;
		if (options.reset !== undefined) state.reset = options.reset;
		if (options.latencyMs !== undefined) state.latencyMs = options.latencyMs;
		if (options.redirectNext !== undefined) state.redirectNext = options.redirectNext;
		if (options.location !== undefined) state.location = options.location;
		if (options.redirectStatus !== undefined) state.redirectStatus = options.redirectStatus;
		// A new redirect without a status goes back to the default rather than reusing an older one.
		else if (options.redirectNext !== undefined) state.redirectStatus = 302;
		if (options.applyThenFailNext !== undefined) state.applyThenFailNext = options.applyThenFailNext;
		if (options.applyThenFail !== undefined) state.applyThenFail = options.applyThenFail;
	}

	/** The fault that replaces the handler, if any: failNext first, then redirectNext. */
	take(bucket: LimitBucket): FaultDecision {
		const state = this.state(bucket);
		if (state.failNext > 0) {
			state.failNext--;
			return state.reset ? { kind: 'reset' } : { kind: 'status', status: state.status };
		}
		if (state.redirectNext > 0 && state.location !== undefined) {
			state.redirectNext--;
			return { kind: 'redirect', status: state.redirectStatus, location: state.location };
		}
		return null;
	}

	/** Taken for a request the handler will run for; its real response is then replaced. */
	takeApplyThenFail(bucket: LimitBucket): ApplyThenFailMode | null {
		const state = this.state(bucket);
		if (state.applyThenFailNext <= 0 || state.applyThenFail === undefined) return null;
		state.applyThenFailNext--;
		return state.applyThenFail;
	}

	latencyMs(bucket: LimitBucket): number {
		return this.state(bucket).latencyMs;
	}

	reset(): void {
		this.faults.clear();
	}

	private state(bucket: LimitBucket): FaultState {
		let state = this.faults.get(bucket);
		if (!state) {
			state = {
				failNext: 0,
				status: 503,
				reset: false,
				latencyMs: 0,
				redirectNext: 0,
				location: undefined,
				redirectStatus: 302,
				applyThenFailNext: 0,
				applyThenFail: undefined,
			};
			this.faults.set(bucket, state);
		}
		return state;
	}
}
