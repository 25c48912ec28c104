import { compileFilter, findProperty, ODataError, parseOrderBy, sortEntities } from '../graph/odata';
import type { EntitySchema, OrderByClause } from '../graph/odata';
import { graphTimestamp } from '../runtime';
import type { HandlerResult, RequestContext } from '../server';
import type { Machine } from '../store/types';

/** Shared pieces of the Defender for Endpoint handlers: OData lists, lookups, input checks, wording. */

export const SHA1 = /^[0-9a-f]{40}$/i;
export const SHA256 = /^[0-9a-f]{64}$/i;
export const MD5 = /^[0-9a-f]{32}$/i;
export const MACHINE_ID = /^[0-9a-f]{40}$/i;
const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/i;

export function isIpAddress(value: string): boolean {
	if (IPV4.test(value)) return true;
	if (!value.includes(':') || !/^[0-9a-f:.]+$/i.test(value)) return false;
	const halves = value.split('::');
	if (halves.length > 2) return false;
	const groups = halves.flatMap((part) => (part === '' ? [] : part.split(':')));
	const last = groups[groups.length - 1] ?? '';
	const embeddedV4 = last.includes('.');
	if (embeddedV4 && !IPV4.test(last)) return false;
	const hexGroups = embeddedV4 ? groups.slice(0, -1) : groups;
	if (!hexGroups.every((group) => /^[0-9a-f]{1,4}$/i.test(group))) return false;
	const count = hexGroups.length + (embeddedV4 ? 2 : 0);
	return halves.length === 2 ? count < 8 : count === 8;
}

export function isDomainName(value: string): boolean {
	return DOMAIN.test(value);
}

export function isUrl(value: string): boolean {
	try {
		const url = new URL(value.includes('://') ? value : `http://${value}`);
		return (url.protocol === 'http:' || url.protocol === 'https:') && (isDomainName(url.hostname) || isIpAddress(url.hostname.replace(/^\[|\]$/g, '')));
	} catch {
		return false;
	}
}

export function mdeTimestamp(ms: number | string | Date): string {
	return graphTimestamp(ms);
}

export function metadataUrl(context: RequestContext, fragment: string): string {
	return `${context.runtime.urls.mde}/api/$metadata#${fragment}`;
}

export function entity(context: RequestContext, fragment: string, body: Record<string, unknown>): HandlerResult {
	return { status: 200, body: { '@odata.context': metadataUrl(context, fragment), ...body } };
}

export function collectionResult(context: RequestContext, fragment: string, value: unknown[]): HandlerResult {
	return { status: 200, body: { '@odata.context': metadataUrl(context, fragment), value } };
}

/** The caller as Microsoft records it on actions and indicators: the app's display name, or its id. */
export function requestorName(context: RequestContext): string {
	return String(context.principal?.app_displayname ?? context.principal?.appid ?? 'Automation');
}

export function callerRoles(context: RequestContext): string[] {
	return Array.isArray(context.principal?.roles) ? (context.principal?.roles as string[]) : [];
}

export function requireMachine(context: RequestContext, id: string): Machine {
	const machine = context.runtime.store.machines.find((candidate) => candidate.id.toLowerCase() === id.toLowerCase());
	if (!machine) return context.fail(404, 'ResourceNotFound', `Machine ${id} was not found`);
	return machine;
}

export function bodyObject(context: RequestContext): Record<string, unknown> {
	const body = context.body;
	if (typeof body !== 'object' || body === null || Array.isArray(body)) {
		return context.fail(400, 'InvalidRequestBody', 'Request body is incorrect');
	}
	return body as Record<string, unknown>;
}

/** Body parameters are case-sensitive at Microsoft: `comment` is not `Comment`. */
export function requiredString(context: RequestContext, body: Record<string, unknown>, name: string): string {
	const value = body[name];
	if (typeof value !== 'string' || value.trim() === '') return context.fail(400, 'MissingRequiredParameter', `Parameter ${name} is missing.`);
	return value;
}

export function lookBackHours(context: RequestContext): number {
	let raw: string | null = null;
	for (const [key, value] of context.query) if (key.toLowerCase() === 'lookbackhours') raw = value;
	if (raw === null) return 720;
	if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > 720) {
		return context.fail(400, 'InvalidInput', `Invalid input lookBackHours: ${raw}. The maximum value is 720 hours (30 days).`);
	}
	return Number(raw);
}

export interface MdeListRequest<T> {
	context: RequestContext;
	items: T[];
	schema: EntitySchema;
	/** Entity set name for @odata.context, e.g. Machines */
	entitySet: string;
	maxTop: number;
	defaultOrder?: OrderByClause[];
	tieBreaker?: (a: T, b: T) => number;
	serialize: (item: T) => Record<string, unknown>;
}

const SUPPORTED_OPTIONS = ['$filter', '$top', '$skip', '$orderby', '$select', '$count'];

function option(context: RequestContext, name: string): string | undefined {
	for (const [key, value] of context.query) if (key.toLowerCase() === name) return value;
	return undefined;
}

function odataError(context: RequestContext, message: string): never {
	return context.fail(400, 'ODataError', message);
}

function nonNegative(context: RequestContext, name: string, raw: string): number {
	if (!/^\d+$/.test(raw.trim())) {
		return odataError(context, `Invalid value '${raw}' for ${name} query option found. The ${name} query option requires a non-negative integer value.`);
	}
	return Number(raw);
}

/** A Defender for Endpoint OData collection: $filter, $orderby, $top (capped), $skip, $select, nextLink paging. */
export function listEntities<T extends object>(request: MdeListRequest<T>): HandlerResult {
	const { context, schema } = request;
	for (const key of context.query.keys()) {
		if (key.startsWith('$') && !SUPPORTED_OPTIONS.includes(key.toLowerCase())) {
			return odataError(context, `The query specified in the URI is not valid. Query option '${key.slice(1)}' is not allowed.`);
		}
	}
	const topText = option(context, '$top');
	const top = topText === undefined ? undefined : nonNegative(context, '$top', topText);
	if (top !== undefined && top > request.maxTop) {
		return odataError(context, `The limit of '${request.maxTop}' for Top query has been exceeded. The value from the incoming request is '${top}'.`);
	}
	const skipText = option(context, '$skip');
	const skip = skipText === undefined ? 0 : nonNegative(context, '$skip', skipText);

	let items = request.items;
	const filterText = option(context, '$filter');
	if (filterText !== undefined) {
		try {
			const predicate = compileFilter(filterText, schema);
			items = items.filter((item) => predicate(item as Record<string, unknown>));
		} catch (error) {
			if (error instanceof ODataError) return odataError(context, `Invalid filter clause: ${error.message}`);
			throw error;
		}
	}
	let order = request.defaultOrder ?? [];
	const orderText = option(context, '$orderby');
	if (orderText !== undefined) {
		try {
			order = parseOrderBy(orderText, schema);
		} catch (error) {
			if (error instanceof ODataError) return odataError(context, `Invalid OrderBy clause: ${error.message}`);
			throw error;
		}
	}
	if (order.length > 0) items = sortEntities(items, order, request.tieBreaker ?? (() => 0));

	let select: string[] | undefined;
	const selectText = option(context, '$select');
	if (selectText !== undefined) {
		select = selectText.split(',').map((name) => name.trim()).filter(Boolean).map((name) => {
			const found = findProperty(schema, name);
			return found ? found[0] : odataError(context, `Could not find a property named '${name}' on type '${schema.typeName}'.`);
		});
	}

	const pageSize = top ?? request.maxTop;
	const page = items.slice(skip, skip + pageSize);
	const body: Record<string, unknown> = { '@odata.context': metadataUrl(context, request.entitySet) };
	if (option(context, '$count')?.toLowerCase() === 'true') body['@odata.count'] = items.length;
	body.value = page.map((item) => {
		const serialized = request.serialize(item);
		if (!select) return serialized;
		return Object.fromEntries(Object.entries(serialized).filter(([key]) => key === 'id' || select?.includes(key)));
	});
	if (page.length > 0 && skip + page.length < items.length) {
		const parts: string[] = [];
		for (const [key, value] of context.query) {
			if (['$skip', '$top'].includes(key.toLowerCase())) continue;
			parts.push(`${key}=${encodeURIComponent(value)}`);
		}
		parts.push(`$top=${pageSize}`, `$skip=${skip + page.length}`);
		body['@odata.nextLink'] = `${context.runtime.urls.mde}${context.url.pathname}?${parts.join('&')}`;
	}
	return { status: 200, body };
}

/** A stable number from a hex id or any string, to pick seeded relations deterministically. */
export function stableHash(text: string): number {
	let hash = 2166136261;
	for (let index = 0; index < text.length; index++) {
		hash ^= text.charCodeAt(index);
		hash = Math.imul(hash, 16777619);
	}
	return hash >>> 0;
}
