import { processCache } from '../../runtime';
import { unlessCancelled } from '../cancellation';
import type { ApiRequest, Connection } from '../types';
import { getAccessToken, tenantIdOfToken } from './tokenProvider';

const canonicalTenants = processCache<string>('canonicalTenants');
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Microsoft counts limits per tenant: a tenant configured by its domain is resolved to the
 * GUID Entra ID puts in the token, so two credentials naming one tenant two ways share a budget.
 */
export async function canonicalTenantId(connection: Connection, request: ApiRequest, signal?: AbortSignal): Promise<string> {
	const configured = String(connection.credentials.tenantId ?? '').trim().toLowerCase();
	if (GUID.test(configured)) return configured;
	const key = `${connection.endpoints.loginHost}|${configured}`;
	const known = canonicalTenants.get(key);
	if (known) return known;
	const token = await unlessCancelled(getAccessToken(connection.credentials, request.api), signal);
	const tenantId = tenantIdOfToken(token) ?? configured;
	canonicalTenants.set(key, tenantId);
	return tenantId;
}
