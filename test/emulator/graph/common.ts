import { requiredRolesFor } from '../auth/permissions';
import { graphError } from '../errors';
import type { ErrorResponse } from '../errors';
import { authenticateBearer } from '../auth/bearer';
import type { ApiProfile, HandlerResult, RequestContext } from '../server';
import { CLASSIFICATIONS, DETERMINATIONS } from '../store/types';
import type { EntitySchema, OrderByClause } from './odata';
import { compileFilter, findProperty, ODataError, parseOrderBy, sortEntities } from './odata';
import { checkBodyMembers, filterSchemaFor } from './evolvable';

export const GRAPH_CONTENT_TYPE = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';

const FAULT_CODES: Record<number, [string, string]> = {
	500: ['InternalServerError', 'An internal server error occurred.'],
	502: ['BadGateway', 'The service is unavailable. Failed to reach the backend service.'],
	503: ['ServiceUnavailable', 'The service is temporarily unavailable. Please retry later.'],
	504: ['GatewayTimeout', 'The operation has timed out.'],
};

function graphErrorFor(context: RequestContext, status: number, code: string, message: string): ErrorResponse {
	return graphError(status, code, message, { now: context.runtime.clock.now(), requestId: context.requestId, clientRequestId: context.clientRequestId });
}

export const graphApiProfile: ApiProfile = {
	api: 'graph',
	defaultBucket: 'graph',
	bodyFormat: 'json',
	contentType: GRAPH_CONTENT_TYPE,
	error: graphErrorFor,
	notFound(context) {
		const segments = context.url.pathname.split('/').filter(Boolean);
		if (segments.length === 0 || !['v1.0', 'beta'].includes(segments[0].toLowerCase())) {
			return graphErrorFor(context, 400, 'BadRequest', `Invalid version: ${segments[0] ?? ''}`);
		}
		return graphErrorFor(context, 400, 'BadRequest', `Resource not found for the segment '${decodeURIComponent(segments[segments.length - 1])}'.`);
	},
	methodNotAllowed(context) {
		return graphErrorFor(context, 405, 'BadRequest', 'Specified HTTP method is not allowed for the request uri.');
	},
	invalidJson(context) {
		return graphErrorFor(context, 400, 'BadRequest', 'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.');
	},
	authenticate(context, requiredRoles) {
		authenticateBearer(context, requiredRoles, {
			audience: 'graph',
			unauthorizedCode: 'InvalidAuthenticationToken',
			describeMissingPermission: (roles) =>
				`Missing application permission: ${roles[roles.length - 1]}. The access token has none of the application permissions this operation requires (${roles.join(', ')}).`,
		});
	},
	throttled(context, retryAfterSeconds) {
		return graphErrorFor(context, 429, 'TooManyRequests', `Too many requests. Please retry after ${retryAfterSeconds} seconds.`);
	},
	faultResponse(context, status) {
		const [code, message] = FAULT_CODES[status] ?? ['UnknownError', 'An unknown error occurred.'];
		return graphErrorFor(context, status, code, message);
	},
	callerKey(context) {
		return context.principal ? `${context.principal.tid}/${context.principal.appid}` : undefined;
	},
	responseHeaders(context) {
		return {
			'request-id': context.requestId,
			'client-request-id': context.clientRequestId ?? context.requestId,
			'OData-Version': '4.0',
			'Cache-Control': 'no-cache',
		};
	},
};

export function badRequest(context: RequestContext, message: string): never {
	return context.fail(400, 'BadRequest', message);
}

const SUPPORTED_QUERY_OPTIONS = ['$filter', '$top', '$skip', '$count', '$orderby', '$expand', '$select', '$skiptoken'];

export interface ListRequest<T> {
	context: RequestContext;
	items: T[];
	schema: EntitySchema;
	/** Path after /v1.0/, e.g. security/incidents */
	resourcePath: string;
	maxTop: number;
	defaultPageSize: number;
	defaultOrder: OrderByClause[];
	tieBreaker: (a: T, b: T) => number;
	allowedExpand: string[];
	serialize: (item: T, shaping: Shaping) => Record<string, unknown>;
}

export interface Shaping {
	expand: Set<string>;
	select?: string[];
}

function parseNonNegativeInteger(context: RequestContext, option: string, raw: string): number {
	if (!/^\d+$/.test(raw.trim())) {
		return badRequest(context, `Invalid value '${raw}' for ${option} query option found. The ${option} query option requires a non-negative integer value.`);
	}
	return Number(raw);
}

function queryOption(context: RequestContext, name: string): string | undefined {
	for (const [key, value] of context.query) if (key.toLowerCase() === name) return value;
	return undefined;
}

export function parseShaping(context: RequestContext, schema: EntitySchema, allowedExpand: string[]): Shaping {
	const expand = new Set<string>();
	const expandText = queryOption(context, '$expand');
	if (expandText !== undefined) {
		for (const part of expandText.split(',').map((item) => item.trim()).filter(Boolean)) {
			const match = allowedExpand.find((candidate) => candidate.toLowerCase() === part.toLowerCase());
			if (!match) return badRequest(context, `Parsing OData Select and Expand failed: Could not find a property named '${part}' on type '${schema.typeName}'.`);
			expand.add(match);
		}
	}
	let select: string[] | undefined;
	const selectText = queryOption(context, '$select');
	if (selectText !== undefined) {
		select = selectText.split(',').map((item) => item.trim()).filter(Boolean).map((name) => {
			const found = findProperty(schema, name);
			if (!found) return badRequest(context, `Parsing OData Select and Expand failed: Could not find a property named '${name}' on type '${schema.typeName}'.`);
			return found[0];
		});
	}
	return { expand, select };
}

export function applySelect(serialized: Record<string, unknown>, shaping: Shaping): Record<string, unknown> {
	if (!shaping.select) return serialized;
	const kept: Record<string, unknown> = {};
	for (const [key, value] of Object.entries(serialized)) {
		if (key.startsWith('@odata') || key === 'id' || shaping.select.includes(key) || shaping.expand.has(key)) kept[key] = value;
	}
	return kept;
}

export function metadataUrl(context: RequestContext, fragment: string): string {
	return `${context.runtime.urls.graph}/v1.0/$metadata#${fragment}`;
}

export function listCollection<T extends object>(request: ListRequest<T>): HandlerResult {
	const { context, schema } = request;
	for (const key of context.query.keys()) {
		if (key.startsWith('$') && !SUPPORTED_QUERY_OPTIONS.includes(key.toLowerCase())) {
			return badRequest(
				context,
				`The query specified in the URI is not valid. Query option '${key.slice(1)}' is not allowed. To allow it, set the 'AllowedQueryOptions' property on EnableQueryAttribute or QueryValidationSettings.`,
			);
		}
	}

	const topText = queryOption(context, '$top');
	const top = topText === undefined ? undefined : parseNonNegativeInteger(context, '$top', topText);
	if (top !== undefined && top > request.maxTop) {
		return badRequest(context, `The limit of '${request.maxTop}' for Top query has been exceeded. The value from the incoming request is '${top}'.`);
	}
	const skipText = queryOption(context, '$skip');
	const skip = skipText === undefined ? 0 : parseNonNegativeInteger(context, '$skip', skipText);
	const countText = queryOption(context, '$count');
	if (countText !== undefined && !['true', 'false'].includes(countText.toLowerCase())) {
		return badRequest(context, `'${countText}' is not a valid count option.`);
	}
	const includeCount = countText?.toLowerCase() === 'true';
	const shaping = parseShaping(context, schema, request.allowedExpand);

	let items = request.items;
	const filterText = queryOption(context, '$filter');
	if (filterText !== undefined) {
		try {
			// Without Prefer: include-unknown-enum-members, members after unknownFutureValue are not valid constants.
			const predicate = compileFilter(filterText, filterSchemaFor(context, schema));
			items = items.filter((item) => predicate(item as Record<string, unknown>));
		} catch (error) {
			if (error instanceof ODataError) return badRequest(context, `Invalid filter clause: ${error.message}`);
			throw error;
		}
	}
	let order = request.defaultOrder;
	const orderText = queryOption(context, '$orderby');
	if (orderText !== undefined) {
		try {
			order = parseOrderBy(orderText, schema);
		} catch (error) {
			if (error instanceof ODataError) return badRequest(context, `Invalid OrderBy clause: ${error.message}`);
			throw error;
		}
	}
	items = sortEntities(items, order, request.tieBreaker);

	const pageSize = top ?? request.defaultPageSize;
	const page = items.slice(skip, skip + pageSize);
	const body: Record<string, unknown> = { '@odata.context': metadataUrl(context, request.resourcePath) };
	if (includeCount) body['@odata.count'] = items.length;
	body.value = page.map((item) => applySelect(request.serialize(item, shaping), shaping));
	if (skip + page.length < items.length && page.length > 0) body['@odata.nextLink'] = nextLink(context, pageSize, skip + page.length);
	return { status: 200, body };
}

function nextLink(context: RequestContext, pageSize: number, nextSkip: number): string {
	const parts: string[] = [];
	for (const [key, value] of context.query) {
		const lower = key.toLowerCase();
		if (lower === '$skip' || lower === '$top' || lower === '$skiptoken') continue;
		parts.push(`${key}=${encodeURIComponent(value)}`);
	}
	parts.push(`$top=${pageSize}`, `$skip=${nextSkip}`);
	return `${context.runtime.urls.graph}${context.url.pathname}?${parts.join('&')}`;
}

/** Validates a PATCH body against the updatable properties; returns the normalized changes. */
export function validatePatch(
	context: RequestContext,
	schema: EntitySchema,
	updatable: Record<string, PatchRule>,
): Record<string, unknown> {
	const body = context.body;
	if (typeof body !== 'object' || body === null || Array.isArray(body)) {
		return badRequest(context, 'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.');
	}
	checkBodyMembers(context, schema, body as Record<string, unknown>);
	const changes: Record<string, unknown> = {};
	for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
		if (key.startsWith('@odata.')) continue;
		const rule = Object.entries(updatable).find(([name]) => name.toLowerCase() === key.toLowerCase());
		if (!rule) {
			if (findProperty(schema, key)) return badRequest(context, `The property '${key}' is read-only and cannot be updated.`);
			return badRequest(
				context,
				`The property '${key}' does not exist on type '${schema.typeName}'. Make sure to only use property names that are defined by the type or mark the type as open type.`,
			);
		}
		const [name, check] = rule;
		changes[name] = check(context, name, value);
	}
	return changes;
}

export type PatchRule = (context: RequestContext, name: string, value: unknown) => unknown;

export function enumRule(typeName: string, allowed: readonly string[]): PatchRule {
	return (context, _name, value) => {
		const match = typeof value === 'string' ? allowed.find((candidate) => candidate.toLowerCase() === value.toLowerCase()) : undefined;
		if (!match) return badRequest(context, `Cannot convert the literal '${String(value)}' to the expected type '${typeName}'.`);
		return match;
	};
}

/** Alerts and incidents take the same classification and determination values; unknownFutureValue is Graph's sentinel, not settable. */
export const classificationRule = enumRule('microsoft.graph.security.alertClassification', CLASSIFICATIONS.filter((value) => value !== 'unknownFutureValue'));
export const determinationRule = enumRule('microsoft.graph.security.alertDetermination', DETERMINATIONS.filter((value) => value !== 'unknownFutureValue'));

/** A Graph route with the application roles Microsoft requires for it. */
export function graphRoute(method: string, pattern: string): { method: string; pattern: string; requiredRoles: ReturnType<typeof requiredRolesFor> } {
	return { method, pattern, requiredRoles: requiredRolesFor('graph', method, pattern) };
}

export const nullableStringRule: PatchRule = (context, name, value) => {
	if (value !== null && typeof value !== 'string') return badRequest(context, `Cannot convert the literal '${JSON.stringify(value)}' to the expected type 'Edm.String' of property '${name}'.`);
	return value;
};

export const stringCollectionRule: PatchRule = (context, name, value) => {
	if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
		return badRequest(context, `Cannot convert the literal '${JSON.stringify(value)}' to the expected type 'Collection(Edm.String)' of property '${name}'.`);
	}
	return [...(value as string[])];
};

export function commentText(context: RequestContext): string {
	const body = context.body;
	if (typeof body !== 'object' || body === null || Array.isArray(body)) {
		return badRequest(context, 'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.');
	}
	const comment = (body as Record<string, unknown>).comment;
	if (typeof comment !== 'string' || comment.trim() === '') return badRequest(context, "The 'comment' property is required and must be a non-empty string.");
	return comment;
}

export function actorName(context: RequestContext): string {
	return String(context.principal?.app_displayname ?? context.principal?.appid ?? 'Automation');
}

/** A token's tenant sees only its own incidents and alerts (a multi-tenant app sees each customer's apart). */
export function inCallersTenant(context: RequestContext, item: { tenantId: string }): boolean {
	return item.tenantId === (context.principal?.tid ?? context.runtime.store.primaryTenantId);
}
