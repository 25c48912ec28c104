import { addRoutePermissions, routePermissions } from '../auth/permissions';
import type { RouteHandler, Router } from '../server';

/** Application roles of the WindowsDefenderATP API, as each route's Microsoft page lists them (any one admits). */
export const MDE_ROLES = {
	machineRead: ['Machine.Read.All', 'Machine.ReadWrite.All'],
	machineWrite: ['Machine.ReadWrite.All'],
	isolate: ['Machine.Isolate'],
	scan: ['Machine.Scan'],
	collectForensics: ['Machine.CollectForensics'],
	restrictExecution: ['Machine.RestrictExecution'],
	stopAndQuarantine: ['Machine.StopAndQuarantine'],
	offboard: ['Machine.Offboard'],
	/** run-live-response.md. */
	liveResponse: ['Machine.LiveResponse'],
	/** list-library-files.md, upload-library.md, delete-library.md. */
	libraryManage: ['Library.Manage'],
	/** Cancelling takes the permission of any response action. */
	anyResponse: [
		'Machine.CollectForensics',
		'Machine.Isolate',
		'Machine.RestrictExecution',
		'Machine.Scan',
		'Machine.Offboard',
		'Machine.StopAndQuarantine',
		'Machine.LiveResponse',
	],
	indicators: ['Ti.ReadWrite', 'Ti.ReadWrite.All'],
	alertRead: ['Alert.Read.All', 'Alert.ReadWrite.All'],
	userRead: ['User.Read.All'],
	fileRead: ['File.Read.All'],
	ipRead: ['Ip.Read.All'],
	/** Microsoft's page writes URL.Read.All; role values compare exactly, so both spellings are accepted. */
	urlRead: ['URL.Read.All', 'Url.Read.All'],
	/** Get user-related machines lists only Machine.ReadWrite.All for applications. */
	userMachines: ['Machine.ReadWrite.All'],
	vulnerabilityRead: ['Vulnerability.Read.All'],
	softwareRead: ['Software.Read.All'],
	recommendationRead: ['SecurityRecommendation.Read.All'],
	scoreRead: ['Score.Read.All'],
	remediationRead: ['RemediationTasks.Read.All'],
	/** initiate-autoir-investigation.md: Alert.ReadWrite.All only. */
	alertWrite: ['Alert.ReadWrite.All'],
} as const;

/**
 * Adds a route on the MDE router with its roles, and records the same roles in the shared
 * route → permission table (once per process) so tests and docs can read them from one place.
 */
export function mdeRoute(router: Router) {
	return (method: string, pattern: string, roles: readonly string[], handler: RouteHandler): void => {
		if (!routePermissions.some((entry) => entry.api === 'mde' && entry.method === method && entry.pattern === pattern)) {
			addRoutePermissions([{ api: 'mde', method, pattern, anyOf: [...roles] }]);
		}
		router.add({ method, pattern, bucket: 'mde', requiredRoles: roles, handler });
	};
}
