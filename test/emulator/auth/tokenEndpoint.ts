import { randomUUID } from 'node:crypto';
import { aadError, HttpResponseError } from '../errors';
import type { ErrorResponse } from '../errors';
import type { EmulatorRuntime } from '../runtime';
import type { ApiProfile, HandlerResult, RequestContext, Router } from '../server';
import type { AppRegistration, Tenant } from '../store/types';
import { audienceOf } from './bearer';
import type { TokenAudience } from './bearer';
import type { AccessTokenClaims } from './bearer';
import { checkFederatedAssertion } from './federation';
import { identityStateOf } from './identities';
import { base64UrlDecode, decodeJwt, publicKeyFromCertificate, verifyJwtSignature } from './jwt';

const JWT_BEARER_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const GUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DOMAIN_PATTERN = /^(?=.{1,253}$)([a-z0-9-]+\.)+[a-z]{2,}$/i;
const MULTI_TENANT_SEGMENTS = ['common', 'organizations', 'consumers'];
const OIDC_SCOPES = ['openid', 'profile', 'offline_access', 'email'];

interface AadFailure {
	status: number;
	error: string;
	code: number;
	message: string;
}

function aadFail(context: RequestContext, failure: AadFailure): never {
	throw new HttpResponseError(
		aadError({ ...failure, now: context.runtime.clock.now(), correlationId: context.clientRequestId, loginUrl: context.runtime.urls.login }),
	);
}

function missingParameter(context: RequestContext, name: string): never {
	return aadFail(context, {
		status: 400,
		error: 'invalid_request',
		code: 900144,
		message: `The request body must contain the following parameter: '${name}'.`,
	});
}

function resolveTenant(context: RequestContext, segment: string, clientId?: string): Tenant {
	const { store } = context.runtime;
	if (MULTI_TENANT_SEGMENTS.includes(segment.toLowerCase())) {
		const app = clientId ? [...store.apps.values()].find((candidate) => candidate.clientId.toLowerCase() === clientId.toLowerCase()) : undefined;
		return aadFail(context, {
			status: 400,
			error: 'invalid_request',
			code: 50194,
			message:
				`Application '${clientId ?? ''}'(${app?.displayName ?? clientId ?? ''}) is not configured as a multi-tenant application. ` +
				`Usage of the /${segment.toLowerCase()} endpoint is not supported for such applications created after '10/15/2018'. ` +
				'Use a tenant-specific endpoint or configure the application to be multi-tenant.',
		});
	}
	const tenant = store.findTenant(segment);
	if (tenant) return tenant;
	if (!GUID_PATTERN.test(segment) && !DOMAIN_PATTERN.test(segment)) {
		return aadFail(context, {
			status: 400,
			error: 'invalid_request',
			code: 900023,
			message: `Specified tenant identifier '${segment}' is neither a valid DNS name, nor a valid external domain.`,
		});
	}
	return aadFail(context, {
		status: 400,
		error: 'invalid_request',
		code: 90002,
		message:
			`Tenant '${segment}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. ` +
			'Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.',
	});
}

function hexOfBase64Url(value: unknown): string | undefined {
	if (typeof value !== 'string' || value.length === 0) return undefined;
	return Buffer.from(base64UrlDecode(value)).toString('hex').toLowerCase();
}

function acceptedAssertionAudiences(context: RequestContext, tenant: Tenant): string[] {
	const hosts = [context.runtime.urls.login, `https://127.0.0.1:${new URL(context.runtime.urls.login).port}`, 'https://login.microsoftonline.com'];
	const audiences: string[] = [];
	for (const host of hosts) {
		for (const tenantSegment of [tenant.id, tenant.domain, context.params.tenant]) {
			audiences.push(`${host}/${tenantSegment}/oauth2/v2.0/token`.toLowerCase());
			audiences.push(`${host}/${tenantSegment}/v2.0`.toLowerCase());
		}
	}
	return audiences;
}

function verifyClientAssertion(context: RequestContext, app: AppRegistration, tenant: Tenant, assertion: string): void {
	const invalid = (reason: string): never =>
		aadFail(context, { status: 401, error: 'invalid_client', code: 700027, message: `Client assertion failed signature validation. [Reason - ${reason}]` });
	let decoded;
	try {
		decoded = decodeJwt(assertion);
	} catch {
		return invalid('The client assertion is not a valid JWT.');
	}
	const { header, payload } = decoded;
	// A certificate assertion is issued by the app itself; for an app that trusts federated
	// issuers, an assertion from anyone else is a federated token.
	if (payload.iss !== app.clientId && identityStateOf(context.runtime).federatedCredentialsOf(app).length > 0) {
		const failure = checkFederatedAssertion(context, app, decoded);
		if (failure) return aadFail(context, { status: 401, error: 'invalid_client', code: failure.code, message: failure.message });
		return;
	}
	if (header.alg !== 'RS256' && header.alg !== 'PS256') return invalid(`The signing algorithm '${String(header.alg)}' is not supported. Use RS256 or PS256.`);
	const sha256Hex = hexOfBase64Url(header['x5t#S256']);
	const sha1Hex = hexOfBase64Url(header.x5t);
	if (!sha256Hex && !sha1Hex) return invalid('The assertion header carries neither x5t nor x5t#S256.');
	const certificate = app.certificates.find((candidate) =>
		sha256Hex ? candidate.thumbprintSha256Hex === sha256Hex : candidate.thumbprintSha1Hex === sha1Hex,
	);
	const usedThumbprint = (sha256Hex ?? sha1Hex ?? '').toUpperCase();
	if (!certificate) {
		return aadFail(context, {
			status: 401,
			error: 'invalid_client',
			code: 700027,
			message:
				'The certificate with identifier used to sign the client assertion is not registered on application. ' +
				`[Reason - The key was not found., Thumbprint of key used by client: '${usedThumbprint}', ` +
				`Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${app.clientId}'.]`,
		});
	}
	if (!verifyJwtSignature(decoded, publicKeyFromCertificate(certificate.certificatePem))) {
		return invalid(`The provided signature value did not match the expected signature value., Thumbprint of key used by client: '${usedThumbprint}'`);
	}
	if (payload.iss !== app.clientId || payload.sub !== app.clientId) {
		return aadFail(context, {
			status: 401,
			error: 'invalid_client',
			code: 700027,
			message: `Client assertion failed signature validation. [Reason - The 'iss' and 'sub' claims must both be the client id '${app.clientId}'.]`,
		});
	}
	const audience = typeof payload.aud === 'string' ? payload.aud.split('?')[0].toLowerCase() : '';
	if (!acceptedAssertionAudiences(context, tenant).includes(audience)) {
		return aadFail(context, {
			status: 401,
			error: 'invalid_client',
			code: 700027,
			message: `Client assertion failed signature validation. [Reason - The audience claim '${String(payload.aud)}' is not the token endpoint of this tenant.]`,
		});
	}
	const nowSeconds = Math.floor(context.runtime.clock.nowMs() / 1000);
	const expires = typeof payload.exp === 'number' ? payload.exp : 0;
	const notBefore = typeof payload.nbf === 'number' ? payload.nbf : 0;
	if (expires <= nowSeconds - 300 || notBefore > nowSeconds + 300) {
		return aadFail(context, {
			status: 401,
			error: 'invalid_client',
			code: 700024,
			message:
				`Client assertion is not within its valid time range. Current time: ${new Date(nowSeconds * 1000).toISOString()}, ` +
				`assertion valid from ${new Date(notBefore * 1000).toISOString()}, expiry time of assertion ${new Date(expires * 1000).toISOString()}. ` +
				'Review the documentation at https://docs.microsoft.com/azure/active-directory/develop/active-directory-certificate-credentials .',
		});
	}
}

function authenticateClientSecret(context: RequestContext, app: AppRegistration, secret: string): void {
	const match = app.secrets.find((candidate) => candidate.value === secret);
	if (!match) {
		return aadFail(context, {
			status: 401,
			error: 'invalid_client',
			code: 7000215,
			message: `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${app.clientId}'.`,
		});
	}
	if (Date.parse(match.expiresAt) <= context.runtime.clock.nowMs()) {
		return aadFail(context, {
			status: 401,
			error: 'invalid_client',
			code: 7000222,
			message:
				`The provided client secret keys for app '${app.clientId}' are expired. Visit the Azure portal to create new keys for your app: ` +
				'https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.',
		});
	}
}

export function issueToken(context: RequestContext, app: AppRegistration, resource: string, audience: TokenAudience, viaCertificate: boolean): HandlerResult {
	const { runtime } = context;
	const nowSeconds = Math.floor(runtime.clock.nowMs() / 1000);
	const lifetime = runtime.settings.tokenLifetimeSeconds;
	const roles = app.roles[audience];
	const claims: AccessTokenClaims = {
		aud: resource.replace(/\/+$/, ''),
		iss: `https://sts.windows.net/${app.tenantId}/`,
		iat: nowSeconds,
		nbf: nowSeconds,
		exp: nowSeconds + lifetime,
		aio: randomUUID(),
		app_displayname: app.displayName,
		appid: app.clientId,
		appidacr: viaCertificate ? '2' : '1',
		idp: `https://sts.windows.net/${app.tenantId}/`,
		idtyp: 'app',
		oid: app.servicePrincipalId,
		...(roles.length > 0 ? { roles: [...roles] } : {}),
		sub: app.servicePrincipalId,
		tid: app.tenantId,
		uti: randomUUID().replace(/-/g, '').slice(0, 22),
		ver: '1.0',
	};
	return {
		status: 200,
		headers: { 'Cache-Control': 'no-store, no-cache', Pragma: 'no-cache' },
		body: {
			token_type: 'Bearer',
			expires_in: lifetime,
			ext_expires_in: lifetime,
			access_token: runtime.signer.sign(claims),
		},
	};
}

function handleTokenRequest(context: RequestContext): HandlerResult {
	identityStateOf(context.runtime).ensureRegistered();
	const form = new URLSearchParams(context.rawBody);
	const clientId = form.get('client_id') ?? undefined;
	if (clientId) context.logInfo.clientId = clientId;
	const tenant = resolveTenant(context, context.params.tenant, clientId);
	context.logInfo.tenantId = tenant.id;

	const grantType = form.get('grant_type');
	if (!grantType) return missingParameter(context, 'grant_type');
	if (grantType !== 'client_credentials') {
		return aadFail(context, {
			status: 400,
			error: 'unsupported_grant_type',
			code: 70003,
			message: `The app requested an unsupported grant type '${grantType}'. The emulator only implements client_credentials.`,
		});
	}
	if (!clientId) return missingParameter(context, 'client_id');
	const scopeParameter = form.get('scope');
	if (!scopeParameter) return missingParameter(context, 'scope');
	const scopes = scopeParameter.split(/\s+/).filter((scope) => scope.length > 0 && !OIDC_SCOPES.includes(scope));
	if (scopes.length !== 1 || !scopes[0].endsWith('/.default')) {
		return aadFail(context, {
			status: 400,
			error: 'invalid_scope',
			code: 1002012,
			message:
				`The provided value for scope ${scopeParameter} is not valid. Client credential flows must have a scope value with /.default ` +
				'suffixed to the resource identifier (application ID URI).',
		});
	}
	const resource = scopes[0].slice(0, -'/.default'.length);
	context.logInfo.audience = resource;

	const app = context.runtime.store.findApp(tenant.id, clientId);
	if (!app) {
		return aadFail(context, {
			status: 400,
			error: 'unauthorized_client',
			code: 700016,
			message:
				`Application with identifier '${clientId}' was not found in the directory '${tenant.displayName}'. This can happen if the application ` +
				'has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your ' +
				'authentication request to the wrong tenant.',
		});
	}

	const assertion = form.get('client_assertion');
	const secret = form.get('client_secret');
	if (assertion) {
		if (form.get('client_assertion_type') !== JWT_BEARER_ASSERTION_TYPE) {
			return aadFail(context, {
				status: 400,
				error: 'invalid_request',
				code: 900144,
				message: `The request body must contain the following parameter: 'client_assertion_type' with value '${JWT_BEARER_ASSERTION_TYPE}'.`,
			});
		}
		verifyClientAssertion(context, app, tenant, assertion);
	} else if (secret) {
		authenticateClientSecret(context, app, secret);
	} else {
		return aadFail(context, {
			status: 401,
			error: 'invalid_client',
			code: 7000218,
			message: "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
		});
	}

	const audience = audienceOf(context.runtime, resource);
	if (!audience) {
		return aadFail(context, {
			status: 400,
			error: 'invalid_resource',
			code: 500011,
			message:
				`The resource principal named ${resource} was not found in the tenant named ${tenant.displayName}. This can happen if the application ` +
				'has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your ' +
				'authentication request to the wrong tenant.',
		});
	}
	return issueToken(context, app, resource, audience, Boolean(assertion));
}

export function openIdConfiguration(runtime: EmulatorRuntime, tenantSegment: string): Record<string, unknown> {
	const login = runtime.urls.login;
	const tenant = runtime.store.findTenant(tenantSegment);
	const pathTenant = tenant?.id ?? tenantSegment;
	const issuerTenant = tenant?.id ?? '{tenantid}';
	return {
		token_endpoint: `${login}/${pathTenant}/oauth2/v2.0/token`,
		token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
		jwks_uri: `${login}/${pathTenant}/discovery/v2.0/keys`,
		response_modes_supported: ['query', 'fragment', 'form_post'],
		subject_types_supported: ['pairwise'],
		id_token_signing_alg_values_supported: ['RS256'],
		response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
		scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
		issuer: `${login}/${issuerTenant}/v2.0`,
		request_uri_parameter_supported: false,
		userinfo_endpoint: `${runtime.urls.graph}/oidc/userinfo`,
		authorization_endpoint: `${login}/${pathTenant}/oauth2/v2.0/authorize`,
		device_authorization_endpoint: `${login}/${pathTenant}/oauth2/v2.0/devicecode`,
		http_logout_supported: true,
		frontchannel_logout_supported: true,
		end_session_endpoint: `${login}/${pathTenant}/oauth2/v2.0/logout`,
		claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'auth_time', 'acr', 'nonce', 'tid', 'ver', 'oid'],
		kerberos_endpoint: `${login}/${pathTenant}/kerberos`,
		tenant_region_scope: 'EU',
		cloud_instance_name: 'microsoftonline.com',
		cloud_graph_host_name: 'graph.windows.net',
		msgraph_host: new URL(runtime.urls.graph).host,
		rbac_url: 'https://pas.windows.net',
	};
}

function instanceDiscovery(runtime: EmulatorRuntime, authorizationEndpoint: string | null): Record<string, unknown> {
	const host = new URL(runtime.urls.login).host;
	let tenant = 'common';
	if (authorizationEndpoint) {
		try {
			tenant = new URL(authorizationEndpoint).pathname.split('/').filter(Boolean)[0] ?? 'common';
		} catch {
			tenant = 'common';
		}
	}
	return {
		tenant_discovery_endpoint: `${runtime.urls.login}/${tenant}/v2.0/.well-known/openid-configuration`,
		'api-version': '1.1',
		metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
	};
}

export function registerTokenRoutes(router: Router): void {
	router.add({ method: 'POST', pattern: '/:tenant/oauth2/v2.0/token', handler: handleTokenRequest });
	router.add({
		method: 'GET',
		pattern: '/:tenant/oauth2/v2.0/token',
		handler: (context) => aadFail(context, { status: 400, error: 'invalid_request', code: 900561, message: 'The endpoint only accepts POST requests. Received a GET request.' }),
	});
	router.add({
		method: 'GET',
		pattern: '/:tenant/v2.0/.well-known/openid-configuration',
		handler: (context) => {
			const segment = context.params.tenant;
			if (!MULTI_TENANT_SEGMENTS.includes(segment.toLowerCase()) && !context.runtime.store.findTenant(segment)) {
				const failure = aadError({
					status: 400,
					error: 'invalid_tenant',
					code: 90002,
					message: `Tenant '${segment}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
					now: context.runtime.clock.now(),
					loginUrl: context.runtime.urls.login,
				});
				return failure;
			}
			return { status: 200, body: openIdConfiguration(context.runtime, segment) };
		},
	});
	router.add({ method: 'GET', pattern: '/:tenant/discovery/v2.0/keys', handler: (context) => ({ status: 200, body: context.runtime.signer.jwks() }) });
	router.add({
		method: 'GET',
		pattern: '/:tenant/discovery/instance',
		handler: (context) => ({ status: 200, body: instanceDiscovery(context.runtime, context.query.get('authorization_endpoint')) }),
	});
}

function simpleAdminError(status: number, code: string, message: string): ErrorResponse {
	return { status, body: { error: { code, message } } };
}

/** Login server: Entra-shaped errors for token routes, plain JSON errors for /_emulator admin routes. */
export const loginApiProfile: ApiProfile = {
	api: 'token',
	defaultBucket: 'token',
	bodyFormat: 'form',
	contentType: 'application/json; charset=utf-8',
	error(context, status, code, message) {
		if (context.api === 'admin') return simpleAdminError(status, code, message);
		return aadError({ status, error: 'invalid_request', code: 90000, message: `${code}: ${message}`, now: context.runtime.clock.now(), correlationId: context.clientRequestId, loginUrl: context.runtime.urls.login });
	},
	notFound(context) {
		if (context.url.pathname.startsWith('/_emulator')) return simpleAdminError(404, 'NotFound', `No admin route ${context.method} ${context.url.pathname}`);
		return { status: 404, body: { error: 'not_found', error_description: `The emulator has no endpoint ${context.url.pathname}.` } };
	},
	methodNotAllowed(context) {
		if (context.url.pathname.startsWith('/_emulator')) return simpleAdminError(405, 'MethodNotAllowed', `${context.method} is not allowed on ${context.url.pathname}`);
		return { status: 405, body: { error: 'invalid_request', error_description: `Method ${context.method} is not allowed.` } };
	},
	throttled(context, retryAfterSeconds) {
		return aadError({
			status: 429,
			error: 'temporarily_unavailable',
			code: 50196,
			message: `The server terminated an operation because it encountered a client request loop. Retry after ${retryAfterSeconds} seconds.`,
			now: context.runtime.clock.now(),
			correlationId: context.clientRequestId,
			loginUrl: context.runtime.urls.login,
		});
	},
	faultResponse(context, status) {
		return aadError({
			status,
			error: 'temporarily_unavailable',
			code: 90033,
			message: 'A transient error has occurred. Please try again.',
			now: context.runtime.clock.now(),
			correlationId: context.clientRequestId,
			loginUrl: context.runtime.urls.login,
		});
	},
	callerKey(context) {
		const clientId = new URLSearchParams(context.rawBody).get('client_id') ?? 'anonymous';
		return `${(context.params.tenant ?? '').toLowerCase()}/${clientId.toLowerCase()}`;
	},
	responseHeaders(context) {
		return { 'x-ms-request-id': context.requestId, ...(context.clientRequestId ? { 'client-request-id': context.clientRequestId } : {}) };
	},
};
