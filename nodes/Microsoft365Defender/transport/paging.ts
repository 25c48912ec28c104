import type { IDataObject } from 'n8n-workflow';

import type { Paging } from './apis/descriptor';
import type { ApiRequest } from './types';

/**
 * How a list is read page by page, in the style the API's descriptor names. Each style answers
 * three questions: the first page's request, the items a page holds, and the next page's request
 * (undefined at the end).
 */

/** The first page's request; `wanted` is how many items are still wanted (undefined: all). */
export function firstPage(paging: Paging, request: ApiRequest, wanted?: number): ApiRequest {
	if (paging.style === 'nextLink') return request;
	const body = (request.body ?? {}) as IDataObject;
	return {
		...request,
		body: { ...body, skip: typeof body.skip === 'number' ? body.skip : 0, limit: pageSize(paging.maxPageSize, wanted) },
		// A list read with a JSON body is a POST that only reads: safe to send again.
		idempotent: request.idempotent ?? true,
	};
}

export function itemsOf(paging: Paging, page: IDataObject): IDataObject[] {
	const items = paging.style === 'nextLink' ? page.value : page.data;
	return Array.isArray(items) ? (items as IDataObject[]) : [];
}

/** The next page's request after `current` gave `page` with `count` items; undefined at the end. */
export function nextPage(
	paging: Paging,
	request: ApiRequest,
	current: ApiRequest,
	page: IDataObject,
	count: number,
	wanted?: number,
): ApiRequest | undefined {
	// A page without items ends the list whatever it says: a next link or hasNext on an empty page would loop.
	if (count === 0) return undefined;
	if (paging.style === 'nextLink') {
		const nextLink = page['@odata.nextLink'];
		return typeof nextLink === 'string' ? { ...request, path: undefined, query: undefined, url: nextLink } : undefined;
	}
	if (page.hasNext !== true) return undefined;
	const body = current.body as IDataObject;
	return { ...current, body: { ...body, skip: Number(body.skip) + count, limit: pageSize(paging.maxPageSize, wanted) } };
}

function pageSize(maxPageSize: number, wanted?: number): number {
	return wanted === undefined ? maxPageSize : Math.max(1, Math.min(maxPageSize, wanted));
}
