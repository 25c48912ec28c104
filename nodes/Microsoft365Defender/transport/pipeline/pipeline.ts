import { descriptorOf } from '../apis';
import type { ApiRequest, Connection, DefenderContext } from '../types';
import { cancellationPolicy } from './cancellationPolicy';
import { errorPolicy } from './errorPolicy';
import { hostCheckPolicy } from './hostCheckPolicy';
import { httpExchange } from './httpExchange';
import { pacingPolicy } from './pacingPolicy';
import type { PipelinePolicy, PipelineRequest, SendNext } from './policy';
import { retryPolicy } from './retryPolicy';
import { tokenPolicy } from './tokenPolicy';

/**
 * The one place an HTTP exchange with Microsoft happens: a request goes through these policies,
 * outermost first, then httpExchange. What differs between APIs comes from their descriptors
 * (apis/), never from here.
 */
const PIPELINE: readonly PipelinePolicy[] = [
	errorPolicy,
	cancellationPolicy,
	hostCheckPolicy,
	retryPolicy,
	pacingPolicy,
	tokenPolicy,
];

const run: SendNext = PIPELINE.reduceRight<SendNext>((next, policy) => async (request) => await policy.send(request, next), httpExchange);

export interface SendOptions {
	/**
	 * Take a rate-budget turn before each attempt (the default). The batcher takes one per
	 * sub-request itself and sends the $batch envelope unpaced.
	 */
	paced?: boolean;
}

/** Sends one request to Microsoft and returns the parsed body of its successful answer. */
export async function send(
	this: DefenderContext,
	connection: Connection,
	request: ApiRequest,
	options: SendOptions = {},
): Promise<unknown> {
	const pipelineRequest: PipelineRequest = {
		context: this,
		connection,
		request,
		descriptor: descriptorOf(request.api),
		paced: options.paced !== false,
		url: '',
	};
	const outcome = await run(pipelineRequest);
	if (outcome.response) request.onResponseHeaders?.(outcome.response.headers);
	return outcome.response?.body;
}
