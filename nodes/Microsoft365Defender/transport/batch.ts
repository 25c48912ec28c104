import type { IDataObject } from 'n8n-workflow';

import { cancellationOf, sleepUnlessCancelled } from './cancellation';
import type { BudgetTurn } from './pacing/rateBudget';
import { decideAndCount, newRetryCounts, type RetryCounts } from './pipeline/retryStrategy';
import { acquireTurn, apiErrorFrom, budgetFor, GRAPH_PREFER, logRetry, send, signalFor } from './pipeline/pipeline';
import {
	headerValue,
	isIdempotent,
	type ApiRequest,
	type Connection,
	type DefenderContext,
	type RawResponse,
} from './types';
import { buildQueryString, resolveRequestUrl } from './url';

/** Microsoft Graph's JSON batching takes at most 20 requests per call. */
export const MAX_BATCH_SIZE = 20;
const GRAPH_VERSION_PREFIX = '/v1.0';

interface PendingRequest {
	request: ApiRequest;
	retries: RetryCounts;
	signal?: AbortSignal;
	/** Its place on the rate budget, freed when it settles or is sent again. */
	turn: BudgetTurn;
	resolve: (body: unknown) => void;
	reject: (error: unknown) => void;
}

interface BatchSubResponse {
	id: string;
	status: number;
	headers?: Record<string, string>;
	body?: unknown;
}

/**
 * Collects the per-item Graph calls that items running at the same time make, and sends them
 * together in JSON $batch calls. Every sub-request is paced on the rate budget on its own, as
 * Microsoft counts them; a failed sub-request fails only its item, and a throttled one is sent
 * again in a later batch once its Retry-After has passed.
 */
class GraphBatcher {
	private waiting: PendingRequest[] = [];
	private flushScheduled = false;

	constructor(
		private readonly context: DefenderContext,
		private readonly connection: Connection,
	) {}

	async submit(request: ApiRequest): Promise<unknown> {
		const signal = signalFor(this.context, request);
		// Checked here, as a single send would, so a bad path fails its item and not the batch.
		resolveRequestUrl(this.connection.endpoints, request);
		const turn = await acquireTurn.call(this.context, await budgetFor(this.connection, request, signal), request, signal);
		return await new Promise((resolve, reject) => {
			const pending: PendingRequest = {
				request,
				retries: newRetryCounts(),
				signal,
				turn,
				resolve: (body) => {
					pending.turn.done();
					resolve(body);
				},
				reject: (error) => {
					pending.turn.done();
					reject(error);
				},
			};
			this.enqueue(pending);
		});
	}

	private enqueue(pending: PendingRequest): void {
		this.waiting.push(pending);
		if (this.waiting.length >= MAX_BATCH_SIZE) {
			void this.flush();
		} else if (!this.flushScheduled) {
			this.flushScheduled = true;
			// Items that run together reach this point within the same turn of the event loop.
			setImmediate(() => {
				this.flushScheduled = false;
				void this.flush();
			});
		}
	}

	private async flush(): Promise<void> {
		const batch = this.waiting.splice(0, MAX_BATCH_SIZE).filter((pending) => {
			// Stopped while waiting for its batch: it is not sent.
			if (pending.signal?.aborted) pending.reject(cancellationOf(pending.signal));
			return !pending.signal?.aborted;
		});
		if (batch.length === 0) return;
		if (batch.length === 1) {
			const [only] = batch;
			await send.call(this.context, this.connection, only.request, { paced: false }).then(only.resolve, only.reject);
			return;
		}
		let responses: BatchSubResponse[];
		try {
			const body = (await send.call(
				this.context,
				this.connection,
				{
					api: 'graph',
					method: 'POST',
					path: `${GRAPH_VERSION_PREFIX}/$batch`,
					body: { requests: batch.map((pending, index) => subRequest(pending.request, index)) },
					idempotent: batch.every(({ request }) => isIdempotent(request)),
				},
				{ paced: false },
			)) as { responses?: BatchSubResponse[] };
			responses = Array.isArray(body?.responses) ? body.responses : [];
		} catch (error) {
			for (const pending of batch) pending.reject(error);
			return;
		}
		batch.forEach((pending, index) => {
			const response = responses.find((candidate) => String(candidate.id) === String(index));
			if (!response) {
				pending.reject(new Error('Microsoft Graph returned no response for this request in its batch.'));
				return;
			}
			this.settle(pending, response);
		});
	}

	private settle(pending: PendingRequest, response: BatchSubResponse): void {
		if (response.status < 400) {
			pending.resolve(response.body ?? {});
			return;
		}
		const headers = response.headers ?? {};
		const decision = decideAndCount(pending.retries, {
			status: response.status,
			retryAfter: headerValue(headers, 'Retry-After') ?? headerValue(headers, 'retry-after'),
			idempotent: isIdempotent(pending.request),
		});
		if (!decision.retry) {
			const raw: RawResponse = { statusCode: response.status, headers, body: response.body };
			pending.reject(apiErrorFrom.call(this.context, raw, pending.request));
			return;
		}
		logRetry.call(this.context, pending.request, decision, response.status);
		// A 429 pauses the budget and teaches it the tenant's rate; the next turn waits it out.
		pending.turn.done(decision.reason === 'throttled' ? { throttledForMs: decision.delayMs } : {});
		void (async () => {
			if (decision.reason !== 'throttled') await sleepUnlessCancelled(decision.delayMs, pending.signal);
			const budget = await budgetFor(this.connection, pending.request, pending.signal);
			pending.turn = await acquireTurn.call(this.context, budget, pending.request, pending.signal);
			this.enqueue(pending);
		})().catch(pending.reject);
	}
}

function subRequest(request: ApiRequest, index: number): IDataObject {
	const path = (request.path ?? '').replace(/^\/v1\.0/, '');
	return {
		id: String(index),
		method: request.method,
		url: `${path}${buildQueryString(request.query)}`,
		// A sub-request does not take the envelope's headers: it carries its own Prefer.
		headers: { ...GRAPH_PREFER, ...(request.body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
		...(request.body !== undefined ? { body: request.body as IDataObject } : {}),
	};
}

const batchers = new WeakMap<Connection, GraphBatcher>();

/** One batcher per node execution and tenant (a connection is both): its items share it. */
export function graphBatcherFor(context: DefenderContext, connection: Connection): GraphBatcher {
	let batcher = batchers.get(connection);
	if (!batcher) {
		batcher = new GraphBatcher(context, connection);
		batchers.set(connection, batcher);
	}
	return batcher;
}
