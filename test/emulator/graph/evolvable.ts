import type { IncomingHttpHeaders } from 'node:http';

import type { HandlerResult, RequestContext, Route } from '../server';
import type { EntitySchema } from './odata';

/**
 * Graph's evolvable enumerations, as Microsoft documents them:
 * - https://learn.microsoft.com/graph/best-practices-concept#handling-future-members-in-evolvable-enumerations
 *   (microsoft-graph-docs-contrib concepts/best-practices-concept.md): members listed after the
 *   sentinel `unknownFutureValue` are only returned when the request carries
 *   `Prefer: include-unknown-enum-members`; without it Graph answers `unknownFutureValue` in
 *   their place and does not accept them in input.
 * - https://learn.microsoft.com/graph/api/resources/security-incident (api-reference/v1.0/resources/security-incident.md,
 *   "incidentStatus values"): `awaitingAction` comes after the sentinel.
 * - https://learn.microsoft.com/graph/api/resources/security-alert (api-reference/v1.0/resources/security-alert.md,
 *   "serviceSource values", "detectionSource values"): `microsoftDefenderForCloud` and, for
 *   detectionSource, the Defender for Cloud plans (`microsoftDefenderForIoT` ... `microsoftDefenderForApiManagement`).
 *
 * The member lists live in store/types.ts in Microsoft's order; this module only reads where
 * the sentinel sits in them.
 */
export const SENTINEL = 'unknownFutureValue';
export const INCLUDE_UNKNOWN_ENUM_MEMBERS = 'include-unknown-enum-members';

/** Members listed after unknownFutureValue (empty for an enum that has none). */
export function membersAfterSentinel(values: readonly string[]): string[] {
	const sentinel = values.indexOf(SENTINEL);
	return sentinel < 0 ? [] : values.slice(sentinel + 1);
}

/**
 * True when the request opted in. `Prefer` takes a comma-separated list of preferences
 * (RFC 7240), possibly over several header lines; preference names are case-insensitive.
 * For a $batch sub-request these are its own headers, not the envelope's (see batch.ts).
 */
export function includesUnknownEnumMembers(headers: IncomingHttpHeaders): boolean {
	const raw = headers.prefer;
	const values = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
	return values
		.flatMap((value) => value.split(','))
		.some((preference) => preference.split(';')[0].trim().toLowerCase() === INCLUDE_UNKNOWN_ENUM_MEMBERS);
}

/** The schema as a caller without the header sees it: enums end at the sentinel. */
export function knownMembersSchema(schema: EntitySchema): EntitySchema {
	const properties: EntitySchema['properties'] = {};
	for (const [name, property] of Object.entries(schema.properties)) {
		const values = property.enumValues;
		properties[name] = values && membersAfterSentinel(values).length > 0 ? { ...property, enumValues: values.slice(0, values.indexOf(SENTINEL) + 1) } : property;
	}
	return { ...schema, properties };
}

/** The schema to read `$filter` with: without the header, members after the sentinel are not valid constants. */
export function filterSchemaFor(context: RequestContext, schema: EntitySchema): EntitySchema {
	return includesUnknownEnumMembers(context.headers) ? schema : knownMembersSchema(schema);
}

/**
 * Refuses a member after the sentinel in a request body when the caller did not opt in, with
 * the error Graph's OData reader gives for a constant it does not know.
 */
export function checkBodyMembers(context: RequestContext, schema: EntitySchema, body: Record<string, unknown>): void {
	if (includesUnknownEnumMembers(context.headers)) return;
	for (const [key, value] of Object.entries(body)) {
		if (typeof value !== 'string') continue;
		const property = Object.entries(schema.properties).find(([name]) => name.toLowerCase() === key.toLowerCase())?.[1];
		const hidden = property?.enumValues ? membersAfterSentinel(property.enumValues) : [];
		if (hidden.some((member) => member.toLowerCase() === value.toLowerCase())) {
			context.fail(400, 'BadRequest', `The string '${value}' is not a valid enumeration type constant for '${property?.enumTypeName ?? 'Edm.Enum'}'.`);
		}
	}
}

/** Schemas by the `@odata.type` Graph puts on each entity it returns. */
const schemasByType = new Map<string, EntitySchema>();

export function registerEvolvableSchema(schema: EntitySchema): void {
	schemasByType.set(`#${schema.typeName}`, schema);
}

function maskValue(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(maskValue);
	if (typeof value !== 'object' || value === null) return value;
	const entity = value as Record<string, unknown>;
	const schema = typeof entity['@odata.type'] === 'string' ? schemasByType.get(entity['@odata.type']) : undefined;
	const masked: Record<string, unknown> = {};
	for (const [key, member] of Object.entries(entity)) {
		const values = schema?.properties[key]?.enumValues;
		if (values && typeof member === 'string' && membersAfterSentinel(values).includes(member)) masked[key] = SENTINEL;
		else masked[key] = maskValue(member);
	}
	return masked;
}

/** A response as Graph gives it to a caller without the header: later members read `unknownFutureValue`. */
export function maskUnknownMembers(context: RequestContext, result: HandlerResult): HandlerResult {
	if (includesUnknownEnumMembers(context.headers) || result.body === undefined) return result;
	return { ...result, body: maskValue(result.body) };
}

/** Wraps a Graph security route so its answers follow the caller's Prefer header. */
export function evolvableRoute(route: Route): Route {
	return { ...route, handler: async (context) => maskUnknownMembers(context, await route.handler(context)) };
}
