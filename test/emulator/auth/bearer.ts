import { decodeJwt, JwtFormatError, verifyJwtSignature } from './jwt';
import type { EmulatorRuntime } from '../runtime';
import type { RequestContext } from '../server';

export interface AccessTokenClaims {
	aud: string;
	iss: string;
	iat: number;
	nbf: number;
	exp: number;
	tid: string;
	appid: string;
	app_displayname?: string;
	oid: string;
	sub: string;
	roles?: string[];
	idtyp?: string;
	ver?: string;
	[claim: string]: unknown;
}

export type TokenAudience = 'graph' | 'mde' | 'cloudApps';

const GRAPH_RESOURCES = ['https://graph.microsoft.com', '00000003-0000-0000-c000-000000000000'];
const MDE_RESOURCES = [
	'https://api.securitycenter.microsoft.com',
	'https://api.security.microsoft.com',
	'https://securitycenter.onmicrosoft.com/windowsatpservice',
	'fc780465-2017-40d4-a0c5-307022471b92',
];

/**
 * api-authentication-application.md (CloudAppSecurityDocs): the "Microsoft Cloud App Security" application id is the
 * only resource the pages give (scope `05a65629-…/.default`, v1 `resource=05a65629-…`); no identifier URI is documented.
 */
export const CLOUD_APPS_RESOURCE = '05a65629-4c1b-48c1-a78b-804c4abdd4af';

function normalizeResource(resource: string): string {
	return resource.trim().replace(/\/+$/, '').toLowerCase();
}

function localVariants(baseUrl: string): string[] {
	const url = new URL(baseUrl);
	return [`https://localhost:${url.port}`, `https://127.0.0.1:${url.port}`];
}

/** Which emulated API a resource identifier (token `aud` or scope prefix) stands for. */
export function audienceOf(runtime: EmulatorRuntime, resource: string): TokenAudience | undefined {
	const normalized = normalizeResource(resource);
	if ([...GRAPH_RESOURCES, ...localVariants(runtime.urls.graph)].includes(normalized)) return 'graph';
	if ([...MDE_RESOURCES, ...localVariants(runtime.urls.mde)].includes(normalized)) return 'mde';
	if (normalized === CLOUD_APPS_RESOURCE) return 'cloudApps';
	return undefined;
}

export interface BearerProfile {
	audience: TokenAudience;
	/** Graph: InvalidAuthenticationToken; MDE: Unauthorized. */
	unauthorizedCode: string;
	describeMissingPermission(requiredRoles: readonly string[]): string;
}

/** The layer in front of API handlers: a valid emulator token for this API and a role the route accepts. */
export function authenticateBearer(context: RequestContext, requiredRoles: readonly string[], profile: BearerProfile): AccessTokenClaims {
	const { runtime } = context;
	const authenticateHeader = { 'WWW-Authenticate': `Bearer realm="", authorization_uri="${runtime.urls.login}/common/oauth2/authorize", error="invalid_token"` };
	const unauthorized = (message: string): never => context.fail(401, profile.unauthorizedCode, message, authenticateHeader);

	const header = context.headers.authorization;
	if (!header || header.trim() === '') return unauthorized('Access token is empty.');
	const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
	if (!match) return unauthorized('Access token is empty.');

	let decoded;
	try {
		decoded = decodeJwt(match[1]);
	} catch (error) {
		if (error instanceof JwtFormatError) return unauthorized('CompactToken parsing failed with error code: 80049217');
		throw error;
	}
	if (decoded.header.alg !== 'RS256' || !verifyJwtSignature(decoded, runtime.signer.publicKey)) {
		return unauthorized('Access token validation failure. Invalid signature.');
	}
	const claims = decoded.payload as AccessTokenClaims;
	const nowSeconds = Math.floor(runtime.clock.nowMs() / 1000);
	if (typeof claims.exp !== 'number' || claims.exp <= nowSeconds) return unauthorized('Lifetime validation failed, the token is expired.');
	if (typeof claims.nbf === 'number' && claims.nbf > nowSeconds + 300) return unauthorized('Lifetime validation failed, the token is not yet valid.');
	if (typeof claims.aud !== 'string' || audienceOf(runtime, claims.aud) !== profile.audience) {
		return unauthorized('Access token validation failure. Invalid audience.');
	}
	// Graph serves every tenant of the store (each sees its own incidents and alerts: multi-tenant
	// apps); the emulated Defender for Endpoint and Cloud Apps data belong to the primary tenant only.
	const servesTenant = profile.audience === 'graph' ? runtime.store.tenants.some((tenant) => tenant.id === claims.tid) : claims.tid === runtime.store.primaryTenantId;
	if (!servesTenant) return unauthorized('Access token validation failure. Invalid tenant.');
	if (!runtime.store.findApp(claims.tid, claims.appid)) return unauthorized('Access token validation failure. The application no longer exists in the tenant.');

	context.principal = claims;
	context.logInfo.audience = claims.aud;
	context.logInfo.clientId = claims.appid;
	context.logInfo.tenantId = claims.tid;

	const roles = Array.isArray(claims.roles) ? claims.roles : [];
	// An empty list means any valid token (Graph $batch checks each inner request instead).
	if (requiredRoles.length > 0 && !requiredRoles.some((role) => roles.includes(role))) return context.fail(403, 'Forbidden', profile.describeMissingPermission(requiredRoles));
	return claims;
}
