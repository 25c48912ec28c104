import { addRoutePermissions, routePermissions } from '../auth/permissions';
import type { HandlerResult, RequestContext, RouteHandler, Router } from '../server';
import type { CloudAppsEntityKey, CloudAppsState } from '../store/types';

/**
 * What every Defender for Cloud Apps route shares (api-introduction.md, CloudAppSecurityDocs): parameters from a JSON
 * body, a form body or the query string; `filters` as `{field: {operator: value}}` combined with AND, each field taking
 * only the operators its page lists; `skip`/`limit` paging (default 100, at most 100 items a response) answered as
 * `{total, hasNext, data}`; timestamps in Unix milliseconds.
 */

const DAY_MS = 86_400_000;
export const MAX_PAGE = 100;

/** Application permissions (api-authentication-application.md, "Supported permission scopes"), as its table spells them. */
export const CLOUD_APPS_ROLES = {
	/** Alerts list / fetch / mark read-unread: Investigation or Discovery, read or manage. */
	alertRead: ['Investigation.read', 'Investigation.manage', 'Discovery.read', 'Discovery.manage'],
	alertClose: ['Investigation.manage', 'Discovery.manage'],
	/** Activities and entities; files are in no row of the table: the emulator asks the same (our assumption). */
	investigationRead: ['Investigation.read', 'Investigation.manage'],
	subnetRead: ['Investigation.read', 'Investigation.manage', 'Settings.read', 'Settings.manage'],
	subnetManage: ['Investigation.manage', 'Settings.manage'],
	blockScript: ['Discovery.manage'],
} as const;

/** Registers a route with the exact trailing slash of its page, and its permission row (once per process). */
export function cloudAppsRoute(router: Router, method: string, pattern: string, anyOf: readonly string[], handler: RouteHandler): void {
	if (!routePermissions.some((entry) => entry.api === 'cloudApps' && entry.method === method && entry.pattern === pattern)) {
		addRoutePermissions([{ api: 'cloudApps', method, pattern, anyOf: [...anyOf] }]);
	}
	router.add({ method, pattern, requiredRoles: anyOf, exactTrailingSlash: true, handler });
}

export function state(context: RequestContext): CloudAppsState {
	return context.runtime.store.cloudApps;
}

export function badRequest(context: RequestContext, message: string): never {
	return context.fail(400, 'BadRequest', message);
}

export function notFound(context: RequestContext, what: string): never {
	return context.fail(404, 'NotFound', `${what} was not found.`);
}

/** Parameters of a request: the query string, then a JSON or form body over it (api-introduction.md, "Limits"). */
export function requestParameters(context: RequestContext): Record<string, unknown> {
	const parameters: Record<string, unknown> = {};
	for (const [key, value] of context.query) parameters[key] = value;
	const raw = context.rawBody.trim();
	if (raw === '') return parameters;
	const contentType = String(context.headers['content-type'] ?? '').toLowerCase();
	if (contentType.startsWith('application/x-www-form-urlencoded')) {
		for (const [key, value] of new URLSearchParams(raw)) parameters[key] = value;
		return parameters;
	}
	let body: unknown;
	try {
		body = JSON.parse(raw);
	} catch {
		return badRequest(context, 'The request body is not valid JSON.');
	}
	if (typeof body !== 'object' || body === null || Array.isArray(body)) return badRequest(context, 'The request body must be a JSON object.');
	return { ...parameters, ...(body as Record<string, unknown>) };
}

/** `filters` given as an object, or as JSON text in a query string or form field. */
export function filtersOf(context: RequestContext, parameters: Record<string, unknown>): Record<string, unknown> {
	let filters = parameters.filters;
	if (filters === undefined || filters === null) return {};
	if (typeof filters === 'string') {
		try {
			filters = JSON.parse(filters);
		} catch {
			return badRequest(context, "'filters' is not valid JSON.");
		}
	}
	if (typeof filters !== 'object' || filters === null || Array.isArray(filters)) return badRequest(context, "'filters' must be an object of field: {operator: value}.");
	return filters as Record<string, unknown>;
}

export type Operator =
	| 'eq'
	| 'neq'
	| 'deq'
	| 'gt'
	| 'gte'
	| 'lt'
	| 'lte'
	| 'gte_ndays'
	| 'lte_ndays'
	| 'range'
	| 'isset'
	| 'isnotset'
	| 'contains'
	| 'ncontains'
	| 'startswith'
	| 'doesnotstartwith'
	| 'endswith'
	| 'startswithsingle'
	| 'text'
	| 'descendantof'
	| 'ndescendantof'
	| 'cabinetmatchedrulesequals';

export type FieldKind = 'integer' | 'string' | 'boolean' | 'timestamp' | 'entity';

export interface FieldSpec<T> {
	kind: FieldKind;
	operators: readonly Operator[];
	/** The record's values for this field; empty = not set. Entity fields give entity keys. */
	values(record: T, tenant: CloudAppsState): unknown[];
}

export type FieldTable<T> = Record<string, FieldSpec<T>>;

const LIST_OPERATORS: readonly Operator[] = ['eq', 'neq', 'deq', 'descendantof', 'ndescendantof', 'cabinetmatchedrulesequals'];
const STRING_LIST_OPERATORS: readonly Operator[] = ['contains', 'ncontains', 'startswith', 'doesnotstartwith', 'endswith'];

function sameEntity(wanted: unknown, actual: unknown): boolean {
	if (typeof wanted !== 'object' || wanted === null) return false;
	const key = wanted as Partial<CloudAppsEntityKey>;
	const record = actual as CloudAppsEntityKey;
	return String(key.id) === String(record.id) && (key.inst === undefined || Number(key.inst) === record.inst) && (key.saas === undefined || Number(key.saas) === record.saas);
}

function sameValue(kind: FieldKind, wanted: unknown, actual: unknown): boolean {
	if (kind === 'entity') return sameEntity(wanted, actual);
	if (kind === 'integer' || kind === 'timestamp') return Number(wanted) === Number(actual);
	if (kind === 'boolean') return wanted === actual;
	return String(wanted).toLowerCase() === String(actual).toLowerCase();
}

/** Checks one operator's value shape (api-introduction.md, "Operators") and gives its test. */
function compileOperator(
	context: RequestContext,
	field: string,
	spec: FieldSpec<unknown>,
	operator: string,
	value: unknown,
): (values: unknown[]) => boolean {
	if (!(spec.operators as readonly string[]).includes(operator)) {
		return badRequest(context, `Operator '${operator}' is not supported for filter '${field}'. Supported: ${spec.operators.join(', ')}.`);
	}
	const op = operator as Operator;
	const invalid = (shape: string): never => badRequest(context, `Filter '${field}' operator '${op}' takes ${shape}.`);
	const nowMs = context.runtime.clock.nowMs();
	if (op === 'eq' && spec.kind === 'boolean') {
		if (typeof value !== 'boolean') return invalid('true or false');
		return (values) => values.some((actual) => actual === value);
	}
	if (LIST_OPERATORS.includes(op)) {
		if (!Array.isArray(value) || value.length === 0) return invalid('a non-empty list of values');
		const matchesAny = (actual: unknown) => value.some((wanted) => sameValue(spec.kind, wanted, actual));
		if (op === 'neq' || op === 'ndescendantof') return (values) => !values.some(matchesAny);
		if (op === 'deq') return (values) => values.some((actual) => !matchesAny(actual));
		return (values) => values.some(matchesAny);
	}
	if (STRING_LIST_OPERATORS.includes(op)) {
		if (!Array.isArray(value) || value.length === 0 || !value.every((item) => typeof item === 'string')) return invalid('a non-empty list of strings');
		const needles = value.map((item: string) => item.toLowerCase());
		const text = (values: unknown[]) => values.map((actual) => String(typeof actual === 'object' && actual !== null ? (actual as CloudAppsEntityKey).id : actual).toLowerCase());
		if (op === 'contains') return (values) => text(values).some((actual) => needles.some((needle) => actual.includes(needle)));
		if (op === 'ncontains') return (values) => !text(values).some((actual) => needles.some((needle) => actual.includes(needle)));
		if (op === 'startswith') return (values) => text(values).some((actual) => needles.some((needle) => actual.startsWith(needle)));
		if (op === 'doesnotstartwith') return (values) => !text(values).some((actual) => needles.some((needle) => actual.startsWith(needle)));
		return (values) => text(values).some((actual) => needles.some((needle) => actual.endsWith(needle)));
	}
	if (op === 'startswithsingle' || op === 'text') {
		if (typeof value !== 'string' || value === '') return invalid('one string');
		const needle = value.toLowerCase();
		return (values) => values.some((actual) => (op === 'text' ? String(actual).toLowerCase().includes(needle) : String(actual).toLowerCase().startsWith(needle)));
	}
	if (op === 'isset' || op === 'isnotset') {
		if (typeof value !== 'boolean') return invalid('true or false');
		const wantsSet = (op === 'isset') === value;
		return (values) => (values.length > 0) === wantsSet;
	}
	if (op === 'gte_ndays' || op === 'lte_ndays') {
		if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) return invalid('a number of days');
		const bound = nowMs - value * DAY_MS;
		return op === 'gte_ndays' ? (values) => values.some((actual) => Number(actual) >= bound) : (values) => values.some((actual) => Number(actual) <= bound);
	}
	if (op === 'range') {
		const ranges = Array.isArray(value) ? value : [];
		const valid = ranges.length > 0 && ranges.every((range) => typeof range === 'object' && range !== null && typeof range.start === 'number' && typeof range.end === 'number');
		if (!valid) return invalid('a list of {"start": ms, "end": ms}');
		return (values) => values.some((actual) => ranges.some((range: { start: number; end: number }) => Number(actual) >= range.start && Number(actual) <= range.end));
	}
	if (typeof value !== 'number' || !Number.isFinite(value)) return invalid(spec.kind === 'timestamp' ? 'one timestamp in milliseconds' : 'one number');
	if (op === 'gt') return (values) => values.some((actual) => Number(actual) > value);
	if (op === 'gte') return (values) => values.some((actual) => Number(actual) >= value);
	if (op === 'lt') return (values) => values.some((actual) => Number(actual) < value);
	return (values) => values.some((actual) => Number(actual) <= value);
}

/** The records matching every filter; an unknown field or operator is refused with 400. */
export function applyFilters<T>(context: RequestContext, records: readonly T[], filters: Record<string, unknown>, table: FieldTable<T>): T[] {
	const tests: Array<(record: T) => boolean> = [];
	for (const [field, conditions] of Object.entries(filters)) {
		const spec = table[field];
		if (!spec) return badRequest(context, `Unknown filter '${field}'. Supported filters: ${Object.keys(table).join(', ')}.`);
		if (typeof conditions !== 'object' || conditions === null || Array.isArray(conditions)) {
			return badRequest(context, `Filter '${field}' must be an object of operator: value.`);
		}
		for (const [operator, value] of Object.entries(conditions)) {
			const test = compileOperator(context, field, spec as FieldSpec<unknown>, operator, value);
			const tenant = state(context);
			tests.push((record) => test(spec.values(record, tenant)));
		}
	}
	return records.filter((record) => tests.every((test) => test(record)));
}

export interface Paging {
	skip: number;
	limit: number;
}

function wholeNumber(context: RequestContext, name: string, raw: unknown, fallback: number): number {
	if (raw === undefined || raw === null || raw === '') return fallback;
	const value = typeof raw === 'string' && /^\d+$/.test(raw.trim()) ? Number(raw) : raw;
	if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) return badRequest(context, `'${name}' must be a whole number of 0 or more.`);
	return value;
}

/** `skip` and `limit`: default 100, and "limited to a maximum of 100 items" (api-introduction.md). */
export function pagingOf(context: RequestContext, parameters: Record<string, unknown>, range = { fallback: MAX_PAGE, min: 0, max: MAX_PAGE }): Paging {
	const skip = wholeNumber(context, 'skip', parameters.skip, 0);
	const limit = Math.min(range.max, Math.max(range.min, wholeNumber(context, 'limit', parameters.limit, range.fallback)));
	return { skip, limit };
}

export interface SortSpec<T> {
	/** sortField values of the page, each with the record value it sorts by. */
	fields: Record<string, (record: T) => number | string>;
	defaultField: string;
}

export function sortOf<T>(context: RequestContext, parameters: Record<string, unknown>, spec: SortSpec<T>): { field: string; direction: 'asc' | 'desc'; key: (record: T) => number | string } {
	const field = parameters.sortField === undefined ? spec.defaultField : String(parameters.sortField);
	const key = spec.fields[field];
	if (!key) return badRequest(context, `'sortField' must be one of ${Object.keys(spec.fields).join(', ')}.`);
	const direction = parameters.sortDirection === undefined ? 'desc' : String(parameters.sortDirection);
	if (direction !== 'asc' && direction !== 'desc') return badRequest(context, "'sortDirection' must be asc or desc.");
	return { field, direction, key };
}

/** Sorted by the key, ties by `_id`, so pages never overlap or skip. */
export function sortRecords<T extends { _id: string }>(records: T[], key: (record: T) => number | string, direction: 'asc' | 'desc'): T[] {
	const sign = direction === 'asc' ? 1 : -1;
	return [...records].sort((a, b) => {
		const left = key(a);
		const right = key(b);
		if (left < right) return -sign;
		if (left > right) return sign;
		return a._id < b._id ? -1 : a._id > b._id ? 1 : 0;
	});
}

/** `{total, hasNext, data}` (api-activities-list.md, api-data-enrichment-list.md). */
export function listPage<T>(records: T[], paging: Paging, serialize: (record: T) => unknown): HandlerResult {
	const page = records.slice(paging.skip, paging.skip + paging.limit);
	return { status: 200, body: { total: records.length, hasNext: paging.skip + page.length < records.length, data: page.map(serialize) } };
}

/** The `<pk>` of an entity: base64 of `{"id":"…","saas":11161,"inst":0}` (api-entities-fetch.md). */
export function decodeEntityKey(text: string): CloudAppsEntityKey | undefined {
	if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) return undefined;
	try {
		const parsed = JSON.parse(Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8')) as Record<string, unknown>;
		if (typeof parsed.id !== 'string' || typeof parsed.saas !== 'number' || typeof parsed.inst !== 'number') return undefined;
		return { id: parsed.id, saas: parsed.saas, inst: parsed.inst };
	} catch {
		return undefined;
	}
}

export function encodeEntityKey(key: CloudAppsEntityKey): string {
	return Buffer.from(JSON.stringify({ id: key.id, saas: key.saas, inst: key.inst })).toString('base64');
}

/** The record without the store-only fields. */
export function without<T extends object>(record: T, keys: ReadonlyArray<keyof T>): Partial<T> {
	return Object.fromEntries(Object.entries(record).filter(([key]) => !keys.includes(key as keyof T))) as Partial<T>;
}

export function wire<T extends { hidden: unknown }>(record: T): Partial<T> {
	return without(record, ['hidden']);
}

export function callerName(context: RequestContext): string {
	return String(context.principal?.app_displayname ?? context.principal?.appid ?? 'API');
}
