/**
 * Application roles each route needs (any one of them). Handlers look their roles up here so the
 * table stays the single source; the MDE extension appends its rows with addRoutePermissions().
 */
export interface RoutePermission {
	api: 'graph' | 'mde' | 'cloudApps';
	method: string;
	pattern: string;
	anyOf: string[];
}

const INCIDENT_READ = ['SecurityIncident.Read.All', 'SecurityIncident.ReadWrite.All'];
const INCIDENT_WRITE = ['SecurityIncident.ReadWrite.All'];
const ALERT_READ = ['SecurityAlert.Read.All', 'SecurityAlert.ReadWrite.All'];
const ALERT_WRITE = ['SecurityAlert.ReadWrite.All'];

export const routePermissions: RoutePermission[] = [
	{ api: 'graph', method: 'GET', pattern: '/v1.0/security/incidents', anyOf: INCIDENT_READ },
	{ api: 'graph', method: 'GET', pattern: '/v1.0/security/incidents/:id', anyOf: INCIDENT_READ },
	{ api: 'graph', method: 'PATCH', pattern: '/v1.0/security/incidents/:id', anyOf: INCIDENT_WRITE },
	{ api: 'graph', method: 'POST', pattern: '/v1.0/security/incidents/:id/comments', anyOf: INCIDENT_WRITE },
	{ api: 'graph', method: 'GET', pattern: '/v1.0/security/alerts_v2', anyOf: ALERT_READ },
	{ api: 'graph', method: 'GET', pattern: '/v1.0/security/alerts_v2/:id', anyOf: ALERT_READ },
	{ api: 'graph', method: 'PATCH', pattern: '/v1.0/security/alerts_v2/:id', anyOf: ALERT_WRITE },
	{ api: 'graph', method: 'POST', pattern: '/v1.0/security/alerts_v2/:id/comments', anyOf: ALERT_WRITE },
	{ api: 'graph', method: 'POST', pattern: '/v1.0/security/runHuntingQuery', anyOf: ['ThreatHunting.Read.All'] },
];

export function addRoutePermissions(entries: RoutePermission[]): void {
	routePermissions.push(...entries);
}

export function requiredRolesFor(api: RoutePermission['api'], method: string, pattern: string): string[] {
	const entry = routePermissions.find((candidate) => candidate.api === api && candidate.method === method && candidate.pattern === pattern);
	if (!entry) throw new Error(`No permission entry for ${api} ${method} ${pattern}: add one to routePermissions`);
	return entry.anyOf;
}
