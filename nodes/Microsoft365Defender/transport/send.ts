import type { IDataObject, JsonObject, NodeApiError } from 'n8n-workflow';

import { processCache } from '../runtime';
import {
	anySignal,
	cancelSignalOf,
	ExecutionCancelledError,
	sleepUnlessCancelled,
	throwIfCancelled,
	unlessCancelled,
} from './cancellation';
import { apiForUrl, endpointFor } from './endpoints';
import { apiError } from './errors';
import { parseResponseBody } from './jsonBody';
import { budgetKey, rateBudgetFor, type BudgetTurn, type RateBudget } from './rateBudget';
import { budgetForRoute, policyFor, type BudgetName } from './rateLimits';
import { decideAndCount, newRetryCounts, type RetryDecision } from './retryPolicy';
import { applicationIdOf, getAccessToken, tenantIdOfToken } from './tokenProvider';
import {
	API_NAMES,
	headerValue,
	isIdempotent,
	type ApiRequest,
	type Connection,
	type DefenderContext,
	type RawResponse,
} from './types';
import { resolveRequestUrl } from './url';

/**
 * The one place an HTTP exchange with Microsoft happens, under one policy: the execution's
 * cancel signal ends every wait and aborts the request in flight, redirects are never followed
 * to a host outside the credential's API (so the token stays there), the rate budget is taken
 * before each attempt, a 401 renews the token once, and 429 / 5xx / network failures are
 * retried as the retry policy says, each kind with its own count.
 */

const MAX_SAME_API_REDIRECTS = 3;

/**
 * Graph's security enums are evolvable: members Microsoft lists after `unknownFutureValue`
 * (incident status awaitingAction, alert serviceSource microsoftDefenderForCloud and the newer
 * detectionSource members) are returned as `unknownFutureValue`, and refused in $filter and
 * bodies, unless the request opts in with this header. Graph ignores it where no enum is evolvable.
 * https://learn.microsoft.com/graph/best-practices-concept#handling-future-members-in-evolvable-enumerations
 * A $batch sub-request needs it in its own headers (batch.ts).
 */
export const GRAPH_PREFER: Readonly<Record<string, string>> = { Prefer: 'include-unknown-enum-members' };
const REQUEST_TIMEOUT_MS = 300_000;

export interface SendOptions {
	/**
	 * Take a rate-budget turn before each attempt (the default). The batcher takes one per
	 * sub-request itself and sends the $batch envelope unpaced.
	 */
	paced?: boolean;
}

function networkErrorCode(error: unknown): string | undefined {
	const candidate = error as { code?: string; cause?: { code?: string } };
	return candidate?.code ?? candidate?.cause?.code;
}

function hintFor(status: number, request: ApiRequest, microsoftCode?: string): string | undefined {
	if (status === 403) {
		const permission = request.permission ? ` "${request.permission}"` : '';
		return `The app registration lacks the application permission${permission} for ${API_NAMES[request.api]}. Add it under API permissions (Application permissions, not Delegated), then click "Grant admin consent".`;
	}
	if (status === 401) {
		return 'The API rejected the access token. Check the credential\'s Environment matches the tenant\'s cloud.';
	}
	if (status === 404) return 'Nothing was found at that id. Check the id and that it belongs to this tenant.';
	if (status === 429) {
		return 'Microsoft kept throttling this app after several waits. Lower the number of items per run or run the workflow less often.';
	}
	if (status === 400 && microsoftCode) return 'Microsoft rejected the request. The message above says which value is wrong.';
	return undefined;
}

export function apiErrorFrom(this: DefenderContext, response: RawResponse, request: ApiRequest): NodeApiError {
	const body = (typeof response.body === 'object' && response.body !== null ? response.body : {}) as IDataObject;
	const error = (body.error ?? {}) as IDataObject;
	const code = typeof error.code === 'string' ? error.code : `HTTP ${response.statusCode}`;
	const message =
		typeof error.message === 'string' && error.message
			? error.message
			: typeof response.body === 'string' && response.body
				? response.body.slice(0, 500)
				: `Request failed with status ${response.statusCode}`;
	return apiError(
		this.getNode(),
		{ code, message, ...(error.target ? { target: error.target } : {}) } as JsonObject,
		{
			message: `${code}: ${message}`,
			description: hintFor(response.statusCode, request, code),
			httpCode: String(response.statusCode),
			itemIndex: request.itemIndex,
		},
	);
}

function redirectError(this: DefenderContext, response: RawResponse, request: ApiRequest, target: string): NodeApiError {
	let shown = target;
	try {
		const url = new URL(target);
		// The query of a redirect may carry a signature; the origin and path say where it points.
		shown = `${url.origin}${url.pathname}`;
	} catch {
		// An unparsable Location is shown as given.
	}
	return apiError(
		this.getNode(),
		{ code: 'Redirect', message: `Redirect to ${shown}` } as JsonObject,
		{
			message: `${API_NAMES[request.api]} answered ${response.statusCode} with a redirect to ${shown}; it was not followed, so the access token was not sent there.`,
			description:
				'The node only sends its token to the credential\'s API hosts. A proxy or gateway between n8n and Microsoft that redirects requests (for example to a sign-in page) must let them through; with Custom Endpoints, check the URLs in the credential.',
			httpCode: String(response.statusCode),
			itemIndex: request.itemIndex,
		},
	);
}

const canonicalTenants = processCache<string>('canonicalTenants');
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Microsoft counts limits per tenant: a tenant configured by its domain is resolved to the
 * GUID Entra ID puts in the token, so two credentials naming one tenant two ways share a budget.
 */
async function canonicalTenantId(connection: Connection, request: ApiRequest, signal?: AbortSignal): Promise<string> {
	const configured = String(connection.credentials.tenantId ?? '').trim().toLowerCase();
	if (GUID.test(configured)) return configured;
	const key = `${connection.endpoints.loginHost}|${configured}`;
	const known = canonicalTenants.get(key);
	if (known) return known;
	const token = await unlessCancelled(getAccessToken(connection.credentials, request.api), signal);
	const tenantId = tenantIdOfToken(token) ?? configured;
	canonicalTenants.set(key, tenantId);
	return tenantId;
}

export async function budgetFor(connection: Connection, request: ApiRequest, signal?: AbortSignal): Promise<RateBudget> {
	const budgetName = budgetNameOf(request);
	const policy = policyFor(connection.credentials, budgetName);
	const tenantId = await canonicalTenantId(connection, request, signal);
	return rateBudgetFor(budgetKey(tenantId, applicationIdOf(connection.credentials), budgetName, policy.limits), policy);
}

/** Which of Microsoft's limits a call counts against: its route's own, or its API's. */
function budgetNameOf(request: ApiRequest): BudgetName {
	return budgetForRoute(request.api, request.url ? new URL(request.url).pathname : (request.path ?? ''));
}

/** The execution's cancel signal joined with the request's own (a wait's deadline). */
export function signalFor(context: DefenderContext, request: ApiRequest): AbortSignal | undefined {
	return anySignal(cancelSignalOf(context), request.signal);
}

/** Waits for a turn on the budget, logging waits long enough for a user to wonder. */
export async function acquireTurn(
	this: DefenderContext,
	budget: RateBudget,
	request: ApiRequest,
	signal: AbortSignal | undefined,
): Promise<BudgetTurn> {
	return await budget.acquire({
		signal,
		onWait: (delayMs) => {
			if (delayMs >= 1000) {
				this.logger.info(
					`Microsoft 365 Defender: waiting ${(delayMs / 1000).toFixed(1)} s to stay within ${API_NAMES[request.api]}'s rate limit (${budgetNameOf(request)})`,
				);
			}
		},
	});
}

export function logRetry(this: DefenderContext, request: ApiRequest, decision: RetryDecision, status?: number): void {
	if (!decision.retry) return;
	this.logger.info(
		`Microsoft 365 Defender: ${API_NAMES[request.api]} ${decision.reason}${status ? ` (${status})` : ''}, retrying in ${(decision.delayMs / 1000).toFixed(1)} s`,
	);
}

function redirectTarget(location: string | undefined, from: string): string | undefined {
	if (!location) return undefined;
	try {
		return new URL(location, from).toString();
	} catch {
		return undefined;
	}
}

function isRedirect(status: number): boolean {
	return status >= 300 && status < 400 && status !== 304;
}

async function exchange(
	this: DefenderContext,
	url: string,
	request: ApiRequest,
	token: string,
	signal: AbortSignal | undefined,
): Promise<{ response?: RawResponse; failure?: unknown }> {
	try {
		const response = (await this.helpers.httpRequest({
			method: request.method,
			url,
			headers: {
				Authorization: `Bearer ${token}`,
				Accept: 'application/json',
				...(request.api === 'graph' ? GRAPH_PREFER : {}),
				...(request.rawBody ? { 'Content-Type': request.rawBody.contentType } : request.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
			},
			body: request.rawBody?.data ?? request.body,
			// The raw bytes: parseResponseBody decides how to parse them (see jsonBody.ts).
			encoding: 'arraybuffer',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			// A redirect is looked at here, before any token goes to its target.
			disableFollowRedirect: true,
			sendCredentialsOnCrossOriginRedirect: false,
			abortSignal: signal,
			timeout: REQUEST_TIMEOUT_MS,
		})) as RawResponse;
		response.body = parseResponseBody(response.body, headerValue(response.headers, 'content-type'));
		return { response };
	} catch (failure) {
		return { failure };
	}
}

/** Sends one request to Microsoft and returns the parsed body of its successful answer. */
export async function send(
	this: DefenderContext,
	connection: Connection,
	request: ApiRequest,
	options: SendOptions = {},
): Promise<unknown> {
	const { credentials, endpoints } = connection;
	const signal = signalFor(this, request);
	throwIfCancelled(signal);
	let url = resolveRequestUrl(endpoints, request);
	const paced = options.paced !== false;
	const idempotent = isIdempotent(request);
	const budget = await budgetFor(connection, request, signal);
	const retries = newRetryCounts();
	let tokenRenewed = false;
	let renewToken = false;
	let redirects = 0;
	let repeated = false;

	for (;;) {
		const turn = paced ? await acquireTurn.call(this, budget, request, signal) : undefined;
		let throttledForMs: number | undefined;
		let sleepMs = 0;
		try {
			const token = await unlessCancelled(getAccessToken(credentials, request.api, { forceRefresh: renewToken }), signal);
			renewToken = false;
			throwIfCancelled(signal);
			const { response, failure } = await exchange.call(this, url, request, token, signal);
			if (!response && signal?.aborted) {
				throw new ExecutionCancelledError(
					`The execution was stopped while a ${request.method} request to ${API_NAMES[request.api]} was in flight; it was aborted, but it may already have reached Microsoft.`,
				);
			}

			if (response && isRedirect(response.statusCode)) {
				const target = redirectTarget(headerValue(response.headers, 'location'), url);
				if (target === undefined || apiForUrl(endpoints, target) !== request.api || request.method !== 'GET' || redirects >= MAX_SAME_API_REDIRECTS) {
					throw redirectError.call(this, response, request, target ?? '(no valid Location header)');
				}
				redirects++;
				url = target;
				continue;
			}
			if (response && response.statusCode < 400) {
				request.onResponseHeaders?.(response.headers);
				return response.body;
			}
			// A repeated DELETE that finds nothing: the first attempt was applied before it failed.
			if (response?.statusCode === 404 && repeated && request.method === 'DELETE') return {};

			if (response?.statusCode === 401 && !tokenRenewed) {
				tokenRenewed = true;
				renewToken = true;
				continue;
			}
			const decision = decideAndCount(retries, {
				status: response?.statusCode,
				networkErrorCode: response ? undefined : networkErrorCode(failure),
				retryAfter: response ? headerValue(response.headers, 'retry-after') : undefined,
				idempotent,
			});
			if (response?.statusCode === 429) {
				// Everybody on this budget waits it out (the turn's outcome pauses it and teaches it the rate).
				throttledForMs = decision.retry ? decision.delayMs : 0;
				if (!turn) budget.pause(throttledForMs);
			}
			if (!decision.retry) {
				if (response) throw apiErrorFrom.call(this, response, request);
				throw unreachable.call(this, request, endpointFor(endpoints, request.api).baseUrl, failure, idempotent);
			}
			logRetry.call(this, request, decision, response?.statusCode);
			repeated = true;
			// A paced request's next turn does the waiting after a 429.
			sleepMs = decision.reason === 'throttled' && paced ? 0 : decision.delayMs;
		} finally {
			turn?.done({ throttledForMs });
		}
		await sleepUnlessCancelled(sleepMs, signal);
	}
}

function unreachable(this: DefenderContext, request: ApiRequest, baseUrl: string, failure: unknown, idempotent: boolean): NodeApiError {
	const code = networkErrorCode(failure) ?? 'NETWORK_ERROR';
	return apiError(this.getNode(), { code, message: `Could not reach ${baseUrl} (${code})` } as JsonObject, {
		message: `Could not reach ${API_NAMES[request.api]} at ${baseUrl} (${code})`,
		description: idempotent
			? 'The connection kept failing. Check the network and any proxy between n8n and Microsoft.'
			: 'The connection failed and the request was not repeated, because it may already have been applied. Check the result in the Defender portal before running it again.',
		itemIndex: request.itemIndex,
	});
}
