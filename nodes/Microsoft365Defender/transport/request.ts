import type { IDataObject } from 'n8n-workflow';

import { descriptorOf, resolveEndpoints } from './apis';
import { credentialsForTenant } from './apis/clouds';
import { batcherFor } from './batch';
import { toNodeError } from './errors';
import { firstPage, itemsOf, nextPage } from './paging';
import { send } from './pipeline/pipeline';
import { tenantOptionOf } from './tenant';
import { CREDENTIAL_TYPE, type ApiRequest, type Connection, type DefenderContext } from './types';

/**
 * The transport's public entry: what operations, list searches and the trigger call. A
 * request goes down one way: here (paging, in its API's style) -> batch (per-item calls, where
 * the API batches) -> the pipeline (pipeline/pipeline.ts: one HTTP exchange under its policies).
 */
export type { ApiRequest, DefenderContext, QueryValue } from './types';

const credentialReads = new WeakMap<DefenderContext, Promise<Connection['credentials']>>();
const connections = new WeakMap<DefenderContext, Map<string, Promise<Connection>>>();

/**
 * The credential, read once per node execution: in n8n, reading a credential is a database
 * round trip, and items that wait for it one by one would not meet in a $batch.
 */
async function readCredentials(this: DefenderContext): Promise<Connection['credentials']> {
	let read = credentialReads.get(this);
	if (!read) {
		read = this.getCredentials(CREDENTIAL_TYPE);
		credentialReads.set(this, read);
		read.catch(() => credentialReads.delete(this));
	}
	return await read;
}

/**
 * The credential and its endpoints for the item's tenant (the node's Tenant option, else the
 * credential's), one connection per tenant and execution: items of one tenant share a $batch.
 */
export async function connect(this: DefenderContext, itemIndex?: number): Promise<Connection> {
	const tenant = tenantOptionOf(this, itemIndex);
	let perTenant = connections.get(this);
	if (!perTenant) {
		perTenant = new Map();
		connections.set(this, perTenant);
	}
	let connection = perTenant.get(tenant.toLowerCase());
	if (!connection) {
		connection = (async () => {
			const credentials = credentialsForTenant(await readCredentials.call(this), tenant);
			return { credentials, endpoints: resolveEndpoints(credentials) };
		})();
		const tenants = perTenant;
		tenants.set(tenant.toLowerCase(), connection);
		connection.catch(() => tenants.delete(tenant.toLowerCase()));
	}
	return await connection;
}

export async function defenderApiRequest(this: DefenderContext, request: ApiRequest): Promise<IDataObject> {
	try {
		const connection = await connect.call(this, request.itemIndex);
		const batcher = request.batchable ? batcherFor(this, connection, request.api) : undefined;
		const body = batcher ? await batcher.submit(request) : await send.call(this, connection, request);
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

/**
 * Reads a list page by page, in the paging style of the request's API (apis/descriptor.ts): an
 * @odata.nextLink to follow, or skip/limit in the JSON body while the answer says hasNext.
 */
export async function defenderApiRequestAllItems(
	this: DefenderContext,
	request: ApiRequest,
	options: PaginationOptions = {},
): Promise<IDataObject[]> {
	const { paging } = descriptorOf(request.api);
	const items: IDataObject[] = [];
	const wanted = () => (options.limit === undefined ? undefined : options.limit - items.length);
	let next: ApiRequest | undefined = firstPage(paging, request, wanted());
	while (next) {
		const current: ApiRequest = next;
		const page: IDataObject = await defenderApiRequest.call(this, current);
		const values = itemsOf(paging, page);
		for (const value of values) {
			items.push(value);
			if (options.limit !== undefined && items.length >= options.limit) return items;
		}
		options.onPage?.(items.length);
		next = nextPage(paging, request, current, page, values.length, wanted());
	}
	return items;
}
