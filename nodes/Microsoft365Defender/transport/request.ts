import type { IDataObject } from 'n8n-workflow';

import { graphBatcherFor } from './batch';
import { resolveEndpoints } from './endpoints';
import { toNodeError } from './errors';
import { send } from './send';
import { CREDENTIAL_TYPE, type ApiRequest, type Connection, type DefenderContext } from './types';

/**
 * The transport's public entry: what operations, list searches and the trigger call. A
 * request goes down one way: here -> batch (per-item Graph calls) -> send (one HTTP exchange).
 */
export type { ApiRequest, DefenderContext, QueryValue } from './types';

const connections = new WeakMap<DefenderContext, Promise<Connection>>();

/**
 * The credential and its endpoints, read once per node execution: in n8n, reading a credential
 * is a database round trip, and items that wait for it one by one would not meet in a $batch.
 */
async function connect(this: DefenderContext): Promise<Connection> {
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

export async function defenderApiRequest(this: DefenderContext, request: ApiRequest): Promise<IDataObject> {
	try {
		const connection = await connect.call(this);
		const body =
			request.batchable && request.api === 'graph'
				? await graphBatcherFor(this, connection).submit(request)
				: await send.call(this, connection, request);
		return (typeof body === 'object' && body !== null ? body : {}) as IDataObject;
	} catch (error) {
		throw toNodeError(this.getNode(), error, request.itemIndex);
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
