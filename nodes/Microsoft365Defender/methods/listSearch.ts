import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { defenderApiRequest } from '../transport/request';

async function searchSecurityItems(
	this: ILoadOptionsFunctions,
	path: string,
	portalPath: string,
	filter: string | undefined,
	paginationToken: string | undefined,
): Promise<INodeListSearchResult> {
	const page: IDataObject = await defenderApiRequest.call(
		this,
		paginationToken
			? { api: 'graph', method: 'GET', url: paginationToken }
			: { api: 'graph', method: 'GET', path, query: { $top: 50 } },
	);
	const needle = (filter ?? '').trim().toLowerCase();
	const results = ((page.value as IDataObject[]) ?? [])
		.map((item) => ({
			name: `${String(item.displayName ?? item.title ?? item.id)} (${String(item.severity ?? '')}, ${String(item.status ?? '')})`,
			value: String(item.id),
			url: typeof item.incidentWebUrl === 'string' && portalPath === 'incidents'
				? item.incidentWebUrl
				: typeof item.alertWebUrl === 'string'
					? item.alertWebUrl
					: undefined,
		}))
		.filter((result) => !needle || result.name.toLowerCase().includes(needle) || result.value.includes(needle));
	const next = page['@odata.nextLink'];
	return { results, paginationToken: typeof next === 'string' ? next : undefined };
}

export async function searchIncidents(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return await searchSecurityItems.call(this, '/v1.0/security/incidents', 'incidents', filter, paginationToken);
}

export async function searchAlerts(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return await searchSecurityItems.call(this, '/v1.0/security/alerts_v2', 'alerts', filter, paginationToken);
}
