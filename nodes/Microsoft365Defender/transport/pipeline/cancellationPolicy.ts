import { anySignal, cancelSignalOf, ExecutionCancelledError, throwIfCancelled } from '../cancellation';
import type { ApiRequest, DefenderContext } from '../types';
import type { PipelinePolicy } from './policy';

/** The execution's cancel signal joined with the request's own (a wait's deadline); only its own for clean-up after Stop. */
export function signalFor(context: DefenderContext, request: ApiRequest): AbortSignal | undefined {
	if (request.outlivesExecution) return request.signal;
	return anySignal(cancelSignalOf(context), request.signal);
}

/**
 * Nothing is sent after the execution is stopped: the policies below end their waits on the
 * signal set here, the exchange aborts the request in flight, and a request aborted in flight
 * says it may have reached Microsoft already.
 */
export const cancellationPolicy: PipelinePolicy = {
	name: 'cancellation',
	async send(request, next) {
		request.signal = signalFor(request.context, request.request);
		throwIfCancelled(request.signal);
		const outcome = await next(request);
		if (!outcome.response && request.signal?.aborted) {
			throw new ExecutionCancelledError(
				`The execution was stopped while a ${request.request.method} request to ${request.descriptor.displayName} was in flight; it was aborted, but it may already have reached Microsoft.`,
			);
		}
		return outcome;
	},
};
