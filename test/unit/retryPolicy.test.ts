import {
	backoffDelay,
	decideAndCount,
	decideRetry,
	newRetryCounts,
	MAX_THROTTLE_RETRIES,
	MAX_TRANSIENT_RETRIES,
	parseRetryAfter,
} from '../../nodes/Microsoft365Defender/transport/pipeline/retryStrategy';

const half = () => 0.5;

describe('parseRetryAfter', () => {
	const now = Date.parse('2026-11-26T10:00:00Z');
	it.each([
		['2', 2000],
		['0', 0],
		['1.5', 1500],
		['Thu, 26 Nov 2026 10:00:30 GMT', 30_000],
		['Thu, 26 Nov 2026 09:00:00 GMT', 0],
		['99999', 300_000],
	])('%j means %d ms', (value, ms) => {
		expect(parseRetryAfter(value, now)).toBe(ms);
	});
	it.each([undefined, '', 'soon', '-5'])('%j is unreadable', (value) => {
		expect(parseRetryAfter(value, now)).toBeUndefined();
	});
});

describe('decideRetry', () => {
	it('waits exactly Retry-After on 429, for any method', () => {
		expect(decideRetry({ status: 429, retryAfter: '2', attempt: 0, idempotent: false }, half)).toEqual({
			retry: true,
			delayMs: 2000,
			reason: 'throttled',
		});
	});

	it('backs off on 429 without Retry-After and gives up after the limit', () => {
		const first = decideRetry({ status: 429, attempt: 0, idempotent: true }, half);
		expect(first).toMatchObject({ retry: true, reason: 'throttled' });
		expect(decideRetry({ status: 429, attempt: MAX_THROTTLE_RETRIES, idempotent: true }, half)).toEqual({ retry: false });
	});

	it.each([500, 502, 503, 504])('retries %d for idempotent requests with growing backoff', (status) => {
		const delays = [0, 1, 2].map((attempt) => {
			const decision = decideRetry({ status, attempt, idempotent: true }, half);
			expect(decision).toMatchObject({ retry: true, reason: 'server error' });
			return (decision as { delayMs: number }).delayMs;
		});
		expect(delays[1]).toBeGreaterThan(delays[0]);
		expect(delays[2]).toBeGreaterThan(delays[1]);
		expect(decideRetry({ status, attempt: MAX_TRANSIENT_RETRIES, idempotent: true })).toEqual({ retry: false });
	});

	it('does not repeat a POST that may have been applied, except a 503 with Retry-After', () => {
		expect(decideRetry({ status: 500, attempt: 0, idempotent: false })).toEqual({ retry: false });
		expect(decideRetry({ status: 504, attempt: 0, idempotent: false })).toEqual({ retry: false });
		expect(decideRetry({ status: 503, retryAfter: '1', attempt: 0, idempotent: false })).toMatchObject({
			retry: true,
			delayMs: 1000,
		});
	});

	it.each([400, 401, 403, 404, 409, 422])('never retries %d', (status) => {
		expect(decideRetry({ status, attempt: 0, idempotent: true })).toEqual({ retry: false });
	});

	it('retries connection failures; a POST only when it surely was not sent', () => {
		expect(decideRetry({ networkErrorCode: 'ECONNRESET', attempt: 0, idempotent: true })).toMatchObject({
			retry: true,
			reason: 'network error',
		});
		expect(decideRetry({ networkErrorCode: 'ECONNRESET', attempt: 0, idempotent: false })).toEqual({ retry: false });
		expect(decideRetry({ networkErrorCode: 'ECONNREFUSED', attempt: 0, idempotent: false })).toMatchObject({ retry: true });
		expect(decideRetry({ networkErrorCode: 'CERT_HAS_EXPIRED', attempt: 0, idempotent: true })).toEqual({ retry: false });
	});
});

describe('backoffDelay', () => {
	it('stays within half to full of the exponential ceiling', () => {
		for (let attempt = 0; attempt < 8; attempt++) {
			const ceiling = Math.min(30_000, 500 * 2 ** attempt);
			expect(backoffDelay(attempt, () => 0)).toBe(ceiling / 2);
			expect(backoffDelay(attempt, () => 0.999999)).toBeLessThanOrEqual(ceiling);
		}
	});
});

describe('decideAndCount', () => {
	it('keeps separate allowances: a run of 429s leaves the 5xx retries intact', () => {
		const counts = newRetryCounts();
		for (let throttle = 0; throttle < MAX_THROTTLE_RETRIES - 1; throttle++) {
			expect(decideAndCount(counts, { status: 429, idempotent: true })).toMatchObject({ retry: true, reason: 'throttled' });
		}
		for (let failure = 0; failure < MAX_TRANSIENT_RETRIES; failure++) {
			expect(decideAndCount(counts, { status: 503, idempotent: true })).toMatchObject({ retry: true, reason: 'server error' });
		}
		expect(decideAndCount(counts, { status: 503, idempotent: true })).toEqual({ retry: false });
		expect(decideAndCount(counts, { status: 429, idempotent: true })).toMatchObject({ retry: true });
		expect(decideAndCount(counts, { status: 429, idempotent: true })).toEqual({ retry: false });
	});
});
