import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

export type DefenderEnvironment =
	| 'global'
	| 'usGovGcc'
	| 'usGovGccHigh'
	| 'usGovDod'
	| 'china'
	| 'custom';

export type DefenderAuthentication = 'clientSecret' | 'certificate' | 'managedIdentity' | 'workloadIdentity';

export type ManagedIdentityType = 'systemAssigned' | 'userAssignedClientId' | 'userAssignedResourceId' | 'userAssignedObjectId';

export interface DefenderCredentials {
	environment: DefenderEnvironment;
	tenantId: string;
	clientId: string;
	authentication: DefenderAuthentication;
	clientSecret?: string;
	privateKey?: string;
	privateKeyPassphrase?: string;
	managedIdentityType?: ManagedIdentityType;
	managedIdentityId?: string;
	workloadIdentityFile?: string;
	testTenants?: string;
	certificate?: string;
	thumbprint?: string;
	mdeRegion?: string;
	loginHost?: string;
	graphUrl?: string;
	mdeUrl?: string;
	cloudAppsUrl?: string;
}

export interface ApiEndpoint {
	/** Origin requests go to, without a trailing slash. */
	baseUrl: string;
	/** Resource whose `/.default` scope the token is requested for. */
	audience: string;
}

/** What every API of a credential shares: its cloud, where tokens come from, and the credential itself. */
export interface Cloud {
	environment: DefenderEnvironment;
	loginHost: string;
	authority: string;
	tokenUrl: string;
	credentials: ICredentialDataDecryptedObject;
}

export class CredentialConfigurationError extends Error {
	constructor(
		readonly field: string,
		message: string,
	) {
		super(message);
		this.name = 'CredentialConfigurationError';
	}
}

/** What an API's host depends on: the credential and its cloud. */
export type CloudSettings = Pick<Cloud, 'environment' | 'credentials'>;

/** Entra ID's sign-in host of each national cloud. */
const LOGIN_HOSTS: Record<Exclude<DefenderEnvironment, 'custom'>, string> = {
	global: 'login.microsoftonline.com',
	usGovGcc: 'login.microsoftonline.com',
	usGovGccHigh: 'login.microsoftonline.us',
	usGovDod: 'login.microsoftonline.us',
	china: 'login.chinacloudapi.cn',
};

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DOMAIN =
	/^(?=.{4,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/i;
const HOST_AND_PORT =
	/^(?:localhost|[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*|\d{1,3}(?:\.\d{1,3}){3}|\[[0-9a-f:]+\])(?::\d{1,5})?$/i;
const MULTI_TENANT_ALIASES = ['common', 'organizations', 'consumers'];

/** One of Microsoft's national clouds (not Custom Endpoints). */
export function isMicrosoftCloud(environment: string): environment is Exclude<DefenderEnvironment, 'custom'> {
	return Object.hasOwn(LOGIN_HOSTS, environment);
}

export function validateTenantId(value: unknown): string {
	const tenant = String(value ?? '').trim();
	if (tenant === '') {
		throw new CredentialConfigurationError(
			'tenantId',
			'Tenant ID is empty. Copy the "Directory (tenant) ID" from the app registration\'s Overview page in the Microsoft Entra admin center.',
		);
	}
	if (MULTI_TENANT_ALIASES.includes(tenant.toLowerCase())) {
		throw new CredentialConfigurationError(
			'tenantId',
			`Tenant ID "${tenant}" is a multi-tenant alias, which the client credentials flow does not accept. Use your own tenant: the "Directory (tenant) ID" GUID or a verified domain such as contoso.onmicrosoft.com.`,
		);
	}
	if (!GUID.test(tenant) && !DOMAIN.test(tenant)) {
		throw new CredentialConfigurationError(
			'tenantId',
			'Tenant ID must be a GUID (the "Directory (tenant) ID", e.g. 72f988bf-86f1-41af-91ab-2d7cd011db47) or a verified domain such as contoso.onmicrosoft.com.',
		);
	}
	return tenant;
}

export function validateClientId(value: unknown): string {
	const clientId = String(value ?? '').trim();
	if (!GUID.test(clientId)) {
		throw new CredentialConfigurationError(
			'clientId',
			'Client ID must be the "Application (client) ID" GUID from the app registration\'s Overview page, e.g. 00001111-aaaa-2222-bbbb-3333cccc4444.',
		);
	}
	return clientId;
}

export function isLoopbackHost(hostname: string): boolean {
	return (
		hostname === 'localhost' ||
		hostname === '[::1]' ||
		hostname === '::1' ||
		/^127(?:\.\d{1,3}){3}$/.test(hostname)
	);
}

function validateLoginHost(value: unknown): string {
	const host = String(value ?? '')
		.trim()
		.replace(/^https:\/\//i, '')
		.replace(/\/+$/, '');
	if (!HOST_AND_PORT.test(host)) {
		throw new CredentialConfigurationError(
			'loginHost',
			'Login Host must be a host name with an optional port, e.g. login.microsoftonline.com, without a path or tenant.',
		);
	}
	return host.toLowerCase();
}

export function validateApiBaseUrl(field: string, label: string, value: unknown): string {
	const raw = String(value ?? '').trim();
	let url: URL;
	try {
		url = new URL(raw);
	} catch {
		throw new CredentialConfigurationError(
			field,
			`${label} must be a full URL such as https://graph.microsoft.com.`,
		);
	}
	const insecureAllowed = url.protocol === 'http:' && isLoopbackHost(url.hostname);
	if (url.protocol !== 'https:' && !insecureAllowed) {
		throw new CredentialConfigurationError(
			field,
			`${label} must use https:// (plain http is only accepted for localhost, for local testing).`,
		);
	}
	if (url.username || url.password || url.search || url.hash || url.pathname !== '/') {
		throw new CredentialConfigurationError(
			field,
			`${label} must be just the scheme and host, e.g. https://graph.microsoft.com, without a path, query or user name.`,
		);
	}
	return url.origin;
}

/** The credential's cloud, its tenant checked first. Each API's own host is its descriptor's business (apis/index.ts). */
export function resolveCloud(credentials: ICredentialDataDecryptedObject): Cloud {
	const environment = (credentials.environment ?? 'global') as DefenderEnvironment;
	const tenantId = validateTenantId(credentials.tenantId);
	let loginHost: string;
	if (environment === 'custom') {
		loginHost = validateLoginHost(credentials.loginHost);
	} else {
		if (!LOGIN_HOSTS[environment]) {
			throw new CredentialConfigurationError(
				'environment',
				`Unknown environment "${String(environment)}". Choose one of the listed clouds or Custom Endpoints.`,
			);
		}
		loginHost = LOGIN_HOSTS[environment];
	}
	const authority = `https://${loginHost}/${encodeURIComponent(tenantId)}`;
	return { environment, loginHost, authority, tokenUrl: `${authority}/oauth2/v2.0/token`, credentials };
}

/**
 * The credential as it applies to another tenant (a multi-tenant app consented in a customer's
 * tenant). The tenant is part of every cache key built from the credential, so tokens, MSAL
 * caches, the canonical tenant and rate budgets of each tenant stay apart.
 */
export function credentialsForTenant(
	credentials: ICredentialDataDecryptedObject,
	tenant: string,
	field = 'tenant',
): ICredentialDataDecryptedObject {
	const wanted = tenant.trim();
	if (wanted === '' || wanted.toLowerCase() === String(credentials.tenantId ?? '').trim().toLowerCase()) return credentials;
	if (credentials.authentication === 'managedIdentity') {
		throw new CredentialConfigurationError(
			field,
			'A managed identity only gets tokens in its own tenant, so the Tenant option cannot change it. Use a multi-tenant app registration (client secret, certificate or workload identity federation) to work in other tenants.',
		);
	}
	try {
		return { ...credentials, tenantId: validateTenantId(wanted) };
	} catch (error) {
		if (error instanceof CredentialConfigurationError) throw new CredentialConfigurationError(field, error.message.replace(/^Tenant ID/, 'Tenant'));
		throw error;
	}
}
