import { authenticateBearer } from '../auth/bearer';
import { mdeError } from '../errors';
import type { ApiProfile } from '../server';
import { Router } from '../server';
import { registerEntityRoutes } from './entities';
import { registerIndicatorRoutes } from './indicators';
import { registerInvestigationRoutes } from './investigations';
import { registerLibraryRoutes } from './library';
import { registerLiveResponseRoutes } from './liveResponse';
import { registerMachineActionRoutes } from './machineActions';
import { registerMachineRoutes } from './machines';
import { registerTvmRoutes } from './tvm';

export { createMdeControl } from './control';
export type { MdeControl } from './control';
export { registerMdeAdminRoutes } from './admin';
export { MDE_ROLES } from './permissions';
export type { MachineActionBehaviour, MachineActionStatus } from './state';

/**
 * Defender for Endpoint API (`{mdeUrl}/api/...`): machines and their sub-resources (machines.ts),
 * response actions and the machine-action life cycle (machineActions.ts), indicators (indicators.ts),
 * files / IPs / domains / users and vulnerability management lists (entities.ts), the vulnerability
 * management drill-down, remediation activities, scores and device value (tvm.ts), automated
 * investigations (investigations.ts). Each route carries the
 * application roles Microsoft documents (permissions.ts, also recorded in auth/permissions.ts).
 * State lives in the shared store: store.machines, store.users, store.files, store.alerts, the
 * hunting tables, and the free-form store.mde collections (state.ts).
 */
export function createMdeRouter(): Router {
	const router = new Router();
	registerMachineRoutes(router);
	registerMachineActionRoutes(router);
	registerLiveResponseRoutes(router);
	registerLibraryRoutes(router);
	registerIndicatorRoutes(router);
	registerEntityRoutes(router);
	registerTvmRoutes(router);
	registerInvestigationRoutes(router);
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
