import type { HandlerResult, RequestContext, Router } from '../server';
import { badRequest, CLOUD_APPS_ROLES, cloudAppsRoute, state } from './common';

/**
 * api-discovery-script.md: GET /api/discovery_block_scripts/?format=<appliance>&type=banned, answered as text. The page
 * shows BlueCoat's lines only; the other appliances' lines here are the emulator's own stand-ins.
 */
const APPLIANCE_LINES: Record<number, (domain: string) => string> = {
	102: (domain) => `url.domain=${domain} deny`,
	104: (domain) => `access-list cas_blocked extended deny ip any host ${domain}`,
	108: (domain) => `edit "${domain}"\n set type wildcard\n set action block\nnext`,
	112: (domain) => `set profiles custom-url-category cas_blocked list ${domain}`,
	120: (domain) => `${domain}`,
	129: (domain) => `set security zones security-zone untrust address-book address cas_blocked dns-name ${domain}`,
	135: (domain) => `${domain} block`,
};

function blockScript(context: RequestContext): HandlerResult {
	const format = Number(context.query.get('format'));
	const lines = APPLIANCE_LINES[format];
	if (!lines) return badRequest(context, `'format' must be one of ${Object.keys(APPLIANCE_LINES).join(', ')}.`);
	const type = context.query.get('type') ?? 'banned';
	if (type !== 'banned') return badRequest(context, "'type' must be banned.");
	return { status: 200, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: `${state(context).bannedDomains.map(lines).join('\n')}\n` };
}

export function registerDiscoveryRoutes(router: Router): void {
	// api-discovery-script.md: GET /api/discovery_block_scripts/ (Discovery.manage: api-authentication-application.md)
	cloudAppsRoute(router, 'GET', '/api/discovery_block_scripts/', CLOUD_APPS_ROLES.blockScript, blockScript);
}
