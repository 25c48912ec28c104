import { authenticateBearer } from '../auth/bearer';
import { cloudAppsError } from '../errors';
import type { ApiProfile } from '../server';
import { Router } from '../server';
import { registerActivityRoutes } from './activities';
import { registerAlertRoutes } from './alerts';
import { registerDiscoveryRoutes } from './discovery';
import { registerEntityRoutes } from './entities';
import { registerFileRoutes } from './files';
import { registerSubnetRoutes } from './subnets';

export { CLOUD_APPS_ROLES, decodeEntityKey, encodeEntityKey } from './common';
export { createCloudAppsControl } from './control';
export type { CloudAppsControl } from './control';

/**
 * Defender for Cloud Apps API (`{cloudAppsUrl}/api/...`, the tenant's own portal host: api-introduction.md), one file
 * per area: alerts.ts, activities.ts, files.ts, entities.ts, subnets.ts (IP ranges), discovery.ts (block scripts).
 * Tokens must carry the Microsoft Cloud App Security audience and the permissions of api-authentication-application.md.
 */
export function createCloudAppsRouter(): Router {
	const router = new Router();
	registerAlertRoutes(router);
	registerActivityRoutes(router);
	registerFileRoutes(router);
	registerEntityRoutes(router);
	registerSubnetRoutes(router);
	registerDiscoveryRoutes(router);
	return router;
}

export const cloudAppsApiProfile: ApiProfile = {
	api: 'cloudApps',
	defaultBucket: 'cloudApps',
	// Parameters come as JSON, a form body or the query string (api-introduction.md): the handlers parse them.
	bodyFormat: 'form',
	contentType: 'application/json',
	error: (_context, status, _code, message) => cloudAppsError(status, message),
	notFound: () => cloudAppsError(404, 'Not found.'),
	methodNotAllowed: (context) => cloudAppsError(405, `Method "${context.method}" not allowed.`),
	authenticate(context, requiredRoles) {
		authenticateBearer(context, requiredRoles, {
			audience: 'cloudApps',
			unauthorizedCode: 'Unauthorized',
			describeMissingPermission: (roles) => `The application needs one of these Microsoft Cloud App Security permissions: ${roles.join(', ')}.`,
		});
	},
	// api-introduction.md gives the limit (30 a minute per tenant) but not the answer; 429 with Retry-After, as the other APIs.
	throttled: (_context, retryAfterSeconds) => cloudAppsError(429, `Request was throttled. Expected available in ${retryAfterSeconds} seconds.`),
	faultResponse: (_context, status) => cloudAppsError(status, 'The service is temporarily unavailable.'),
	// "per tenant": every app of the tenant shares the budget.
	callerKey: (context) => (context.principal ? context.principal.tid : undefined),
};
