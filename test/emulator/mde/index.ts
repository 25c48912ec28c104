import { authenticateBearer } from '../auth/bearer';
import { mdeError } from '../errors';
import type { ApiProfile } from '../server';
import { Router } from '../server';

/**
 * Defender for Endpoint API (`{mdeUrl}/api/...`). No routes yet: add handler files next to this one
 * (machines.ts, machineActions.ts, indicators.ts ...), register them in createMdeRouter(), add their
 * roles to auth/permissions.ts (addRoutePermissions / routePermissions), and use `context.fail(...)` for
 * MDE-shaped errors. State lives in the shared store: store.machines, store.users, store.files,
 * store.alerts and the free-form store.mde collections.
 */
export function createMdeRouter(): Router {
	const router = new Router();
	return router;
}

const FAULT_CODES: Record<number, string> = {
	500: 'InternalServerError',
	502: 'BadGateway',
	503: 'ServiceUnavailable',
	504: 'GatewayTimeout',
};

export const mdeApiProfile: ApiProfile = {
	api: 'mde',
	defaultBucket: 'mde',
	bodyFormat: 'json',
	contentType: 'application/json; odata.metadata=minimal; odata.streaming=true; charset=utf-8',
	error: (_context, status, code, message) => mdeError(status, code, message),
	notFound: (context) => mdeError(404, 'NotFound', `Resource not found: ${context.method} ${context.url.pathname}`),
	methodNotAllowed: (context) => mdeError(405, 'MethodNotAllowed', `The requested resource does not support http method '${context.method}'.`),
	invalidJson: () => mdeError(400, 'InvalidRequestBody', 'Request body is not valid JSON.'),
	authenticate(context, requiredRoles) {
		authenticateBearer(context, requiredRoles, {
			audience: 'mde',
			unauthorizedCode: 'Unauthorized',
			describeMissingPermission: (roles) => `The application does not have any of the required application permissions (${roles.join(', ')}) to access the resource.`,
		});
	},
	throttled: (_context, retryAfterSeconds) => mdeError(429, 'TooManyRequests', `Rate limit is exceeded. Try again in ${retryAfterSeconds} seconds.`),
	faultResponse: (_context, status) => mdeError(status, FAULT_CODES[status] ?? 'InternalServerError', 'The service is temporarily unavailable. Please retry later.'),
	callerKey: (context) => (context.principal ? `${context.principal.tid}/${context.principal.appid}` : undefined),
	responseHeaders: (context) => ({ 'request-id': context.requestId, ...(context.clientRequestId ? { 'client-request-id': context.clientRequestId } : {}) }),
};
