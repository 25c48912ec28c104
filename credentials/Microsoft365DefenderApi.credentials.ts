import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import { apiForUrl, resolveEndpoints } from '../nodes/Microsoft365Defender/transport/apis';
import { getAccessToken, TokenAcquisitionError } from '../nodes/Microsoft365Defender/transport/auth/tokenProvider';

const tokenUrlNotice = (loginHost: string, environments: string[]): INodeProperties => ({
	displayName: `Tokens are requested from https://${loginHost}/&lt;Tenant ID&gt;/oauth2/v2.0/token with the client credentials flow. Register an app in Microsoft Entra ID, give it the application permissions listed in this package's README and grant admin consent.`,
	name: `tokenUrlNotice_${environments.join('_')}`,
	type: 'notice',
	default: '',
	displayOptions: { show: { environment: environments } },
});

export class Microsoft365DefenderApi implements ICredentialType {
	name = 'microsoft365DefenderApi';

	displayName = 'Microsoft 365 Defender API';

	icon: Icon = {
		light: 'file:../nodes/Microsoft365Defender/microsoft365Defender.svg',
		dark: 'file:../nodes/Microsoft365Defender/microsoft365Defender.dark.svg',
	};

	documentationUrl = 'https://github.com/n8n-nodes-microsoft-365-defender/n8n-nodes-microsoft-365-defender#azure-app-registration';

	properties: INodeProperties[] = [
		{
			displayName: 'Environment',
			name: 'environment',
			type: 'options',
			options: [
				{ name: 'China (21Vianet)', value: 'china' },
				{ name: 'Custom Endpoints', value: 'custom' },
				{ name: 'Global (Commercial)', value: 'global' },
				{ name: 'US Government DoD', value: 'usGovDod' },
				{ name: 'US Government GCC', value: 'usGovGcc' },
				{ name: 'US Government GCC High', value: 'usGovGccHigh' },
			],
			default: 'global',
		},
		tokenUrlNotice('login.microsoftonline.com', ['global', 'usGovGcc']),
		tokenUrlNotice('login.microsoftonline.us', ['usGovGccHigh', 'usGovDod']),
		tokenUrlNotice('login.chinacloudapi.cn', ['china']),
		tokenUrlNotice('&lt;Login Host&gt;', ['custom']),
		{
			displayName: 'Defender for Endpoint API Region',
			name: 'mdeRegion',
			type: 'options',
			options: [
				{ name: 'Australia (au.api.security.microsoft.com)', value: 'au' },
				{ name: 'Europe (eu.api.security.microsoft.com)', value: 'eu' },
				{ name: 'Global (api.security.microsoft.com)', value: 'global' },
				{ name: 'United Kingdom (uk.api.security.microsoft.com)', value: 'uk' },
				{ name: 'United States (us.api.security.microsoft.com)', value: 'us' },
			],
			default: 'global',
			description: 'The regional host is closer to your tenant\'s data; the global one works for every tenant',
			displayOptions: { show: { environment: ['global'] } },
		},
		{
			displayName: 'Login Host',
			name: 'loginHost',
			type: 'string',
			default: '',
			placeholder: 'login.microsoftonline.com',
			description: 'Host (and port) of the Entra ID token endpoint, without https:// or tenant',
			required: true,
			displayOptions: { show: { environment: ['custom'] } },
		},
		{
			displayName: 'Graph URL',
			name: 'graphUrl',
			type: 'string',
			default: '',
			placeholder: 'https://graph.microsoft.com',
			description: 'Base URL of Microsoft Graph; https only (http is accepted for localhost)',
			required: true,
			displayOptions: { show: { environment: ['custom'] } },
		},
		{
			displayName: 'Defender for Endpoint API URL',
			name: 'mdeUrl',
			type: 'string',
			default: '',
			placeholder: 'https://api.security.microsoft.com',
			description: 'Base URL of the Defender for Endpoint API; https only (http is accepted for localhost)',
			displayOptions: { show: { environment: ['custom'] } },
		},
		{
			displayName: 'Cloud Apps API URL',
			name: 'cloudAppsUrl',
			type: 'string',
			default: '',
			placeholder: 'https://mytenant.us2.portal.cloudappsecurity.com/api',
			description: 'Only for Defender for Cloud Apps: the tenant\'s "API URL" from the Defender portal, Settings → Cloud Apps → System → About. Its token is sent to this host only.',
			// Microsoft documents no Cloud Apps API host for these clouds.
			displayOptions: { hide: { environment: ['china', 'usGovDod'] } },
		},
		{
			displayName: 'Tenant ID',
			name: 'tenantId',
			type: 'string',
			default: '',
			placeholder: '72f988bf-86f1-41af-91ab-2d7cd011db47',
			description: 'The "Directory (tenant) ID" of your tenant, or a verified domain such as contoso.onmicrosoft.com. For a multi-tenant app, the tenant used unless a node\'s Tenant option names another.',
			required: true,
		},
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			placeholder: '00001111-aaaa-2222-bbbb-3333cccc4444',
			description: 'The "Application (client) ID" of the app registration',
			required: true,
			displayOptions: { hide: { authentication: ['managedIdentity'] } },
		},
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'options',
			options: [
				{ name: 'Certificate', value: 'certificate', description: 'A certificate uploaded to the app registration, and its private key' },
				{ name: 'Client Secret', value: 'clientSecret', description: 'A secret created under Certificates & secrets' },
				{
					name: 'Managed Identity',
					value: 'managedIdentity',
					description: 'The Azure managed identity of the machine, App Service or container n8n runs on; only when the n8n administrator sets N8N_DEFENDER_SYSTEM_IDENTITY_ACCESS_ENABLED=true, and only with a Microsoft cloud',
				},
				{
					name: 'Workload Identity Federation',
					value: 'workloadIdentity',
					description: 'A token from a trusted issuer (AKS workload identity, GitHub, ...) read from a file, instead of a secret',
				},
			],
			default: 'clientSecret',
		},
		{
			displayName: 'Identity Type',
			name: 'managedIdentityType',
			type: 'options',
			options: [
				{ name: 'System-Assigned', value: 'systemAssigned' },
				{ name: 'User-Assigned, by Client ID', value: 'userAssignedClientId' },
				{ name: 'User-Assigned, by Object (Principal) ID', value: 'userAssignedObjectId' },
				{ name: 'User-Assigned, by Resource ID', value: 'userAssignedResourceId' },
			],
			default: 'systemAssigned',
			description: 'The msal-node library finds the identity endpoint from the environment Azure sets on n8n (App Service, Functions, Container Apps, Azure Arc, Cloud Shell, Service Fabric, else the VM metadata service)',
			displayOptions: { show: { authentication: ['managedIdentity'] } },
		},
		{
			displayName: 'Identity ID',
			name: 'managedIdentityId',
			type: 'string',
			default: '',
			placeholder: '/subscriptions/…/resourceGroups/…/providers/Microsoft.ManagedIdentity/userAssignedIdentities/n8n',
			description: 'The user-assigned identity\'s Client ID, Object (principal) ID or Resource ID, as chosen in Identity Type',
			required: true,
			displayOptions: { show: { authentication: ['managedIdentity'], managedIdentityType: ['userAssignedClientId', 'userAssignedObjectId', 'userAssignedResourceId'] } },
		},
		{
			displayName: 'Federated Token File',
			name: 'workloadIdentityFile',
			type: 'string',
			default: '',
			placeholder: '/var/run/secrets/azure/tokens/azure-identity-token',
			description: 'Path of the file holding the federated token (a JWT), read again for every token request because it rotates. It must lie in a folder n8n lets workflows read (N8N_RESTRICT_FILE_ACCESS_TO, by default ~/.n8n-files), with no symbolic link in its path. Empty: the server\'s AZURE_FEDERATED_TOKEN_FILE (AKS workload identity), only when the n8n administrator sets N8N_DEFENDER_SYSTEM_IDENTITY_ACCESS_ENABLED=true. Works only with a Microsoft cloud, not Custom Endpoints.',
			displayOptions: { show: { authentication: ['workloadIdentity'] } },
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'The secret\'s "Value" from Certificates & secrets (not its "Secret ID")',
			required: true,
			displayOptions: { show: { authentication: ['clientSecret'] } },
		},
		{
			displayName: 'Private Key',
			name: 'privateKey',
			type: 'string',
			typeOptions: { password: true, rows: 5 },
			default: '',
			placeholder: '-----BEGIN PRIVATE KEY-----',
			description: 'PEM private key of the certificate uploaded to the app registration (plain, or encrypted with a passphrase)',
			required: true,
			displayOptions: { show: { authentication: ['certificate'] } },
		},
		{
			displayName: 'Private Key Passphrase',
			name: 'privateKeyPassphrase',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'Only for an encrypted private key (-----BEGIN ENCRYPTED PRIVATE KEY-----): its passphrase',
			displayOptions: { show: { authentication: ['certificate'] } },
		},
		{
			displayName: 'Certificate',
			name: 'certificate',
			type: 'string',
			typeOptions: { password: true, rows: 5 },
			default: '',
			placeholder: '-----BEGIN CERTIFICATE-----',
			description: 'PEM certificate (public part). Leave empty to give its thumbprint instead.',
			displayOptions: { show: { authentication: ['certificate'] } },
		},
		{
			displayName: 'Certificate Thumbprint',
			name: 'thumbprint',
			type: 'string',
			default: '',
			description: 'Thumbprint shown under Certificates & secrets (SHA-1, 40 hex characters) or a SHA-256 one; only needed when no certificate is given',
			displayOptions: { show: { authentication: ['certificate'] } },
		},
		{
			displayName: 'Customer Tenants to Test',
			name: 'testTenants',
			type: 'string',
			default: '',
			placeholder: 'fabrikam.onmicrosoft.com, 0e3f5c3a-1111-4222-8333-944445555666',
			description: 'Multi-tenant app (MSSP): other tenants, comma-separated, that the credential Test also checks (tokens and permissions in each). Nodes pick a tenant with their Tenant option.',
			displayOptions: { hide: { authentication: ['managedIdentity'] } },
		},
		{
			displayName: 'Client-Side Rate Limits',
			name: 'rateLimits',
			type: 'options',
			options: [
				{
					name: 'Microsoft\'s Documented Limits',
					value: 'documented',
					description: 'Graph security 150 calls/min, advanced hunting 45/min, Defender for Endpoint 100/min and 1,500/hour, per app and tenant',
				},
				{
					name: 'None',
					value: 'off',
					description: 'Only wait when the API answers 429 (for test endpoints without limits)',
				},
			],
			default: 'documented',
			description: 'Whether the nodes pace their calls to stay within Microsoft\'s limits, shared by every workflow using this app in this n8n process',
		},
	];

	/**
	 * Lets n8n's HTTP Request node use this credential. The token's audience follows the
	 * request's host, and no token is attached to a host that is not one of this credential's APIs.
	 * With the server's identity those are always the chosen Microsoft cloud's hosts: the token
	 * provider refuses Custom Endpoints for it.
	 */
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const legacyUri = (requestOptions as IHttpRequestOptions & { uri?: string }).uri;
		const target = requestOptions.url
			? new URL(requestOptions.url, requestOptions.baseURL || undefined).toString()
			: String(legacyUri ?? '');
		const endpoints = resolveEndpoints(credentials);
		const api = apiForUrl(endpoints, target);
		if (!api) {
			const allowed = [endpoints.graph.baseUrl, endpoints.mde?.baseUrl].filter(Boolean).join(' or ');
			throw new Error(
				`The Microsoft 365 Defender credential only sends its token to ${allowed}; refusing to send it to ${safeOrigin(target)}.`,
			);
		}
		let token: string;
		try {
			token = await getAccessToken(credentials, api);
		} catch (error) {
			if (error instanceof TokenAcquisitionError && error.details.hint) {
				throw new Error(`${error.message} ${error.details.hint}`);
			}
			throw error;
		}
		requestOptions.headers = { ...(requestOptions.headers ?? {}), Authorization: `Bearer ${token}` };
		// n8n re-adds credentials on every redirect hop unless told not to; the token is for this host only.
		requestOptions.sendCredentialsOnCrossOriginRedirect = false;
		return requestOptions;
	}
}

function safeOrigin(url: string): string {
	try {
		return new URL(url).origin;
	} catch {
		return 'an invalid URL';
	}
}
