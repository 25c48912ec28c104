import { requiredRolesFor } from '../auth/permissions';
import { graphTimestamp } from '../runtime';
import type { HandlerResult, RequestContext, Router } from '../server';
import type { HuntingRow, KqlType } from '../store/types';
import { badRequest, metadataUrl } from './common';
import { KqlError, parseTimespan, runKql } from './kql';

export const HUNTING_MAX_ROWS = 100_000;

const SCHEMA_TYPE_NAMES: Record<KqlType, string> = {
	string: 'String',
	datetime: 'DateTime',
	int: 'Int32',
	long: 'Int64',
	real: 'Double',
	bool: 'Boolean',
	dynamic: 'Object',
};

function parameter(body: Record<string, unknown>, name: string): unknown {
	const key = Object.keys(body).find((candidate) => candidate.toLowerCase() === name.toLowerCase());
	return key === undefined ? undefined : body[key];
}

function serializeRow(row: HuntingRow, columnNames: string[]): Record<string, unknown> {
	const result: Record<string, unknown> = {};
	for (const name of columnNames) {
		const value = row[name];
		result[name] = value instanceof Date ? graphTimestamp(value) : value === undefined ? null : value;
	}
	return result;
}

function runHuntingQuery(context: RequestContext): HandlerResult {
	const body = context.body;
	if (typeof body !== 'object' || body === null || Array.isArray(body)) {
		return badRequest(context, "The request body must be a JSON object with a 'Query' parameter.");
	}
	const query = parameter(body as Record<string, unknown>, 'Query');
	if (typeof query !== 'string' || query.trim() === '') return badRequest(context, "The 'Query' parameter is required and must be a non-empty string.");
	const timespanValue = parameter(body as Record<string, unknown>, 'Timespan');
	if (timespanValue !== undefined && timespanValue !== null && typeof timespanValue !== 'string') {
		return badRequest(context, "The 'Timespan' parameter must be an ISO 8601 duration or time interval string.");
	}
	const now = context.runtime.clock.now();
	const window = parseTimespan((timespanValue as string | null | undefined) ?? undefined, now);
	if (!window) return badRequest(context, `The 'Timespan' value '${String(timespanValue)}' is not a valid ISO 8601 duration or time interval.`);

	let result;
	const rows: HuntingRow[] = [];
	try {
		result = runKql(query, context.runtime.store.huntingTables, { now, window });
		for (const row of result.rows) {
			rows.push(row);
			if (rows.length > HUNTING_MAX_ROWS) {
				return badRequest(
					context,
					`Query result exceeded the maximum of ${HUNTING_MAX_ROWS} rows. Narrow the query or use 'take'/'limit' to return at most ${HUNTING_MAX_ROWS} rows.`,
				);
			}
		}
	} catch (error) {
		if (error instanceof KqlError) return badRequest(context, error.message);
		throw error;
	}
	const columnNames = result.columns.map((column) => column.name);
	return {
		status: 200,
		body: {
			'@odata.context': metadataUrl(context, 'microsoft.graph.security.huntingQueryResults'),
			schema: result.columns.map((column) => ({ name: column.name, type: SCHEMA_TYPE_NAMES[column.type] })),
			results: rows.map((row) => serializeRow(row, columnNames)),
		},
	};
}

export function registerHuntingRoutes(router: Router): void {
	const pattern = '/v1.0/security/runHuntingQuery';
	router.add({ method: 'POST', pattern, bucket: 'hunting', requiredRoles: requiredRolesFor('graph', 'POST', pattern), handler: runHuntingQuery });
}
