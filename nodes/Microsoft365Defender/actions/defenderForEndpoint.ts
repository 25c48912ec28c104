import {
	NodeApiError,
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestMethods,
	type INodeParameterResourceLocator,
	type INodeProperties,
} from 'n8n-workflow';

import { returnAllOrLimit } from '../descriptions/common';
import { odataString } from '../transport/odata';
import { apiPath, fromField } from '../transport/paths';
import { defenderApiRequest, defenderApiRequestAllItems, type ApiRequest, type QueryValue } from '../transport/request';
import { validateMachineId } from '../transport/validation';

/** Helpers every Defender for Endpoint resource uses: requests, lists, device lookup. */

export const MDE_MAX_PAGE = 10_000;

export interface MdeCall {
	method: IHttpRequestMethods;
	path: string;
	query?: Record<string, QueryValue>;
	body?: IDataObject;
	rawBody?: ApiRequest['rawBody'];
	permission: string;
	itemIndex: number;
	idempotent?: boolean;
	signal?: AbortSignal;
	outlivesExecution?: ApiRequest['outlivesExecution'];
}

export async function mdeRequest(this: IExecuteFunctions, call: MdeCall): Promise<IDataObject> {
	return await defenderApiRequest.call(this, { api: 'mde', ...call });
}

/** All (or `limit`) entries of a collection, following @odata.nextLink. */
export async function mdeList(this: IExecuteFunctions, call: MdeCall, limit?: number): Promise<IDataObject[]> {
	return await defenderApiRequestAllItems.call(this, { api: 'mde', ...call }, { limit });
}

/** A Get Many over a Defender for Endpoint collection: Return All / Limit as $top, the Filters collection as $filter. */
export async function listFiltered(
	this: IExecuteFunctions,
	itemIndex: number,
	collection: { path: string; permission: string; filter: (filters: IDataObject) => string | undefined },
): Promise<IDataObject[]> {
	const { limit, top } = readLimit.call(this, itemIndex);
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const { path, permission, filter } = collection;
	return await mdeList.call(this, { method: 'GET', path, query: { $top: top, $filter: filter(filters) }, permission, itemIndex }, limit);
}

/** Return All / Limit as one $top: the page size is the API's maximum unless fewer are wanted. */
export function readLimit(this: IExecuteFunctions, itemIndex: number, maxPage = MDE_MAX_PAGE): { limit?: number; top: number } {
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	if (returnAll) return { top: maxPage };
	const limit = this.getNodeParameter('limit', itemIndex, 50) as number;
	if (!Number.isInteger(limit) || limit < 1) {
		throw new NodeOperationError(this.getNode(), `Limit must be a whole number of at least 1, not ${limit}.`, { itemIndex });
	}
	return { limit, top: Math.min(limit, maxPage) };
}

export function isNotFound(error: unknown): boolean {
	return error instanceof NodeApiError && error.httpCode === '404';
}

export interface ResolvedDevice {
	id: string;
	/** The device itself when the lookup already fetched it (by name). */
	machine?: IDataObject;
}

/**
 * The device a locator points at. By ID or URL the id is checked; by name the device is looked
 * up (exact computerDnsName, or the host name part of it) and must be unique.
 */
export async function resolveDevice(this: IExecuteFunctions, itemIndex: number, parameter = 'deviceId'): Promise<ResolvedDevice> {
	const locator = this.getNodeParameter(parameter, itemIndex) as INodeParameterResourceLocator | string;
	const mode = typeof locator === 'object' && locator !== null ? locator.mode : 'id';
	const raw = typeof locator === 'object' && locator !== null ? locator.value : locator;
	if (mode !== 'name') {
		const value = this.getNodeParameter(parameter, itemIndex, undefined, { extractValue: true });
		return { id: validateMachineId(value, 'Device') };
	}
	const name = String(raw ?? '').trim();
	if (name === '') {
		throw new NodeOperationError(this.getNode(), 'Device name is empty: enter the device name (computerDnsName).', { itemIndex });
	}
	const lower = name.toLowerCase();
	const candidates = await mdeList.call(
		this,
		{
			method: 'GET',
			path: '/api/machines',
			query: { $filter: `computerDnsName eq ${odataString(lower)} or startswith(computerDnsName,${odataString(`${lower}.`)})`, $top: 50 },
			permission: 'Machine.Read.All',
			itemIndex,
		},
		50,
	);
	const exact = candidates.filter((machine) => String(machine.computerDnsName ?? '').toLowerCase() === lower);
	const matches = exact.length > 0 ? exact : candidates;
	if (matches.length === 0) {
		throw new NodeOperationError(this.getNode(), `No device named "${name}" was found in Defender for Endpoint.`, {
			description: 'Check the name (the device\'s computerDnsName as the Defender portal shows it), or pick the device from the list or by ID.',
			itemIndex,
		});
	}
	if (matches.length > 1) {
		const listed = matches.slice(0, 5).map((machine) => `${String(machine.computerDnsName)} (${String(machine.id)})`).join(', ');
		throw new NodeOperationError(this.getNode(), `The name "${name}" matches ${matches.length} devices: ${listed}.`, {
			description: 'Use the full DNS name or the device ID so that exactly one device is meant.',
			itemIndex,
		});
	}
	return { id: String(matches[0].id), machine: matches[0] };
}

export function devicePath(id: string, sub?: string): string {
	const segment = fromField('Device', id);
	return sub ? apiPath`/api/machines/${segment}` + `/${sub}` : apiPath`/api/machines/${segment}`;
}

export function showFor(resource: string, operation: string, properties: INodeProperties[]): INodeProperties[] {
	return updateDisplayOptions({ show: { resource: [resource], operation: [operation] } }, properties);
}

export function returnAllOrLimitFor(maxPage = MDE_MAX_PAGE): INodeProperties[] {
	return returnAllOrLimit(maxPage);
}

/** A response without its @odata.context, which says nothing useful in a workflow item. */
export function withoutContext(response: IDataObject): IDataObject {
	const copy = { ...response };
	delete copy['@odata.context'];
	return copy;
}

/** A comma-separated or array parameter as a clean list. */
export function listOf(value: unknown): string[] {
	const items = Array.isArray(value) ? value : String(value ?? '').split(',');
	return items.map((item) => String(item).trim()).filter(Boolean);
}
