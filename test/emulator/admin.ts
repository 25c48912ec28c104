import type { ApplyThenFailMode, FaultOptions, RedirectStatus, ThrottleOptions } from './limits';
import { faultOptionsProblem } from './limits';
import type { ApiName, LimitBucket, LoggedRequest } from './runtime';
import { LIMIT_BUCKETS } from './runtime';
import type { HandlerResult, RequestContext, Router } from './server';
import type { AppRegistrationInput, IncidentChanges, NewIncidentInput } from './store/store';
import type { Alert, AppRegistration, Incident } from './store/types';
import type { MdeControl } from './mde';
import { registerMdeAdminRoutes } from './mde';
import type { StorageRequest } from './storage/host';

/** What the admin routes drive; the Emulator object exposes the same operations programmatically. */
export interface AdminControl {
	requestLog(filter?: { api?: ApiName; includeAdmin?: boolean }): LoggedRequest[];
	clearRequestLog(): void;
	setThrottle(api: LimitBucket, options: ThrottleOptions): void;
	throttleStatus(): Record<string, unknown>;
	injectFaults(api: LimitBucket, options: FaultOptions): void;
	addIncident(input: NewIncidentInput): { incident: Incident; alerts: Alert[] };
	updateIncident(id: string, changes: IncidentChanges): Incident;
	registerApp(input: AppRegistrationInput): AppRegistration;
	reset(): void;
	setClockOffset(ms: number): void;
	now(): Date;
	describe(): Record<string, unknown>;
	/** The first `limit` ids of a collection, for jobs that need existing ids as input (the benchmark). */
	ids(kind: 'incidents' | 'alerts' | 'machines', limit: number): Array<{ id: string }>;
	/** Defender for Endpoint controls (machine actions, indicators); routes under /_emulator/mde. */
	mde?: MdeControl;
	/** What the storage host of download links received, headers included (storage/host.ts). */
	storageLog?(): StorageRequest[];
	/** Entra ID users' containment state and the email remediations received (graph/identities.ts, graph/analyzedEmails.ts). */
	accountsAndMail?(): Record<string, unknown>;
}

class AdminInputError extends Error {}

function jsonBody(context: RequestContext): Record<string, unknown> {
	if (context.rawBody.trim() === '') return {};
	let parsed: unknown;
	try {
		parsed = JSON.parse(context.rawBody);
	} catch {
		throw new AdminInputError('Body is not valid JSON');
	}
	if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new AdminInputError('Body must be a JSON object');
	return parsed as Record<string, unknown>;
}

function bucketOf(body: Record<string, unknown>): LimitBucket {
	const api = body.api;
	if (typeof api !== 'string' || !(LIMIT_BUCKETS as readonly string[]).includes(api)) {
		throw new AdminInputError(`'api' must be one of ${LIMIT_BUCKETS.join(', ')}`);
	}
	return api as LimitBucket;
}

function wrap(handler: (context: RequestContext) => HandlerResult): (context: RequestContext) => HandlerResult {
	return (context) => {
		try {
			return handler(context);
		} catch (error) {
			const status = error instanceof AdminInputError ? 400 : 409;
			return { status, body: { error: { code: status === 400 ? 'BadRequest' : 'Conflict', message: error instanceof Error ? error.message : String(error) } } };
		}
	};
}

export function registerAdminRoutes(router: Router, control: AdminControl): void {
	const add = (method: string, pattern: string, handler: (context: RequestContext) => HandlerResult) =>
		router.add({ method, pattern, api: 'admin', handler: wrap(handler) });

	add('GET', '/_emulator/state', () => ({ status: 200, body: control.describe() }));

	add('GET', '/_emulator/ids/:kind', (context) => {
		const kind = context.params.kind;
		if (kind !== 'incidents' && kind !== 'alerts' && kind !== 'machines') {
			throw new AdminInputError("kind must be 'incidents', 'alerts' or 'machines'");
		}
		const limit = Number(context.query.get('limit') ?? '1000');
		if (!Number.isInteger(limit) || limit < 1) throw new AdminInputError("'limit' must be a positive whole number");
		return { status: 200, body: control.ids(kind, limit) };
	});

	add('GET', '/_emulator/requests', (context) => {
		const api = context.query.get('api') as ApiName | null;
		const includeAdmin = context.query.get('includeAdmin') === 'true';
		return { status: 200, body: { value: control.requestLog({ api: api ?? undefined, includeAdmin }) } };
	});
	add('GET', '/_emulator/graph/accounts', () => ({ status: 200, body: control.accountsAndMail?.() ?? {} }));
	add('GET', '/_emulator/storage/requests', () => ({ status: 200, body: { value: control.storageLog?.() ?? [] } }));
	add('DELETE', '/_emulator/requests', () => {
		control.clearRequestLog();
		return { status: 204 };
	});

	add('GET', '/_emulator/throttle', () => ({ status: 200, body: control.throttleStatus() }));
	add('PUT', '/_emulator/throttle', (context) => {
		const body = jsonBody(context);
		const bucket = bucketOf(body);
		control.setThrottle(bucket, {
			limitPerMinute: body.limitPerMinute as number | null | undefined,
			limitPerHour: body.limitPerHour as number | null | undefined,
			retryAfterSeconds: body.retryAfterSeconds as number | null | undefined,
			next429: body.next429 as number | undefined,
		});
		return { status: 200, body: control.throttleStatus() };
	});

	add('PUT', '/_emulator/faults', (context) => {
		const body = jsonBody(context);
		const bucket = bucketOf(body);
		const status = body.status as number | undefined;
		if (status !== undefined && ![500, 502, 503, 504].includes(status)) throw new AdminInputError("'status' must be 500, 502, 503 or 504");
		const options: FaultOptions = {
			failNext: body.failNext as number | undefined,
			status,
			reset: body.reset as boolean | undefined,
			latencyMs: body.latencyMs as number | undefined,
			redirectNext: body.redirectNext as number | undefined,
			location: body.location as string | undefined,
			redirectStatus: body.redirectStatus as RedirectStatus | undefined,
			applyThenFailNext: body.applyThenFailNext as number | undefined,
			applyThenFail: body.applyThenFail as ApplyThenFailMode | undefined,
		};
		// Checked here as well as in injectFaults so a bad value is a 400, not the 409 of a failed operation.
		const problem = faultOptionsProblem(options);
		if (problem) throw new AdminInputError(problem);
		control.injectFaults(bucket, options);
		return { status: 204 };
	});

	add('POST', '/_emulator/incidents', (context) => {
		const created = control.addIncident(jsonBody(context) as NewIncidentInput);
		return { status: 201, body: created };
	});
	add('PATCH', '/_emulator/incidents/:id', (context) => {
		const id = context.params.id;
		try {
			return { status: 200, body: control.updateIncident(id, jsonBody(context) as IncidentChanges) };
		} catch (error) {
			if (error instanceof AdminInputError) throw error;
			return { status: 404, body: { error: { code: 'NotFound', message: error instanceof Error ? error.message : String(error) } } };
		}
	});

	add('POST', '/_emulator/apps', (context) => {
		const body = jsonBody(context);
		if (typeof body.clientId !== 'string') throw new AdminInputError("'clientId' is required");
		return { status: 200, body: control.registerApp(body as unknown as AppRegistrationInput) };
	});

	add('POST', '/_emulator/reset', () => {
		control.reset();
		return { status: 204 };
	});

	if (control.mde) registerMdeAdminRoutes(add, control.mde);

	add('PUT', '/_emulator/clock', (context) => {
		const body = jsonBody(context);
		if (typeof body.offsetMs === 'number') control.setClockOffset(body.offsetMs);
		else if (typeof body.now === 'string' && !Number.isNaN(Date.parse(body.now))) control.setClockOffset(Date.parse(body.now) - Date.now());
		else throw new AdminInputError("Give 'offsetMs' (number) or 'now' (ISO date)");
		return { status: 200, body: { now: control.now().toISOString() } };
	});
}
