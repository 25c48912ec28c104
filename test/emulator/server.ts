import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { ErrorResponse } from './errors';
import { HttpResponseError } from './errors';
import type { AccessTokenClaims } from './auth/bearer';
import type { ApplyThenFailMode } from './limits';
import type { ApiName, EmulatorRuntime, LimitBucket, LoggedRequest } from './runtime';

export interface HandlerResult {
	status: number;
	body?: unknown;
	headers?: Record<string, string>;
}

export interface RequestContext {
	runtime: EmulatorRuntime;
	api: ApiName;
	bucket?: LimitBucket;
	method: string;
	url: URL;
	/** Path plus query exactly as received. */
	rawPath: string;
	params: Record<string, string>;
	query: URLSearchParams;
	headers: IncomingHttpHeaders;
	rawBody: string;
	/** Parsed JSON body (undefined when empty); form bodies are left to the handler. */
	body: unknown;
	requestId: string;
	clientRequestId?: string;
	receivedAt: Date;
	/** This server's public base URL, e.g. https://localhost:9441 */
	baseUrl: string;
	principal?: AccessTokenClaims;
	/** Handlers and layers annotate the request log entry through this. */
	logInfo: Partial<Pick<LoggedRequest, 'audience' | 'clientId' | 'tenantId' | 'early' | 'throttled' | 'route' | 'viaBatch'>>;
	/** Throws an error in this API's wire shape. */
	fail(status: number, code: string, message: string, headers?: Record<string, string>): never;
}

export type RouteHandler = (context: RequestContext) => HandlerResult | Promise<HandlerResult>;

export interface Route {
	method: string;
	/** Overrides the server's API name in the request log (admin routes on the login server). */
	api?: ApiName;
	/** Segments starting with ':' are parameters; literal segments match case-insensitively. */
	pattern: string;
	bucket?: LimitBucket;
	/** Any one of these roles admits the caller; undefined = no bearer token needed. */
	requiredRoles?: readonly string[];
	/** False for a route that carries other requests (Graph $batch): those are counted instead. */
	countsAgainstLimit?: boolean;
	/** The trailing slash must be present exactly when the pattern has one (Cloud Apps pages print it per route). */
	exactTrailingSlash?: boolean;
	handler: RouteHandler;
}

export class Router {
	private readonly routes: Array<Route & { segments: string[] }> = [];

	add(route: Route): this {
		this.routes.push({ ...route, segments: splitPath(route.pattern) });
		return this;
	}

	list(): Route[] {
		return [...this.routes];
	}

	match(method: string, pathname: string): { route: Route; params: Record<string, string> } | { methodMismatch: true } | null {
		const segments = splitPath(pathname);
		let pathMatched = false;
		for (const route of this.routes) {
			if (route.exactTrailingSlash && route.pattern.endsWith('/') !== pathname.endsWith('/')) continue;
			const params = matchSegments(route.segments, segments);
			if (!params) continue;
			pathMatched = true;
			if (route.method === method) return { route, params };
		}
		return pathMatched ? { methodMismatch: true } : null;
	}
}

function splitPath(path: string): string[] {
	return path.split('/').filter((segment) => segment.length > 0);
}

function matchSegments(pattern: string[], actual: string[]): Record<string, string> | null {
	if (pattern.length !== actual.length) return null;
	const params: Record<string, string> = {};
	for (let index = 0; index < pattern.length; index++) {
		const expected = pattern[index];
		let value: string;
		try {
			value = decodeURIComponent(actual[index]);
		} catch {
			return null;
		}
		if (expected.startsWith(':')) params[expected.slice(1)] = value;
		else if (expected.toLowerCase() !== value.toLowerCase()) return null;
	}
	return params;
}

/** How one API differs: error shape, body format, auth layer, throttling identity. */
export interface ApiProfile {
	api: ApiName;
	defaultBucket?: LimitBucket;
	bodyFormat: 'json' | 'form';
	error(context: RequestContext, status: number, code: string, message: string): ErrorResponse;
	notFound(context: RequestContext): ErrorResponse;
	methodNotAllowed(context: RequestContext): ErrorResponse;
	invalidJson?(context: RequestContext): ErrorResponse;
	authenticate?(context: RequestContext, requiredRoles: readonly string[]): void;
	throttled(context: RequestContext, retryAfterSeconds: number): ErrorResponse;
	faultResponse(context: RequestContext, status: number): ErrorResponse;
	/** Per app + tenant identity for budgets; undefined = the remote address. */
	callerKey?(context: RequestContext): string | undefined;
	/** Extra headers on every response (request-id etc.). */
	responseHeaders?(context: RequestContext): Record<string, string>;
	contentType: string;
}

export interface RunningServer {
	server: Server;
	port: number;
	close(): Promise<void>;
}

function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

function readBody(request: IncomingMessage): Promise<string> {
	return new Promise((resolve, reject) => {
		let text = '';
		request.setEncoding('utf8');
		request.on('data', (chunk: string) => {
			text += chunk;
		});
		request.on('end', () => resolve(text));
		request.on('error', reject);
	});
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
	const value = headers[name];
	return Array.isArray(value) ? value[0] : value;
}

export interface ServerOptions {
	runtime: EmulatorRuntime;
	profile: ApiProfile;
	router: Router;
	tls: { keyPem: string; certPem: string };
	port: number;
	/** Public base URL is only known after listen when port 0 is used. */
	baseUrl: () => string;
}

export interface ContextInput {
	method: string;
	rawPath: string;
	baseUrl: string;
	headers: IncomingHttpHeaders;
	rawBody: string;
	/** Set for the requests inside a Graph JSON $batch. */
	viaBatch?: boolean;
}

export function createContext(runtime: EmulatorRuntime, profile: ApiProfile, input: ContextInput): RequestContext {
	const url = new URL(input.rawPath, input.baseUrl);
	const context: RequestContext = {
		runtime,
		api: profile.api,
		method: input.method,
		url,
		rawPath: input.rawPath,
		params: {},
		query: url.searchParams,
		headers: input.headers,
		rawBody: input.rawBody,
		body: undefined,
		requestId: randomUUID(),
		clientRequestId: headerValue(input.headers, 'client-request-id') ?? url.searchParams.get('client-request-id') ?? undefined,
		receivedAt: runtime.clock.now(),
		baseUrl: input.baseUrl,
		logInfo: input.viaBatch ? { viaBatch: true } : {},
		fail(status, code, message, headers) {
			const failure = profile.error(context, status, code, message);
			throw new HttpResponseError({ ...failure, headers: { ...failure.headers, ...headers } });
		},
	};
	return context;
}

export interface Dispatcher {
	runtime: EmulatorRuntime;
	profile: ApiProfile;
	router: Router;
}

/**
 * The pipeline every request goes through, HTTP or inside a $batch: routing, injected latency
 * and faults, body parsing, authentication, throttling, then the handler (whose answer an
 * apply-then-fail fault replaces). Sub-requests of a $batch get no latency or faults.
 */
export async function dispatch(
	{ runtime, profile, router }: Dispatcher,
	context: RequestContext,
	options: { callerAddress: string; subRequest?: boolean; arrivedAt?: number },
): Promise<DispatchOutcome | 'reset'> {
	let fault: LoggedRequest['fault'];
	let result: HandlerResult;
	let applyThenFail: ApplyThenFailMode | null = null;
	try {
		const match = router.match(context.method, context.url.pathname);
		if (match === null) throw new HttpResponseError(profile.notFound(context));
		if ('methodMismatch' in match) throw new HttpResponseError(profile.methodNotAllowed(context));
		context.params = match.params;
		if (match.route.api) context.api = match.route.api;
		context.logInfo.route = `${match.route.method} ${match.route.pattern}`;
		context.bucket = match.route.bucket ?? profile.defaultBucket;

		if (context.bucket && !options.subRequest) {
			const delay = runtime.settings.latencyMs + runtime.faults.latencyMs(context.bucket);
			if (delay > 0) await sleep(delay);
			const injected = runtime.faults.take(context.bucket);
			if (injected?.kind === 'reset') return 'reset';
			if (injected?.kind === 'status') {
				fault = 'status';
				throw new HttpResponseError(profile.faultResponse(context, injected.status));
			}
			if (injected?.kind === 'redirect') {
				// Before auth and throttling: a redirecting front end answers whoever asks, token or not.
				fault = 'redirect';
				return { result: { status: injected.status, headers: { Location: injected.location } }, fault };
			}
			// Taken here, not after the handler, so "the next n requests" counts the same way as failNext.
			applyThenFail = runtime.faults.takeApplyThenFail(context.bucket);
		}

		if (options.subRequest) {
			context.body = context.rawBody ? JSON.parse(context.rawBody) : undefined;
		} else if (profile.bodyFormat === 'json' && context.rawBody.trim().length > 0 && !/^multipart\/form-data/i.test(headerValue(context.headers, 'content-type') ?? '')) {
			// A multipart upload (the live response library) is parsed by its handler.
			try {
				context.body = JSON.parse(context.rawBody);
			} catch {
				throw new HttpResponseError(
					profile.invalidJson?.(context) ?? profile.error(context, 400, 'BadRequest', 'Request body is not valid JSON.'),
				);
			}
		}

		if (match.route.requiredRoles && profile.authenticate) profile.authenticate(context, match.route.requiredRoles);

		if (context.bucket && match.route.countsAgainstLimit !== false) {
			const callerKey = profile.callerKey?.(context) ?? options.callerAddress;
			const decision = runtime.throttle.check(context.bucket, callerKey, options.arrivedAt);
			if (decision.early) context.logInfo.early = true;
			if (decision.throttled) {
				context.logInfo.throttled = true;
				const throttledResponse = profile.throttled(context, decision.retryAfterSeconds);
				throw new HttpResponseError({
					...throttledResponse,
					headers: { ...throttledResponse.headers, 'Retry-After': String(decision.retryAfterSeconds) },
				});
			}
		}

		result = await match.route.handler(context);
	} catch (error) {
		if (error instanceof HttpResponseError) result = error.response;
		else result = profile.error(context, 500, 'InternalServerError', `Emulator error: ${error instanceof Error ? error.message : String(error)}`);
	}
	// The work is done (a DELETE deleted, a POST created); only the answer is lost, as when a
	// gateway times out or a connection breaks after the service acted.
	if (applyThenFail === 'drop') return { result, fault: 'applyThenDrop', appliedStatus: result.status };
	if (applyThenFail !== null) {
		return { result: profile.faultResponse(context, applyThenFail), fault: 'applyThenStatus', appliedStatus: result.status };
	}
	return { result, fault };
}

export interface DispatchOutcome {
	result: HandlerResult;
	fault?: LoggedRequest['fault'];
	/** applyThen* faults: the handler's real status; with 'applyThenDrop' the server destroys the socket. */
	appliedStatus?: number;
}

export function logRequest(
	runtime: EmulatorRuntime,
	context: RequestContext,
	status: number,
	started: number,
	fault?: LoggedRequest['fault'],
	appliedStatus?: number,
): void {
	runtime.requestLog.add({
		api: context.api,
		bucket: context.bucket,
		method: context.method,
		path: context.rawPath,
		status,
		time: context.receivedAt.toISOString(),
		durationMs: Date.now() - started,
		requestId: context.requestId,
		clientRequestId: context.clientRequestId,
		...context.logInfo,
		...(fault ? { fault } : {}),
		...(appliedStatus !== undefined ? { appliedStatus } : {}),
	});
}

export async function startHttpsServer(options: ServerOptions): Promise<RunningServer> {
	const { runtime, profile, router } = options;
	const server = createServer({ key: options.tls.keyPem, cert: options.tls.certPem }, (request, response) => {
		void handleRequest(request, response).catch((error: unknown) => {
			if (!response.headersSent) {
				response.writeHead(500, { 'Content-Type': 'text/plain' });
				response.end(String(error));
			}
		});
	});
	const sockets = new Set<Duplex>();
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});

	async function handleRequest(request: IncomingMessage, response: ServerResponse): Promise<void> {
		const started = Date.now();
		const rawPath = request.url ?? '/';
		const method = (request.method ?? 'GET').toUpperCase();
		const rawBody = await readBody(request);
		const context = createContext(runtime, profile, {
			method,
			rawPath,
			baseUrl: options.baseUrl(),
			headers: request.headers,
			rawBody,
		});
		const callerAddress = `address:${request.socket.remoteAddress ?? 'unknown'}`;
		const outcome = await dispatch({ runtime, profile, router }, context, { callerAddress });
		if (outcome === 'reset') {
			request.socket.destroy();
			logRequest(runtime, context, 0, started, 'reset');
			return;
		}
		const { result, fault, appliedStatus } = outcome;
		if (fault === 'applyThenDrop') {
			request.socket.destroy();
			logRequest(runtime, context, 0, started, fault, appliedStatus);
			return;
		}

		const headers: Record<string, string> = {
			...(profile.responseHeaders?.(context) ?? {}),
			...(result.headers ?? {}),
		};
		let payload = '';
		if (result.body !== undefined) {
			if (!Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) headers['Content-Type'] = profile.contentType;
			payload = typeof result.body === 'string' ? result.body : JSON.stringify(result.body);
		}
		response.writeHead(result.status, headers);
		response.end(payload);
		logRequest(runtime, context, result.status, started, fault, appliedStatus);
	}

	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port, '127.0.0.1', () => {
			server.off('error', reject);
			resolve();
		});
	});
	const port = (server.address() as AddressInfo).port;
	return {
		server,
		port,
		close: () =>
			new Promise<void>((resolve) => {
				for (const socket of sockets) socket.destroy();
				server.close(() => resolve());
			}),
	};
}
