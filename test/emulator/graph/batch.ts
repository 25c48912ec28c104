import { createContext, dispatch, logRequest, type Dispatcher, type RequestContext, type Router } from '../server';

/** Graph JSON batching: https://learn.microsoft.com/graph/json-batching */
export const MAX_BATCH_REQUESTS = 20;

interface BatchRequest {
	id?: unknown;
	method?: unknown;
	url?: unknown;
	headers?: Record<string, string>;
	body?: unknown;
	dependsOn?: unknown;
}

/**
 * Each request inside a batch goes through the same pipeline as a direct call (authentication
 * with the batch's token, its own throttling count, its handler) and is logged on its own.
 */
export function registerBatchRoute(router: Router, dispatcher: () => Dispatcher): void {
	router.add({
		method: 'POST',
		pattern: '/v1.0/$batch',
		bucket: 'graph',
		countsAgainstLimit: false,
		requiredRoles: [],
		handler: async (context) => {
			const requests = validBatch(context);
			const responses = [];
			for (const request of requests) {
				const started = Date.now();
				const relativeUrl = request.url.replace(/^\/?/, '/');
				const subContext = createContext(context.runtime, dispatcher().profile, {
					method: request.method.toUpperCase(),
					rawPath: `/v1.0${relativeUrl}`,
					baseUrl: context.baseUrl,
					headers: { ...envelopeHeaders(context), ...lowerCaseKeys(request.headers ?? {}) },
					rawBody: request.body === undefined ? '' : JSON.stringify(request.body),
					viaBatch: true,
				});
				const outcome = await dispatch(dispatcher(), subContext, {
					callerAddress: 'batch',
					subRequest: true,
					arrivedAt: context.receivedAt.getTime(),
				});
				const result = outcome === 'reset' ? { status: 500, body: undefined, headers: {} } : outcome.result;
				logRequest(context.runtime, subContext, result.status, started);
				responses.push({
					id: request.id,
					status: result.status,
					headers: { 'Content-Type': 'application/json', ...(result.headers ?? {}) },
					...(result.body !== undefined ? { body: result.body } : {}),
				});
			}
			return { status: 200, body: { responses } };
		},
	});
}

interface ValidBatchRequest {
	id: string;
	method: string;
	url: string;
	headers?: Record<string, string>;
	body?: unknown;
}

function validBatch(context: RequestContext): ValidBatchRequest[] {
	const requests = (context.body as { requests?: BatchRequest[] } | undefined)?.requests;
	if (!Array.isArray(requests) || requests.length === 0) {
		return context.fail(400, 'BadRequest', 'Invalid batch payload format.');
	}
	if (requests.length > MAX_BATCH_REQUESTS) {
		return context.fail(400, 'BadRequest', `Number of batch request steps exceeds the maximum of ${MAX_BATCH_REQUESTS}.`);
	}
	const ids = new Set<string>();
	return requests.map((request) => {
		const { id, method, url } = request;
		if (typeof id !== 'string' || !id || typeof method !== 'string' || typeof url !== 'string') {
			return context.fail(400, 'BadRequest', 'Each batch request needs a string id, method and url.');
		}
		if (ids.has(id)) return context.fail(400, 'BadRequest', `Batch request id '${id}' is not unique.`);
		ids.add(id);
		return { id, method, url, headers: request.headers, body: request.body };
	});
}

function lowerCaseKeys(headers: Record<string, string>): Record<string, string> {
	return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}

/**
 * What a sub-request inherits from the $batch envelope: its authentication and client headers,
 * but not `Prefer`. A sub-request's preferences are in its own `headers`
 * (https://learn.microsoft.com/graph/json-batching: each request carries its own headers), so
 * `Prefer: include-unknown-enum-members` on the envelope does not reach the requests inside it.
 */
function envelopeHeaders(context: RequestContext): RequestContext['headers'] {
	const inherited = { ...context.headers };
	delete inherited.prefer;
	return inherited;
}
