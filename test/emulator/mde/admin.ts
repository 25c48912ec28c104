import type { HandlerResult, RequestContext } from '../server';
import type { MdeControl } from './control';
import { MACHINE_ACTION_STATUSES } from './state';
import type { MachineActionStatus } from './state';

type AddRoute = (method: string, pattern: string, handler: (context: RequestContext) => HandlerResult) => void;

function body(context: RequestContext): Record<string, unknown> {
	if (context.rawBody.trim() === '') return {};
	const parsed: unknown = JSON.parse(context.rawBody);
	if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('Body must be a JSON object');
	return parsed as Record<string, unknown>;
}

const badRequest = (message: string): HandlerResult => ({ status: 400, body: { error: { code: 'BadRequest', message } } });

/**
 * /_emulator/mde/* on the login server, for e2e runs that drive a separate emulator process:
 *   GET  /_emulator/mde/machineActions                 list (newest first)
 *   PUT  /_emulator/mde/machineActions                 {pendingMs, inProgressMs, outcome}
 *   POST /_emulator/mde/machineActions/:id/status      {status}
 *   PUT  /_emulator/mde/liveResponse                   {pendingMs, inProgressMs, outcome} of new live response sessions
 *   GET  /_emulator/mde/liveResponse/stats             {maxRunningSessions, refusedForSessions, refusedForRate}
 *   GET  /_emulator/mde/cancelRequests                 every call to the machine action cancel route
 *   GET  /_emulator/mde/indicators
 *   PUT  /_emulator/mde/limits                         {maxActiveIndicators, maxImportBatch}
 */
export function registerMdeAdminRoutes(add: AddRoute, control: MdeControl): void {
	add('GET', '/_emulator/mde/machineActions', () => ({ status: 200, body: { value: control.machineActions() } }));
	add('PUT', '/_emulator/mde/machineActions', (context) => {
		const input = body(context);
		const stage = (value: unknown) => (value === null || typeof value === 'number' ? value : undefined);
		const outcome = input.outcome;
		if (outcome !== undefined && !['Succeeded', 'Failed', 'TimeOut'].includes(String(outcome))) return badRequest("'outcome' must be Succeeded, Failed or TimeOut");
		const behaviour = control.setMachineActionBehaviour({
			...(input.pendingMs !== undefined ? { pendingMs: stage(input.pendingMs) ?? null } : {}),
			...(input.inProgressMs !== undefined ? { inProgressMs: stage(input.inProgressMs) ?? null } : {}),
			...(outcome !== undefined ? { outcome: outcome as 'Succeeded' | 'Failed' | 'TimeOut' } : {}),
		});
		return { status: 200, body: behaviour };
	});
	add('POST', '/_emulator/mde/machineActions/:id/status', (context) => {
		const status = body(context).status;
		if (!(MACHINE_ACTION_STATUSES as readonly string[]).includes(String(status))) return badRequest(`'status' must be one of ${MACHINE_ACTION_STATUSES.join(', ')}`);
		try {
			return { status: 200, body: control.setMachineActionStatus(context.params.id, status as MachineActionStatus) };
		} catch (error) {
			return { status: 404, body: { error: { code: 'NotFound', message: error instanceof Error ? error.message : String(error) } } };
		}
	});
	add('PUT', '/_emulator/mde/liveResponse', (context) => {
		const input = body(context);
		const stage = (value: unknown) => (value === null || typeof value === 'number' ? value : undefined);
		return {
			status: 200,
			body: control.setLiveResponseBehaviour({
				...(input.pendingMs !== undefined ? { pendingMs: stage(input.pendingMs) ?? null } : {}),
				...(input.inProgressMs !== undefined ? { inProgressMs: stage(input.inProgressMs) ?? null } : {}),
			}),
		};
	});
	add('GET', '/_emulator/mde/liveResponse/stats', () => ({ status: 200, body: control.liveResponseStats() }));
	add('GET', '/_emulator/mde/cancelRequests', () => ({ status: 200, body: { value: control.cancelRequests() } }));
	add('GET', '/_emulator/mde/indicators', () => ({ status: 200, body: { value: control.indicators() } }));
	add('PUT', '/_emulator/mde/limits', (context) => {
		const input = body(context);
		control.setLimits({
			maxActiveIndicators: typeof input.maxActiveIndicators === 'number' ? input.maxActiveIndicators : undefined,
			maxImportBatch: typeof input.maxImportBatch === 'number' ? input.maxImportBatch : undefined,
		});
		return { status: 204 };
	});
}
