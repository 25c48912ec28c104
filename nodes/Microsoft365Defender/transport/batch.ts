import type { IDataObject } from 'n8n-workflow';

import { descriptorOf } from './apis';
import type { ApiDescriptor } from './apis/descriptor';
import { cancellationOf, sleepUnlessCancelled } from './cancellation';
import type { BudgetTurn } from './pacing/rateBudget';
import { signalFor } from './pipeline/cancellationPolicy';
import { apiErrorFrom } from './pipeline/errorPolicy';
import { acquireTurn, budgetFor } from './pipeline/pacingPolicy';
import { send } from './pipeline/pipeline';
import { logRetry } from './pipeline/retryPolicy';
import { decideAndCount, newRetryCounts, type RetryCounts } from './pipeline/retryStrategy';
import {
	headerValue,
	isIdempotent,
	type ApiRequest,
	type Connection,
	type DefenderContext,
	type RawResponse,
} from './types';
import { buildQueryString, resolveRequestUrl } from './url';


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

type BatchRules = NonNullable<ApiDescriptor['batch']>;

/**
 * Collects the per-item calls that items running at the same time make to an API that batches
 * (Graph: JSON $batch, as its descriptor says), and sends them together. Every sub-request is paced on the rate budget on its own, as
 * Microsoft counts them; a failed sub-request fails only its item, and a throttled one is sent
 * again in a later batch once its Retry-After has passed.
 */
class Batcher {
	private waiting: PendingRequest[] = [];
	private flushScheduled = false;

	constructor(
		private readonly context: DefenderContext,
		private readonly connection: Connection,
		private readonly api: ApiRequest['api'],
		private readonly descriptor: ApiDescriptor,
		private readonly rules: BatchRules,
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
		if (this.waiting.length >= this.rules.maxSize) {
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
		const batch = this.waiting.splice(0, this.rules.maxSize).filter((pending) => {
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
					api: this.api,
					method: 'POST',
					path: this.rules.path,
					body: { requests: batch.map((pending, index) => this.subRequest(pending.request, index)) },
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
				pending.reject(new Error(`${this.descriptor.displayName} returned no response for this request in its batch.`));
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

	private subRequest(request: ApiRequest, index: number): IDataObject {
		const path = request.path ?? '';
		const relative = path.startsWith(this.rules.versionPrefix) ? path.slice(this.rules.versionPrefix.length) : path;
		return {
			id: String(index),
			method: request.method,
			url: `${relative}${buildQueryString(request.query)}`,
			// A sub-request does not take the envelope's headers: it carries the API's own (Graph's Prefer).
			headers: { ...this.descriptor.headers, ...(request.body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
			...(request.body !== undefined ? { body: request.body as IDataObject } : {}),
		};
	}
}

const batchers = new WeakMap<Connection, Map<ApiRequest['api'], Batcher>>();

/**
 * One batcher per node execution and tenant (a connection is both): its items share it. Only
 * an API whose descriptor batches has one (Graph v1.0).
 */
export function batcherFor(context: DefenderContext, connection: Connection, api: ApiRequest['api']): Batcher | undefined {
	const descriptor = descriptorOf(api);
	if (!descriptor.batch) return undefined;
	let perApi = batchers.get(connection);
	if (!perApi) {
		perApi = new Map();
		batchers.set(connection, perApi);
	}
	let batcher = perApi.get(api);
	if (!batcher) {
		batcher = new Batcher(context, connection, api, descriptor, descriptor.batch);
		perApi.set(api, batcher);
	}
	return batcher;
}
