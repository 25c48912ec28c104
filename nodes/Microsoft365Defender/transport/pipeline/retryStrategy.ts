export interface RetryContext {
	/** HTTP status, or undefined when no response arrived (connection refused, reset, timeout). */
	status?: number;
	/** Error code of a failed connection, e.g. ECONNRESET. */
	networkErrorCode?: string;
	/** The Retry-After header as received. */
	retryAfter?: string;
	/** Retries of this kind (throttled, or transient failures) so far; 0 for the first retry. */
	attempt: number;
	/** Safe to send twice: GET, PATCH, DELETE, or a POST that only reads. */
	idempotent: boolean;
	now?: number;
}

export type RetryDecision =
	| { retry: false }
	| { retry: true; delayMs: number; reason: 'throttled' | 'server error' | 'network error' };

export const MAX_THROTTLE_RETRIES = 8;
export const MAX_TRANSIENT_RETRIES = 4;
const BASE_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 30_000;
const MAX_RETRY_AFTER_MS = 5 * 60_000;

/** Connection errors after which the request surely did not reach the server. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);
const TRANSIENT_NETWORK_CODES = new Set([
	...NOT_SENT_CODES,
	'ECONNRESET',
	'ETIMEDOUT',
	'ECONNABORTED',
	'EPIPE',
	'ESOCKETTIMEDOUT',
	'ERR_SOCKET_CONNECTION_TIMEOUT',
]);
const TRANSIENT_STATUSES = new Set([500, 502, 503, 504]);

/** Retry-After in milliseconds: delta-seconds or an HTTP date, capped; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
	if (value === undefined || value === null || String(value).trim() === '') return undefined;
	const text = String(value).trim();
	let ms: number;
	if (/^\d+(\.\d+)?$/.test(text)) {
		ms = Math.ceil(Number(text) * 1000);
	} else {
		if (!/^[A-Za-z]{3}, /.test(text)) return undefined;
		const date = Date.parse(text);
		if (Number.isNaN(date)) return undefined;
		ms = Math.max(0, date - now);
	}
	return Math.min(ms, MAX_RETRY_AFTER_MS);
}

/** Exponential backoff with full jitter, so many items that failed together do not retry together. */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
	const ceiling = Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** attempt);
	return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export function decideRetry(context: RetryContext, random: () => number = Math.random): RetryDecision {
	const { status, attempt } = context;
	const retryAfterMs = parseRetryAfter(context.retryAfter, context.now);

	if (status === 429) {
		if (attempt >= MAX_THROTTLE_RETRIES) return { retry: false };
		return { retry: true, delayMs: retryAfterMs ?? backoffDelay(attempt + 1, random), reason: 'throttled' };
	}
	if (attempt >= MAX_TRANSIENT_RETRIES) return { retry: false };
	if (status !== undefined) {
		if (!TRANSIENT_STATUSES.has(status)) return { retry: false };
		// A 503 with Retry-After was refused before processing; other 5xx may have been applied.
		const refusedUnprocessed = status === 503 && retryAfterMs !== undefined;
		if (!context.idempotent && !refusedUnprocessed) return { retry: false };
		return { retry: true, delayMs: retryAfterMs ?? backoffDelay(attempt, random), reason: 'server error' };
	}
	const code = context.networkErrorCode ?? '';
	if (!TRANSIENT_NETWORK_CODES.has(code)) return { retry: false };
	if (!context.idempotent && !NOT_SENT_CODES.has(code)) return { retry: false };
	return { retry: true, delayMs: backoffDelay(attempt, random), reason: 'network error' };
}

/** Each kind of retry has its own allowance: a run of 429s does not use up the retries for a 5xx. */
export interface RetryCounts {
	throttled: number;
	transient: number;
}

export function newRetryCounts(): RetryCounts {
	return { throttled: 0, transient: 0 };
}

/** decideRetry with the count of the failure's own kind, which it increments when it retries. */
export function decideAndCount(
	counts: RetryCounts,
	context: Omit<RetryContext, 'attempt'>,
	random: () => number = Math.random,
): RetryDecision {
	const kind: keyof RetryCounts = context.status === 429 ? 'throttled' : 'transient';
	const decision = decideRetry({ ...context, attempt: counts[kind] }, random);
	if (decision.retry) counts[kind]++;
	return decision;
}
