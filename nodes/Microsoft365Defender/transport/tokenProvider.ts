import { ConfidentialClientApplication, type Configuration } from '@azure/msal-node';
import { createHash, createPrivateKey, X509Certificate } from 'node:crypto';
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { processCache } from '../runtime';
import { describeTokenError, type AadErrorDetails } from './aadErrors';
import { MsalNetworkClient } from './msalNetworkClient';
import {
	CredentialConfigurationError,
	endpointFor,
	resolveEndpoints,
	validateClientId,
	type DefenderApi,
	type DefenderEndpoints,
} from './endpoints';

export class TokenAcquisitionError extends Error {
	constructor(readonly details: AadErrorDetails) {
		super(details.message);
		this.name = 'TokenAcquisitionError';
	}
}

type ClientCertificate = NonNullable<Configuration['auth']['clientCertificate']>;

/**
 * One MSAL application per distinct credential, so its in-memory token cache (which renews a
 * token 5 minutes before expiry) serves every item and every execution in this process.
 * Keyed by a hash: the map never holds a secret in its keys.
 */
interface Application {
	msal: ConfidentialClientApplication;
	network: MsalNetworkClient;
}

const applications = processCache<Application>('msalApplications');
/** Concurrent items asking for the same token share one request to Entra ID. */
const pendingTokens = processCache<Promise<string>>('pendingTokens');

function credentialKey(credentials: ICredentialDataDecryptedObject): string {
	const fields = [
		'environment',
		'mdeRegion',
		'tenantId',
		'clientId',
		'authentication',
		'clientSecret',
		'privateKey',
		'certificate',
		'thumbprint',
		'loginHost',
		'graphUrl',
		'mdeUrl',
	];
	const material = fields.map((field) => `${field}=${String(credentials[field] ?? '')}`).join('\n');
	return createHash('sha256').update(material).digest('hex');
}

function normalizeThumbprint(value: string): string {
	return value.replace(/[\s:]/g, '').toLowerCase();
}

function toPkcs8(privateKeyPem: string): string {
	try {
		return createPrivateKey(privateKeyPem).export({ type: 'pkcs8', format: 'pem' }).toString();
	} catch {
		const encrypted = /ENCRYPTED/.test(privateKeyPem);
		throw new CredentialConfigurationError(
			'privateKey',
			encrypted
				? 'The private key is encrypted with a passphrase. Export it without a passphrase (e.g. openssl pkey -in key.pem -out plain.pem).'
				: 'The private key is not a valid PEM private key. Paste the whole key, including the -----BEGIN PRIVATE KEY----- and -----END PRIVATE KEY----- lines.',
		);
	}
}

export function clientCertificateFrom(credentials: ICredentialDataDecryptedObject): ClientCertificate {
	const privateKey = toPkcs8(String(credentials.privateKey ?? ''));
	const certificatePem = String(credentials.certificate ?? '').trim();
	if (certificatePem) {
		let certificate: X509Certificate;
		try {
			certificate = new X509Certificate(certificatePem);
		} catch {
			throw new CredentialConfigurationError(
				'certificate',
				'The certificate is not a valid PEM certificate. Paste the whole certificate, including the -----BEGIN CERTIFICATE----- line.',
			);
		}
		return { thumbprintSha256: normalizeThumbprint(certificate.fingerprint256), privateKey };
	}
	const thumbprint = normalizeThumbprint(String(credentials.thumbprint ?? ''));
	if (/^[0-9a-f]{64}$/.test(thumbprint)) return { thumbprintSha256: thumbprint, privateKey };
	if (/^[0-9a-f]{40}$/.test(thumbprint)) return { thumbprint, privateKey };
	throw new CredentialConfigurationError(
		'thumbprint',
		'Give the certificate (PEM) or its thumbprint: 40 hex characters (SHA-1, as the Entra portal shows it) or 64 (SHA-256).',
	);
}

function authorityMetadataFor(endpoints: DefenderEndpoints): string {
	const { authority } = endpoints;
	return JSON.stringify({
		token_endpoint: endpoints.tokenUrl,
		authorization_endpoint: `${authority}/oauth2/v2.0/authorize`,
		end_session_endpoint: `${authority}/oauth2/v2.0/logout`,
		issuer: `${authority}/v2.0`,
		jwks_uri: `${authority}/discovery/v2.0/keys`,
	});
}

function createApplication(credentials: ICredentialDataDecryptedObject, endpoints: DefenderEndpoints): Application {
	const clientId = validateClientId(credentials.clientId);
	const auth: Configuration['auth'] = { clientId, authority: endpoints.authority };
	if (credentials.authentication === 'certificate') {
		auth.clientCertificate = clientCertificateFrom(credentials);
	} else {
		const clientSecret = String(credentials.clientSecret ?? '');
		if (!clientSecret) {
			throw new CredentialConfigurationError(
				'clientSecret',
				'Client Secret is empty. Paste the secret\'s "Value" from Certificates & secrets in the app registration.',
			);
		}
		auth.clientSecret = clientSecret;
	}
	if (credentials.environment === 'custom') {
		// MSAL has built-in metadata for Microsoft's login hosts only; for any other host it
		// would first call instance discovery on login.microsoftonline.com.
		auth.knownAuthorities = [endpoints.loginHost];
		auth.authorityMetadata = authorityMetadataFor(endpoints);
	}
	const network = new MsalNetworkClient();
	const msal = new ConfidentialClientApplication({
		auth,
		system: {
			networkClient: network,
			loggerOptions: { piiLoggingEnabled: false, loggerCallback: () => {} },
		},
	});
	return { msal, network };
}

function applicationFor(
	credentials: ICredentialDataDecryptedObject,
	endpoints: DefenderEndpoints,
): { key: string; application: Application } {
	const key = credentialKey(credentials);
	return { key, application: applications.getOrCreate(key, () => createApplication(credentials, endpoints)) };
}

export interface TokenRequestOptions {
	/** Skip the cache, e.g. after the API answered 401 to a cached token. */
	forceRefresh?: boolean;
}

export async function getAccessToken(
	credentials: ICredentialDataDecryptedObject,
	api: DefenderApi,
	options: TokenRequestOptions = {},
): Promise<string> {
	const endpoints = resolveEndpoints(credentials);
	const { audience } = endpointFor(endpoints, api);
	const { key, application } = applicationFor(credentials, endpoints);
	const pendingKey = `${key}|${audience}|${options.forceRefresh ? 'refresh' : 'cached'}`;
	const pending = pendingTokens.get(pendingKey);
	if (pending) return await pending;

	const acquisition = (async () => {
		try {
			const result = await application.msal.acquireTokenByClientCredential({
				scopes: [`${audience}/.default`],
				skipCache: options.forceRefresh === true,
			});
			if (!result?.accessToken) {
				throw new TokenAcquisitionError({ message: 'Microsoft Entra ID returned no access token.' });
			}
			return result.accessToken;
		} catch (error) {
			if (error instanceof TokenAcquisitionError) throw error;
			const networkFailure = (error as { errorCode?: string }).errorCode === 'network_error' ? application.network.lastFailure : undefined;
			throw new TokenAcquisitionError(describeTokenError(networkFailure ?? error));
		}
	})();
	pendingTokens.set(pendingKey, acquisition);
	try {
		return await acquisition;
	} finally {
		pendingTokens.delete(pendingKey);
	}
}

/**
 * The tenant id Entra ID wrote into an access token (its `tid` claim), or undefined when the
 * token is not a readable JWT. A tenant configured as a domain and as its GUID is one tenant.
 */
export function tenantIdOfToken(token: string): string | undefined {
	const payload = token.split('.')[1];
	if (!payload) return undefined;
	try {
		const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { tid?: unknown };
		return typeof claims.tid === 'string' && claims.tid ? claims.tid.toLowerCase() : undefined;
	} catch {
		return undefined;
	}
}
