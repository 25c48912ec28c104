/**
 * The App Service / Azure Functions managed identity endpoint, in the form msal-node 7.2.3 calls
 * it (lib/msal-node/src/client/ManagedIdentitySources/AppService.ts in
 * AzureAD/microsoft-authentication-library-for-js): GET IDENTITY_ENDPOINT with the header
 * X-IDENTITY-HEADER: IDENTITY_HEADER and the query api-version=2019-08-01, resource=<resource
 * URI> and, for a user-assigned identity, one of client_id, mi_res_id or object_id. The answer
 * carries access_token, expires_on (epoch seconds), resource, token_type and client_id, as
 * Microsoft's App Service page documents (MicrosoftDocs/azure-docs,
 * articles/app-service/overview-managed-identity.md, "REST endpoint reference").
 */
import type { HandlerResult, RequestContext, Router } from '../server';
import { audienceOf } from './bearer';
import { identityStateOf } from './identities';
import { issueToken } from './tokenEndpoint';

const APP_SERVICE_API_VERSION = '2019-08-01';

function failure(status: number, message: string): HandlerResult {
	return { status, body: { statusCode: status, message, correlationId: '00000000-0000-0000-0000-000000000000' } };
}

function handleManagedIdentityToken(context: RequestContext): HandlerResult {
	const identities = identityStateOf(context.runtime);
	let status = 0;
	try {
		const result = answerManagedIdentityToken(context);
		status = result.status;
		return result;
	} finally {
		// Recorded even when the answer is an error thrown by the token issuer (status 0 then).
		identities.recordHostIdentityRequest({
			resource: context.query.get('resource') ?? '',
			selector: {
				clientId: context.query.get('client_id') ?? undefined,
				resourceId: context.query.get('mi_res_id') ?? undefined,
				objectId: context.query.get('object_id') ?? undefined,
			},
			status,
		});
	}
}

function answerManagedIdentityToken(context: RequestContext): HandlerResult {
	const identities = identityStateOf(context.runtime);
	if (context.headers['x-identity-header'] !== identities.identityHeader) return failure(401, 'The X-IDENTITY-HEADER header is missing or does not match IDENTITY_HEADER.');
	if (context.query.get('api-version') !== APP_SERVICE_API_VERSION) return failure(400, `api-version must be ${APP_SERVICE_API_VERSION}.`);
	const resource = context.query.get('resource') ?? '';
	if (!resource) return failure(400, 'The resource query parameter is missing.');
	const audience = audienceOf(context.runtime, resource);
	if (!audience) return failure(400, `No resource '${resource}' is known to this tenant.`);
	const app = identities.managedIdentityApp({
		clientId: context.query.get('client_id') ?? undefined,
		resourceId: context.query.get('mi_res_id') ?? undefined,
		objectId: context.query.get('object_id') ?? undefined,
	});
	if (!app) return failure(400, 'No managed identity with that id is assigned to this resource.');
	context.logInfo.clientId = app.clientId;
	context.logInfo.tenantId = app.tenantId;
	context.logInfo.audience = resource;
	const issued = issueToken(context, app, resource, audience, true);
	const token = issued.body as { access_token: string; expires_in: number };
	return {
		status: 200,
		body: {
			access_token: token.access_token,
			expires_on: String(Math.floor(context.runtime.clock.nowMs() / 1000) + token.expires_in),
			resource,
			token_type: 'Bearer',
			client_id: app.clientId,
		},
	};
}

export function registerManagedIdentityRoutes(router: Router): void {
	router.add({ method: 'GET', pattern: '/msi/token', handler: handleManagedIdentityToken });
}
