import { descriptorOf } from '../apis';
import { sleepUnlessCancelled } from '../cancellation';
import { headerValue, isIdempotent, type ApiRequest, type DefenderContext } from '../types';
import { networkErrorCode } from './errorPolicy';
import type { Outcome, PipelinePolicy, PipelineRequest } from './policy';
import { decideAndCount, newRetryCounts, type RetryCounts, type RetryDecision } from './retryStrategy';

/**
 * Sends again what may be sent again: after a 429 (the pacing policy's next turn waits it out),
 * a 5xx or a network failure as retryStrategy.ts decides, each kind with its own count; after a
 * 401, once, with a new token. A DELETE repeated after a failure that finds nothing was applied
 * by the first attempt.
 */

interface RetryState {
	counts: RetryCounts;
	decisions: WeakMap<Outcome, RetryDecision>;
	tokenRenewed: boolean;
	repeated: boolean;
}

const states = new WeakMap<PipelineRequest, RetryState>();

function stateOf(request: PipelineRequest): RetryState {
	let state = states.get(request);
	if (!state) {
		state = { counts: newRetryCounts(), decisions: new WeakMap(), tokenRenewed: false, repeated: false };
		states.set(request, state);
	}
	return state;
}

/** Whether and when an outcome is tried again; decided once per outcome (the pacing policy asks too, after a 429). */
export function retryDecisionFor(request: PipelineRequest, outcome: Outcome): RetryDecision {
	const state = stateOf(request);
	let decision = state.decisions.get(outcome);
	if (!decision) {
		const { response, failure } = outcome;
		decision = decideAndCount(state.counts, {
			status: response?.statusCode,
			networkErrorCode: response ? undefined : networkErrorCode(failure),
			retryAfter: response ? headerValue(response.headers, 'retry-after') : undefined,
			idempotent: isIdempotent(request.request),
		});
		state.decisions.set(outcome, decision);
	}
	return decision;
}

export function logRetry(this: DefenderContext, request: ApiRequest, decision: RetryDecision, status?: number): void {
	if (!decision.retry) return;
	this.logger.info(
		`Microsoft 365 Defender: ${descriptorOf(request.api).displayName} ${decision.reason}${status ? ` (${status})` : ''}, retrying in ${(decision.delayMs / 1000).toFixed(1)} s`,
	);
}

export const retryPolicy: PipelinePolicy = {
	name: 'retry',
	async send(request, next) {
		const state = stateOf(request);
		for (;;) {
			const outcome = await next(request);
			const { response } = outcome;
			if (response && response.statusCode < 400) return outcome;
			if (response?.statusCode === 404 && state.repeated && request.request.method === 'DELETE') {
				return { response: { ...response, statusCode: 204, body: {} } };
			}
			// After the stop, a failed exchange is the stop's doing (cancellation policy).
			if (!response && request.signal?.aborted) return outcome;
			if (response?.statusCode === 401 && !state.tokenRenewed) {
				state.tokenRenewed = true;
				request.renewToken = true;
				continue;
			}
			const decision = retryDecisionFor(request, outcome);
			if (!decision.retry) return outcome;
			logRetry.call(request.context, request.request, decision, response?.statusCode);
			state.repeated = true;
			// A paced request's next turn does the waiting after a 429.
			await sleepUnlessCancelled(decision.reason === 'throttled' && request.paced ? 0 : decision.delayMs, request.signal);
		}
	},
};
