import {
	ConfidentialClientApplication,
	ManagedIdentityApplication,
	type AuthenticationResult,
	type Configuration,
	type ManagedIdentityIdParams,
} from '@azure/msal-node';
import { createHash, createPrivateKey, X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { processCache } from '../../runtime';
import { endpointFor, resolveEndpoints, type DefenderEndpoints } from '../apis';
import type { DefenderApi } from '../apis/descriptor';
import { describeTokenError, type AadErrorDetails } from './aadErrors';
import { assertHostIdentityAllowed, hostIdentityOf } from './hostIdentity';
import { MsalNetworkClient } from './msalNetworkClient';
import {
	CredentialConfigurationError,
	validateClientId,
	type ManagedIdentityType,
} from '../apis/clouds';
import { isServerTokenFile, readCredentialTokenFile } from './tokenFile';

export class TokenAcquisitionError extends Error {
	constructor(readonly details: AadErrorDetails) {
		super(details.message);
		this.name = 'TokenAcquisitionError';
	}
}

type ClientCertificate = NonNullable<Configuration['auth']['clientCertificate']>;

/**
 * One MSAL application per distinct credential and tenant, so its in-memory token cache (which
 * renews a token 5 minutes before expiry) serves every item and every execution in this process.
 * Keyed by a hash: the map never holds a secret in its keys.
 */
interface Application {
	acquire(audience: string, forceRefresh: boolean): Promise<AuthenticationResult | null>;
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
		'privateKeyPassphrase',
		'certificate',
		'thumbprint',
		'managedIdentityType',
		'managedIdentityId',
		'workloadIdentityFile',
		'loginHost',
		'graphUrl',
		'mdeUrl',
	];
	const material = fields.map((field) => `${field}=${String(credentials[field] ?? '')}`).join('\n');
	return createHash('sha256').update(material).digest('hex');
}

/**
 * Who Microsoft counts the rate limits against: the app's client id, or for a managed identity
 * (whose client id the credential may not know) the identity as configured.
 */
export function applicationIdOf(credentials: ICredentialDataDecryptedObject): string {
	if (credentials.authentication !== 'managedIdentity') return String(credentials.clientId ?? '');
	return `managed-identity:${String(credentials.managedIdentityType ?? 'systemAssigned')}:${String(credentials.managedIdentityId ?? '')}`;
}

function normalizeThumbprint(value: string): string {
	return value.replace(/[\s:]/g, '').toLowerCase();
}

function toPkcs8(privateKeyPem: string, passphrase: string): string {
	const encrypted = /ENCRYPTED/.test(privateKeyPem);
	if (encrypted && !passphrase) {
		throw new CredentialConfigurationError(
			'privateKeyPassphrase',
			'The private key is encrypted. Enter its passphrase in Private Key Passphrase.',
		);
	}
	try {
		// Decrypted in memory only: MSAL signs the assertion with the plain key.
		return createPrivateKey({ key: privateKeyPem, format: 'pem', ...(encrypted ? { passphrase } : {}) })
			.export({ type: 'pkcs8', format: 'pem' })
			.toString();
	} catch {
		throw new CredentialConfigurationError(
			encrypted ? 'privateKeyPassphrase' : 'privateKey',
			encrypted
				? 'The private key could not be decrypted: the Private Key Passphrase is wrong, or the key uses an encryption Node.js does not support (use PKCS#8, e.g. openssl pkcs8 -topk8 -v2 aes-256-cbc).'
				: 'The private key is not a valid PEM private key. Paste the whole key, including the -----BEGIN PRIVATE KEY----- and -----END PRIVATE KEY----- lines.',
		);
	}
}

export function clientCertificateFrom(credentials: ICredentialDataDecryptedObject): ClientCertificate {
	const privateKey = toPkcs8(String(credentials.privateKey ?? ''), String(credentials.privateKeyPassphrase ?? ''));
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

const SILENT_LOGGER = { piiLoggingEnabled: false, loggerCallback: () => {} };

const MANAGED_IDENTITY_ID_PARAMS: Record<Exclude<ManagedIdentityType, 'systemAssigned'>, keyof ManagedIdentityIdParams> = {
	userAssignedClientId: 'userAssignedClientId',
	userAssignedResourceId: 'userAssignedResourceId',
	userAssignedObjectId: 'userAssignedObjectId',
};

function managedIdentityIdParams(credentials: ICredentialDataDecryptedObject): ManagedIdentityIdParams {
	const type = String(credentials.managedIdentityType ?? 'systemAssigned') as ManagedIdentityType;
	if (type === 'systemAssigned') return {};
	const param = MANAGED_IDENTITY_ID_PARAMS[type];
	if (!param) {
		throw new CredentialConfigurationError('managedIdentityType', `Unknown managed identity type "${type}". Choose System-Assigned or one of the User-Assigned options.`);
	}
	const id = String(credentials.managedIdentityId ?? '').trim();
	if (!id) {
		throw new CredentialConfigurationError(
			'managedIdentityId',
			'Identity ID is empty. Copy the user-assigned identity\'s Client ID, Resource ID or Object (principal) ID from its Overview page in the Azure portal, matching the Identity Type.',
		);
	}
	return { [param]: id };
}

/**
 * Managed identity through msal-node: it picks the source (App Service / Functions, Service
 * Fabric, Machine Learning, Cloud Shell, Azure Arc, else the VM metadata endpoint) from the
 * environment Azure sets on the process; no endpoint comes from the credential.
 */
function createManagedIdentityApplication(credentials: ICredentialDataDecryptedObject): Application {
	const network = new MsalNetworkClient({ managedIdentity: true });
	const msal = new ManagedIdentityApplication({
		managedIdentityIdParams: managedIdentityIdParams(credentials),
		system: { networkClient: network, loggerOptions: SILENT_LOGGER },
	});
	return {
		network,
		acquire: async (audience, forceRefresh) => await msal.acquireToken({ resource: audience, forceRefresh }),
	};
}

const MANAGED_IDENTITY_HINT =
	'Managed identity: n8n must run on an Azure resource with a managed identity turned on (App Service / Functions / Container Apps set IDENTITY_ENDPOINT and IDENTITY_HEADER; a VM answers on 169.254.169.254), a user-assigned identity must be assigned to that resource, and the identity needs the application permissions (granted with PowerShell or Graph, as the README shows).';

/** The token the server's environment names (AKS workload identity sets AZURE_FEDERATED_TOKEN_FILE): the administrator's file, read as is. */
async function readServerFederatedToken(): Promise<string> {
	const file = String(process.env.AZURE_FEDERATED_TOKEN_FILE ?? '').trim();
	if (!file) {
		throw new CredentialConfigurationError(
			'workloadIdentityFile',
			'No federated token file: fill in Federated Token File, or set the AZURE_FEDERATED_TOKEN_FILE environment variable on n8n (AKS workload identity sets it in pods whose service account is labelled azure.workload.identity/use: "true").',
		);
	}
	let content: string;
	try {
		content = (await readFile(file, 'utf8')).trim();
	} catch (error) {
		const code = (error as { code?: string }).code ?? 'read error';
		throw new TokenAcquisitionError({
			error: code,
			message: `The federated token file named by AZURE_FEDERATED_TOKEN_FILE could not be read (${code}).`,
			hint: 'Check that the n8n process may read it; on AKS, check the pod has workload identity enabled.',
		});
	}
	if (!COMPACT_JWT.test(content)) {
		throw new TokenAcquisitionError({
			error: 'invalid_federated_token',
			message: 'The federated token file named by AZURE_FEDERATED_TOKEN_FILE does not hold a JWT.',
		});
	}
	return content;
}

const COMPACT_JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/**
 * Read for every token request, because the issuer rotates the file (AKS: about every hour).
 * A file the credential names goes through n8n's file rules; if it is the server's own token
 * file, the administrator's switch decides as for an empty field.
 */
function federatedAssertion(credentials: ICredentialDataDecryptedObject): () => Promise<string> {
	const named = String(credentials.workloadIdentityFile ?? '').trim();
	if (!named) return readServerFederatedToken;
	return async () => {
		const { token, realPath } = await readCredentialTokenFile(named);
		if (await isServerTokenFile(realPath)) {
			assertHostIdentityAllowed('Workload Identity Federation with the server\'s AZURE_FEDERATED_TOKEN_FILE', 'workloadIdentityFile', credentials);
		}
		return token;
	};
}

function createConfidentialApplication(credentials: ICredentialDataDecryptedObject, endpoints: DefenderEndpoints): Application {
	const clientId = validateClientId(credentials.clientId);
	const auth: Configuration['auth'] = { clientId, authority: endpoints.authority };
	if (credentials.authentication === 'certificate') {
		auth.clientCertificate = clientCertificateFrom(credentials);
	} else if (credentials.authentication === 'workloadIdentity') {
		auth.clientAssertion = federatedAssertion(credentials);
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
		system: { networkClient: network, loggerOptions: SILENT_LOGGER },
	});
	return {
		network,
		acquire: async (audience, forceRefresh) =>
			await msal.acquireTokenByClientCredential({ scopes: [`${audience}/.default`], skipCache: forceRefresh }),
	};
}

function createApplication(credentials: ICredentialDataDecryptedObject, endpoints: DefenderEndpoints): Application {
	return credentials.authentication === 'managedIdentity'
		? createManagedIdentityApplication(credentials)
		: createConfidentialApplication(credentials, endpoints);
}

function applicationFor(
	credentials: ICredentialDataDecryptedObject,
	endpoints: DefenderEndpoints,
): { key: string; application: Application } {
	const key = credentialKey(credentials);
	return { key, application: applications.getOrCreate(key, () => createApplication(credentials, endpoints)) };
}

/**
 * Before anything is read or sent: the server's identity needs the administrator's switch and a
 * Microsoft cloud, and a token file's content never goes to a login host the credential chose.
 */
function guardCredentialHosts(credentials: ICredentialDataDecryptedObject, audience: string): void {
	const hostIdentity = hostIdentityOf(credentials);
	if (hostIdentity) {
		assertHostIdentityAllowed(hostIdentity, credentials.authentication === 'managedIdentity' ? 'authentication' : 'workloadIdentityFile', credentials, audience);
		return;
	}
	if (credentials.authentication === 'workloadIdentity' && credentials.environment === 'custom') {
		throw new CredentialConfigurationError(
			'environment',
			'Workload Identity Federation sends the token file\'s content to the login host, so it works only with Microsoft\'s clouds: choose yours in Environment instead of Custom Endpoints.',
		);
	}
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
	guardCredentialHosts(credentials, audience);
	const { key, application } = applicationFor(credentials, endpoints);
	const pendingKey = `${key}|${audience}|${options.forceRefresh ? 'refresh' : 'cached'}`;
	const pending = pendingTokens.get(pendingKey);
	if (pending) return await pending;

	const acquisition = (async () => {
		try {
			const result = await application.acquire(audience, options.forceRefresh === true);
			if (!result?.accessToken) {
				throw new TokenAcquisitionError({ message: 'Microsoft Entra ID returned no access token.' });
			}
			return result.accessToken;
		} catch (error) {
			if (error instanceof TokenAcquisitionError || error instanceof CredentialConfigurationError) throw error;
			const networkFailure = (error as { errorCode?: string }).errorCode === 'network_error' ? application.network.lastFailure : undefined;
			const details = describeTokenError(networkFailure ?? error);
			throw new TokenAcquisitionError(
				credentials.authentication === 'managedIdentity' && details.code === undefined ? { ...details, hint: MANAGED_IDENTITY_HINT } : details,
			);
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
