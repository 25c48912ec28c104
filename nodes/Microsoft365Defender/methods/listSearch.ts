import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { isoDate } from '../actions/cloudApps';
import { CLOUD_APPS_SEVERITY_NAMES } from '../descriptions/cloudApps';
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

function mdePage(path: string, query: Record<string, string | number | undefined>, paginationToken: string | undefined) {
	return paginationToken
		? { api: 'mde' as const, method: 'GET' as const, url: paginationToken }
		: { api: 'mde' as const, method: 'GET' as const, path, query };
}

export async function searchDevices(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const needle = (filter ?? '').trim().toLowerCase().replace(/'/g, "''");
	const page: IDataObject = await defenderApiRequest.call(
		this,
		mdePage(
			'/api/machines',
			{ $top: 100, $filter: needle ? `startswith(computerDnsName,'${needle}')` : undefined },
			paginationToken,
		),
	);
	const results = ((page.value as IDataObject[]) ?? []).map((machine) => ({
		name: `${String(machine.computerDnsName ?? machine.id)} (${String(machine.osPlatform ?? '')}, ${String(machine.healthStatus ?? '')})`,
		value: String(machine.id),
		url: `https://security.microsoft.com/machines/v2/${String(machine.id)}/overview`,
	}));
	const next = page['@odata.nextLink'];
	return { results, paginationToken: typeof next === 'string' ? next : undefined };
}

export async function searchMachineActions(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const page: IDataObject = await defenderApiRequest.call(this, mdePage('/api/machineactions', { $top: 100 }, paginationToken));
	const needle = (filter ?? '').trim().toLowerCase();
	const results = ((page.value as IDataObject[]) ?? [])
		.map((action) => ({
			name: `${String(action.type)} on ${String(action.computerDnsName ?? action.machineId)}: ${String(action.status)} (${String(action.creationDateTimeUtc ?? '').slice(0, 16).replace('T', ' ')})`,
			value: String(action.id),
		}))
		.filter((result) => !needle || result.name.toLowerCase().includes(needle) || result.value.includes(needle));
	const next = page['@odata.nextLink'];
	return { results, paginationToken: typeof next === 'string' ? next : undefined };
}

export {
	searchInvestigations,
	searchRecommendations,
	searchRemediationActivities,
	searchSoftware,
	searchVulnerabilities,
} from './vulnerabilityManagementSearch';

/**
 * Open Defender for Cloud Apps alerts, newest first, 100 a page (api-alerts-list.md); the search text is matched
 * locally on the title and id (the alert filters have no text search). The page token is the next `skip`.
 */
export async function searchCloudAppsAlerts(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const skip = Number(paginationToken ?? 0) || 0;
	const page: IDataObject = await defenderApiRequest.call(this, {
		api: 'cloudApps',
		method: 'POST',
		path: '/api/v1/alerts/',
		body: { filters: { alertOpen: { eq: true } }, sortField: 'date', sortDirection: 'desc', skip, limit: 100 },
		idempotent: true,
		permission: 'Investigation.read',
	});
	const alerts = Array.isArray(page.data) ? (page.data as IDataObject[]) : [];
	const needle = (filter ?? '').trim().toLowerCase();
	const results = alerts
		.map((alert) => ({
			name: `${String(alert.title ?? alert._id)} (${String(CLOUD_APPS_SEVERITY_NAMES[Number(alert.severityValue)] ?? '')}, ${isoDate(alert.timestamp) ?? ''})`,
			value: String(alert._id),
			url: typeof alert.URL === 'string' ? alert.URL : undefined,
		}))
		.filter((result) => !needle || result.name.toLowerCase().includes(needle) || result.value.includes(needle));
	return { results, paginationToken: page.hasNext === true && alerts.length > 0 ? String(skip + alerts.length) : undefined };
}
