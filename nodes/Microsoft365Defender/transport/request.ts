import {
	NodeApiError,
	sleep,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestMethods,
	type ILoadOptionsFunctions,
	type IPollFunctions,
	type JsonObject,
} from 'n8n-workflow';

import { graphBatcherFor } from './batch';
import {
	apiForUrl,
	endpointFor,
	resolveEndpoints,
	type DefenderApi,
	type DefenderEndpoints,
} from './endpoints';
import { apiError, toNodeError } from './errors';
import { parseResponseBody } from './jsonBody';
import { budgetKey, rateBudgetFor, type RateBudget } from './rateBudget';
import { limitsFor, type BudgetName } from './rateLimits';
import { decideRetry } from './retryPolicy';
import { getAccessToken } from './tokenProvider';

export const CREDENTIAL_TYPE = 'microsoft365DefenderApi';

export type DefenderContext = IExecuteFunctions | ILoadOptionsFunctions | IPollFunctions;

export type QueryValue = string | number | boolean | undefined;

export interface ApiRequest {
	api: DefenderApi;
	method: IHttpRequestMethods;
	/** Path below the API's base URL, built with `apiPath` so ids are encoded. */
	path?: string;
	/** Absolute URL (an @odata.nextLink); must point at the same API. */
	url?: string;
	query?: Record<string, QueryValue>;
	body?: IDataObject | IDataObject[];
	/** Safe to repeat after a server error; defaults to true for every method but POST. */
	idempotent?: boolean;
	/** Per-item Graph calls that may travel in a JSON $batch with other items' calls. */
	batchable?: boolean;
	/** Which of Microsoft's rate limits the call counts against; defaults to the API's. */
	budget?: BudgetName;
	/** Application permission the call needs, named in the error when Microsoft answers 403. */
	permission?: string;
	itemIndex?: number;
}

export interface RawResponse {
	statusCode: number;
	headers: Record<string, string | string[] | undefined>;
	body: unknown;
}

const API_NAMES: Record<DefenderApi, string> = {
	graph: 'Microsoft Graph',
	mde: 'WindowsDefenderATP (Microsoft Defender for Endpoint)',
};

/** OData wants %20, not '+', and keeps `$` in parameter names. */
export function buildQueryString(query: Record<string, QueryValue> = {}): string {
	const parts = Object.entries(query)
		.filter(([, value]) => value !== undefined && value !== '')
		.map(([key, value]) => `${encodeURIComponent(key).replace(/%24/g, '$')}=${encodeURIComponent(String(value))}`);
	return parts.length ? `?${parts.join('&')}` : '';
}

export function headerValue(headers: RawResponse['headers'], name: string): string | undefined {
	const value = headers[name] ?? headers[name.toLowerCase()];
	return Array.isArray(value) ? value[0] : value;
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

function resolveUrl(baseUrl: string, request: ApiRequest, endpoints: DefenderEndpoints): string {
	if (request.url) {
		// A nextLink is followed only to the API it came from: the token must not go elsewhere.
		if (apiForUrl(endpoints, request.url) !== request.api) {
			throw new Error(`Refusing to follow a link outside ${baseUrl}: ${new URL(request.url).origin}`);
		}
		return request.url;
	}
	return `${baseUrl}${request.path ?? ''}${buildQueryString(request.query)}`;
}

export async function defenderApiRequest(this: DefenderContext, request: ApiRequest): Promise<IDataObject> {
	try {
		const connection = await connect.call(this);
		const body =
			request.batchable && request.api === 'graph'
				? await graphBatcherFor(this, connection).submit(request)
				: await sendWithRetries.call(this, connection, request, budgetFor(connection, request));
		return (typeof body === 'object' && body !== null ? body : {}) as IDataObject;
	} catch (error) {
		throw toNodeError(this.getNode(), error, request.itemIndex);
	}
}

export interface Connection {
	credentials: ICredentialDataDecryptedObject;
	endpoints: DefenderEndpoints;
}

const connections = new WeakMap<DefenderContext, Promise<Connection>>();

/**
 * The credential and its endpoints, read once per node execution: in n8n, reading a credential
 * is a database round trip, and items that wait for it one by one would not meet in a $batch.
 */
export async function connect(this: DefenderContext): Promise<Connection> {
	let connection = connections.get(this);
	if (!connection) {
		connection = (async () => {
			const credentials = await this.getCredentials(CREDENTIAL_TYPE);
			return { credentials, endpoints: resolveEndpoints(credentials) };
		})();
		connections.set(this, connection);
		connection.catch(() => connections.delete(this));
	}
	return await connection;
}

export function budgetFor({ credentials }: Connection, request: ApiRequest): RateBudget {
	const budgetName = request.budget ?? request.api;
	const limits = limitsFor(credentials, budgetName);
	return rateBudgetFor(
		budgetKey(String(credentials.tenantId), String(credentials.clientId), budgetName, limits),
		limits,
	);
}

/** Waits for a turn on the budget, logging waits long enough for a user to wonder. */
export async function acquireTurn(this: DefenderContext, budget: RateBudget, request: ApiRequest): Promise<void> {
	await budget.acquire((delayMs) => {
		if (delayMs >= 1000) {
			this.logger.info(
				`Microsoft 365 Defender: waiting ${(delayMs / 1000).toFixed(1)} s to stay within ${API_NAMES[request.api]}'s rate limit (${request.budget ?? request.api})`,
			);
		}
	});
}

export function logRetry(
	this: DefenderContext,
	request: ApiRequest,
	decision: { reason: string; delayMs: number },
	attempt: number,
	status?: number,
): void {
	this.logger.info(
		`Microsoft 365 Defender: ${API_NAMES[request.api]} ${decision.reason}${status ? ` (${status})` : ''}, retrying in ${(decision.delayMs / 1000).toFixed(1)} s (retry ${attempt + 1})`,
	);
}

/**
 * Sends one HTTP request: paced by `budget` (when given), with a token for the request's API,
 * renewing the token once on 401 and retrying as `decideRetry` says.
 */
export async function sendWithRetries(
	this: DefenderContext,
	connection: Connection,
	request: ApiRequest,
	budget: RateBudget | undefined,
): Promise<unknown> {
	const { credentials, endpoints } = connection;
	const { baseUrl } = endpointFor(endpoints, request.api);
	const url = resolveUrl(baseUrl, request, endpoints);
	const idempotent = request.idempotent ?? request.method !== 'POST';

	let tokenRenewed = false;
	let renewToken = false;
	for (let attempt = 0; ; attempt++) {
		if (budget) await acquireTurn.call(this, budget, request);
		const token = await getAccessToken(credentials, request.api, { forceRefresh: renewToken });
		renewToken = false;
		let response: RawResponse | undefined;
		let failure: unknown;
		try {
			response = (await this.helpers.httpRequest({
				method: request.method,
				url,
				headers: {
					Authorization: `Bearer ${token}`,
					Accept: 'application/json',
					...(request.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
				},
				body: request.body,
				// The raw bytes: parseResponseBody decides how to parse them (see jsonBody.ts).
				encoding: 'arraybuffer',
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				timeout: 300_000,
			})) as RawResponse;
			response.body = parseResponseBody(response.body, headerValue(response.headers, 'content-type'));
		} catch (error) {
			failure = error;
		}

		if (response && response.statusCode < 400) return response.body;

		if (response?.statusCode === 401 && !tokenRenewed) {
			tokenRenewed = true;
			renewToken = true;
			continue;
		}
		const decision = decideRetry({
			status: response?.statusCode,
			networkErrorCode: response ? undefined : networkErrorCode(failure),
			retryAfter: response ? headerValue(response.headers, 'retry-after') : undefined,
			attempt,
			idempotent,
		});
		if (!decision.retry) {
			if (response) throw apiErrorFrom.call(this, response, request);
			const code = networkErrorCode(failure) ?? 'NETWORK_ERROR';
			throw apiError(
				this.getNode(),
				{ code, message: `Could not reach ${baseUrl} (${code})` } as JsonObject,
				{
					message: `Could not reach ${API_NAMES[request.api]} at ${baseUrl} (${code})`,
					description: idempotent
						? 'The connection kept failing. Check the network and any proxy between n8n and Microsoft.'
						: 'The connection failed and the request was not repeated, because it may already have been applied. Check the result in the Defender portal before running it again.',
					itemIndex: request.itemIndex,
				},
			);
		}
		logRetry.call(this, request, decision, attempt, response?.statusCode);
		if (decision.reason === 'throttled') {
			// Everybody on this budget waits it out; the next acquireTurn does the waiting.
			(budget ?? budgetFor(connection, request)).pause(decision.delayMs);
			if (!budget) await sleep(decision.delayMs);
		} else {
			await sleep(decision.delayMs);
		}
	}
}

export interface PaginationOptions {
	/** Stop after this many items; undefined for all. */
	limit?: number;
	/** Called after each page, e.g. to report progress. */
	onPage?: (itemsSoFar: number) => void;
}

/** Follows @odata.nextLink until the end or the limit, collecting `value`. */
export async function defenderApiRequestAllItems(
	this: DefenderContext,
	request: ApiRequest,
	options: PaginationOptions = {},
): Promise<IDataObject[]> {
	const items: IDataObject[] = [];
	let next: ApiRequest | undefined = request;
	while (next) {
		const page: IDataObject = await defenderApiRequest.call(this, next);
		const values = Array.isArray(page.value) ? (page.value as IDataObject[]) : [];
		for (const value of values) {
			items.push(value);
			if (options.limit !== undefined && items.length >= options.limit) return items;
		}
		options.onPage?.(items.length);
		const nextLink = page['@odata.nextLink'];
		next =
			typeof nextLink === 'string' && values.length > 0
				? { ...request, path: undefined, query: undefined, url: nextLink }
				: undefined;
	}
	return items;
}
