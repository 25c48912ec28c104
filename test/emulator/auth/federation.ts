/**
 * A local federated-token issuer (what an AKS cluster's OIDC issuer or GitHub's token service is
 * to Entra ID) and the checks Entra ID makes on a federated client assertion (MicrosoftDocs/
 * entra-docs, docs/workload-id/workload-identity-federation.md and
 * workload-identity-federation-create-trust.md): the token's issuer, subject and audience must
 * match a federated credential of the app (audience api://AzureADTokenExchange), its signature
 * must verify with the issuer's published key, and it must be within its lifetime.
 */
import type { HandlerResult, RequestContext, Router } from '../server';
import type { AppRegistration } from '../store/types';
import { identityStateOf } from './identities';
import { verifyJwtSignature, type DecodedJwt } from './jwt';

export interface AssertionFailure {
	code: number;
	message: string;
}

/** Undefined when the federated assertion is accepted; otherwise the AADSTS error Entra ID gives. */
export function checkFederatedAssertion(context: RequestContext, app: AppRegistration, decoded: DecodedJwt): AssertionFailure | undefined {
	const identities = identityStateOf(context.runtime);
	const { payload } = decoded;
	const issuer = String(payload.iss ?? '');
	const subject = String(payload.sub ?? '');
	const audiences = (Array.isArray(payload.aud) ? payload.aud : [payload.aud]).map(String);
	const credentials = identities.federatedCredentialsOf(app);
	const byIssuer = credentials.filter((credential) => credential.issuer === issuer);
	if (byIssuer.length === 0) return { code: 700211, message: `No matching federated identity record found for presented assertion issuer '${issuer}'.` };
	const bySubject = byIssuer.filter((credential) => credential.subject === subject);
	if (bySubject.length === 0) return { code: 700213, message: `No matching federated identity record found for presented assertion subject '${subject}'.` };
	if (!bySubject.some((credential) => credential.audiences.some((audience) => audiences.includes(audience)))) {
		return { code: 700212, message: `No matching federated identity record found for presented assertion audience '${audiences.join(', ')}'.` };
	}
	if (issuer !== identities.federationIssuer() || !verifyJwtSignature(decoded, identities.federationSigner.publicKey)) {
		return { code: 700027, message: 'Client assertion failed signature validation. [Reason - The key was not found in the issuer\'s published keys.]' };
	}
	const nowSeconds = Math.floor(context.runtime.clock.nowMs() / 1000);
	if (typeof payload.exp !== 'number' || payload.exp <= nowSeconds) {
		return { code: 700024, message: `Client assertion is not within its valid time range. Current time: ${new Date(nowSeconds * 1000).toISOString()}.` };
	}
	return undefined;
}

function discovery(context: RequestContext): HandlerResult {
	const issuer = identityStateOf(context.runtime).federationIssuer();
	return {
		status: 200,
		body: { issuer, jwks_uri: `${issuer}/keys`, response_types_supported: ['id_token'], subject_types_supported: ['public'], id_token_signing_alg_values_supported: ['RS256'] },
	};
}

function issueForTest(context: RequestContext): HandlerResult {
	let body: { subject?: unknown; audience?: unknown; lifetimeSeconds?: unknown } = {};
	try {
		body = context.rawBody.trim() ? (JSON.parse(context.rawBody) as typeof body) : {};
	} catch {
		return { status: 400, body: { error: { code: 'BadRequest', message: 'Body is not valid JSON' } } };
	}
	const token = identityStateOf(context.runtime).issueFederatedToken({
		subject: typeof body.subject === 'string' ? body.subject : undefined,
		audience: typeof body.audience === 'string' ? body.audience : undefined,
		lifetimeSeconds: typeof body.lifetimeSeconds === 'number' ? body.lifetimeSeconds : undefined,
	});
	return { status: 200, body: { token } };
}

export function registerFederationRoutes(router: Router): void {
	router.add({ method: 'GET', pattern: '/_federation/.well-known/openid-configuration', handler: discovery });
	router.add({ method: 'GET', pattern: '/_federation/keys', handler: (context) => ({ status: 200, body: identityStateOf(context.runtime).federationSigner.jwks() }) });
	// What the tests write into the token file (a cluster would project its service account token there).
	router.add({ method: 'POST', pattern: '/_emulator/federation/token', api: 'admin', handler: issueForTest });
}
