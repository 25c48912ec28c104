import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { descriptorOf, resolveEndpoints } from '../../transport/apis';
import { credentialsForTenant } from '../../transport/apis/clouds';
import type { DefenderApi } from '../../transport/apis/descriptor';
import { getAccessToken, tenantIdOfToken } from '../../transport/auth/tokenProvider';

/**
 * The application permissions the node's operations need, as Microsoft's page of each endpoint
 * lists them for applications (the README's permission table is the same list). A permission is
 * granted when the token carries it or one of `alsoGrantedBy` (a higher one the page accepts).
 */
export interface PermissionNeed {
	api: DefenderApi;
	permission: string;
	alsoGrantedBy?: string[];
	operations: string[];
}

export const PERMISSION_NEEDS: PermissionNeed[] = [
	{
		api: 'graph',
		permission: 'SecurityIncident.Read.All',
		alsoGrantedBy: ['SecurityIncident.ReadWrite.All'],
		operations: ['Incident Get', 'Incident Get Many', 'Incident Get Evidence', 'Trigger: New / Updated Incident'],
	},
	{ api: 'graph', permission: 'SecurityIncident.ReadWrite.All', operations: ['Incident Update', 'Incident Add Comment'] },
	{
		api: 'graph',
		permission: 'SecurityAlert.Read.All',
		alsoGrantedBy: ['SecurityAlert.ReadWrite.All'],
		operations: ['Alert Get', 'Alert Get Many', 'Trigger: New / Updated Alert'],
	},
	{ api: 'graph', permission: 'SecurityAlert.ReadWrite.All', operations: ['Alert Update', 'Alert Add Comment'] },
	{ api: 'graph', permission: 'ThreatHunting.Read.All', operations: ['Advanced Hunting Run Query'] },
	{
		api: 'graph',
		permission: 'SecurityEvents.Read.All',
		alsoGrantedBy: ['SecurityEvents.ReadWrite.All'],
		operations: ['Score Get Secure Scores', 'Score Get Secure Score Control Profiles'],
	},
	{
		api: 'mde',
		permission: 'Machine.Read.All',
		alsoGrantedBy: ['Machine.ReadWrite.All'],
		operations: [
			'Device Get',
			'Device Get Many',
			'Device Find',
			'Device Get Isolation State',
			'Machine Action Get',
			'Machine Action Get Many',
			'Machine Action Get Investigation Package Download URL',
			'Machine Action Download Investigation Package',
			'Response Action Wait for Completion',
			'Enrichment Enrich File (related devices)',
			'Enrichment Enrich IP Address (related devices)',
			'Enrichment Enrich Domain (related devices)',
		],
	},
	{
		api: 'mde',
		permission: 'Machine.ReadWrite.All',
		operations: ['Device Add Tag', 'Device Remove Tag', 'Device Set Device Value', 'Enrichment Enrich User (related devices)'],
	},
	{ api: 'mde', permission: 'User.Read.All', operations: ['Device Get Logged-On Users'] },
	{
		api: 'mde',
		permission: 'Alert.Read.All',
		alsoGrantedBy: ['Alert.ReadWrite.All'],
		operations: [
			'Device Get Related Alerts',
			'Enrichment Enrich File (related alerts)',
			'Enrichment Enrich IP Address (related alerts)',
			'Enrichment Enrich Domain (related alerts)',
			'Enrichment Enrich User (related alerts)',
			'Investigation Get',
			'Investigation Get Many',
		],
	},
	{ api: 'mde', permission: 'Alert.ReadWrite.All', operations: ['Investigation Start'] },
	{
		api: 'mde',
		permission: 'Software.Read.All',
		operations: [
			'Device Get Software',
			'Device Get Missing KBs',
			'Software Get Many',
			'Software Get Devices',
			'Software Get Version Distribution',
			'Software Get Missing KBs',
			'Recommendation Get Software',
		],
	},
	{
		api: 'mde',
		permission: 'Vulnerability.Read.All',
		operations: [
			'Device Get Vulnerabilities',
			'Vulnerability Get Many',
			'Vulnerability Get Affected Devices',
			'Vulnerability Get Many by Device and Software',
			'Software Get Vulnerabilities',
			'Recommendation Get Vulnerabilities',
		],
	},
	{
		api: 'mde',
		permission: 'SecurityRecommendation.Read.All',
		operations: ['Device Get Security Recommendations', 'Recommendation Get Many', 'Recommendation Get Devices'],
	},
	{ api: 'mde', permission: 'RemediationTasks.Read.All', operations: ['Remediation Activity Get', 'Remediation Activity Get Many'] },
	{
		api: 'mde',
		permission: 'Score.Read.All',
		operations: ['Score Get Exposure Score', 'Score Get Exposure Score by Device Group', 'Score Get Device Secure Score'],
	},
	{ api: 'mde', permission: 'Machine.Isolate', operations: ['Response Action Isolate', 'Response Action Release From Isolation', 'Machine Action Cancel'] },
	{ api: 'mde', permission: 'Machine.Scan', operations: ['Response Action Run Antivirus Scan', 'Machine Action Cancel'] },
	{ api: 'mde', permission: 'Machine.CollectForensics', operations: ['Response Action Collect Investigation Package', 'Machine Action Cancel'] },
	{
		api: 'mde',
		permission: 'Machine.RestrictExecution',
		operations: ['Response Action Restrict App Execution', 'Response Action Remove App Restriction', 'Machine Action Cancel'],
	},
	{ api: 'mde', permission: 'Machine.StopAndQuarantine', operations: ['Response Action Stop and Quarantine File', 'Machine Action Cancel'] },
	{ api: 'mde', permission: 'Machine.Offboard', operations: ['Response Action Offboard', 'Machine Action Cancel'] },
	{
		api: 'mde',
		permission: 'Machine.LiveResponse',
		operations: ['Live Response Get File', 'Live Response Put File', 'Live Response Run Commands', 'Live Response Run Script', 'Machine Action Cancel'],
	},
	{
		api: 'mde',
		permission: 'Library.Manage',
		operations: ['Live Response Library Get Many', 'Live Response Library Upload', 'Live Response Library Delete'],
	},
	{
		api: 'mde',
		permission: 'Ti.ReadWrite.All',
		// Ti.ReadWrite works too, but sees and changes only indicators its own app created.
		alsoGrantedBy: ['Ti.ReadWrite'],
		operations: ['Indicator Create or Update', 'Indicator Get', 'Indicator Get Many', 'Indicator Delete', 'Indicator Import Many'],
	},
	{ api: 'mde', permission: 'File.Read.All', operations: ['Enrichment Enrich File (information and statistics)'] },
	{ api: 'mde', permission: 'Ip.Read.All', operations: ['Enrichment Enrich IP Address (statistics)'] },
	{
		api: 'mde',
		permission: 'URL.Read.All',
		// Role values compare exactly; Microsoft's pages spell this one both ways.
		alsoGrantedBy: ['Url.Read.All'],
		operations: ['Enrichment Enrich Domain (statistics)'],
	},
	{ api: 'graph', permission: 'SecurityIdentitiesAccount.Read.All', operations: ['User Get Identity Accounts', 'User Disable (Active Directory / Okta, finding the account)', 'User Enable (Active Directory / Okta, finding the account)', 'User Force Password Reset (Active Directory, finding the account)', 'User Revoke All Sessions (Okta, finding the account)'] },
	{
		api: 'graph',
		permission: 'SecurityIdentitiesActions.ReadWrite.All',
		operations: ['User Disable (Active Directory / Okta)', 'User Enable (Active Directory / Okta)', 'User Force Password Reset (Active Directory)', 'User Revoke All Sessions (Okta)'],
	},
	{
		api: 'graph',
		permission: 'User.EnableDisableAccount.All',
		alsoGrantedBy: ['User.ReadWrite.All', 'Directory.ReadWrite.All'],
		operations: ['User Disable (Entra ID)', 'User Enable (Entra ID)'],
	},
	{
		api: 'graph',
		permission: 'User-PasswordProfile.ReadWrite.All',
		alsoGrantedBy: ['User.ReadWrite.All', 'Directory.ReadWrite.All'],
		operations: ['User Force Password Reset (Entra ID)'],
	},
	{
		api: 'graph',
		permission: 'User.RevokeSessions.All',
		alsoGrantedBy: ['User.ReadWrite.All', 'Directory.ReadWrite.All'],
		operations: ['User Revoke All Sessions (Entra ID)', 'User Require Sign-In Again'],
	},
	{
		api: 'graph',
		permission: 'User.Read.All',
		alsoGrantedBy: ['User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
		// Entra ID's page pairs User.EnableDisableAccount.All with User.Read.All for accountEnabled.
		operations: ['User Disable (Entra ID)', 'User Enable (Entra ID)', 'User Mark as Compromised (by user principal name)', 'User Dismiss Risk (by user principal name)'],
	},
	{ api: 'graph', permission: 'IdentityRiskyUser.ReadWrite.All', operations: ['User Mark as Compromised', 'User Dismiss Risk'] },
	{
		api: 'graph',
		permission: 'SecurityAnalyzedMessage.Read.All',
		alsoGrantedBy: ['SecurityAnalyzedMessage.ReadWrite.All'],
		operations: ['Email Get', 'Email Get Many'],
	},
	{ api: 'graph', permission: 'SecurityAnalyzedMessage.ReadWrite.All', operations: ['Email Remediate'] },
	{
		api: 'graph',
		permission: 'CustomDetection.Read.All',
		alsoGrantedBy: ['CustomDetection.ReadWrite.All'],
		operations: ['Detection Rule (Preview) Get', 'Detection Rule (Preview) Get Many'],
	},
	{ api: 'graph', permission: 'CustomDetection.ReadWrite.All', operations: ['Detection Rule (Preview) Create', 'Detection Rule (Preview) Update', 'Detection Rule (Preview) Delete'] },
	{
		api: 'graph',
		permission: 'ThreatIntelligence.Read.All',
		operations: [
			'Threat Intelligence Get Host',
			'Threat Intelligence Get Article',
			'Threat Intelligence Get Many Articles',
			'Threat Intelligence Get Intel Profile',
			'Threat Intelligence Get Vulnerability',
		],
	},
	// Microsoft Cloud App Security (api-authentication-application.md, "Supported permission scopes"): the table spells
	// `Investigation.read`, the set-up step `Investigation.Read`, so these compare without case. Files are in no row.
	{
		api: 'cloudApps',
		permission: 'Investigation.read',
		alsoGrantedBy: ['Investigation.manage'],
		operations: [
			'Cloud Apps Alert Get',
			'Cloud Apps Alert Get Many',
			'Cloud Apps Alert Mark as Read',
			'Cloud Apps Alert Mark as Unread',
			'Cloud Apps Activity Get',
			'Cloud Apps Activity Get Many',
			'Cloud Apps Activity Send Feedback',
			'Cloud Apps Entity Get',
			'Cloud Apps Entity Get Many',
			'Cloud Apps Entity Get Tree',
			'Cloud Apps File Get',
			'Cloud Apps File Get Many',
			'Cloud Apps IP Range Get Many',
		],
	},
	{
		api: 'cloudApps',
		permission: 'Investigation.manage',
		operations: ['Cloud Apps Alert Close as Benign', 'Cloud Apps Alert Close as False Positive', 'Cloud Apps Alert Close as True Positive', 'Cloud Apps IP Range Create', 'Cloud Apps IP Range Update', 'Cloud Apps IP Range Delete'],
	},
	{
		api: 'cloudApps',
		permission: 'Discovery.read',
		alsoGrantedBy: ['Discovery.manage'],
		operations: ['Cloud Apps Alert Get', 'Cloud Apps Alert Get Many', 'Cloud Apps Alert Mark as Read', 'Cloud Apps Alert Mark as Unread'],
	},
	{ api: 'cloudApps', permission: 'Discovery.manage', operations: ['Cloud Apps Alert Close as Benign', 'Cloud Apps Alert Close as False Positive', 'Cloud Apps Alert Close as True Positive'] },
	{ api: 'cloudApps', permission: 'Settings.read', alsoGrantedBy: ['Settings.manage'], operations: ['Cloud Apps IP Range Get Many'] },
	{ api: 'cloudApps', permission: 'Settings.manage', operations: ['Cloud Apps IP Range Create', 'Cloud Apps IP Range Update', 'Cloud Apps IP Range Delete'] },
];

/** Cloud Apps permissions are written in two cases on Microsoft's pages; the other APIs' compare exactly. */
function holds(api: DefenderApi, roles: string[], role: string): boolean {
	return api === 'cloudApps' ? roles.some((candidate) => candidate.toLowerCase() === role.toLowerCase()) : roles.includes(role);
}

export const REPORT_API_NAMES: Record<DefenderApi, string> = { graph: 'Graph', graphBeta: 'Graph (beta)', mde: 'Defender for Endpoint', cloudApps: 'Cloud Apps' };

export const CONSENT_DELAY_NOTE =
	'Entra ID writes the permissions into a token when it issues it: after "Grant admin consent", new permissions can take a few minutes to appear; test again then.';

export interface PermissionStatus {
	api: DefenderApi;
	apiName: string;
	permission: string;
	granted: boolean;
	/** The role of the token that grants it, when it is not the permission itself. */
	grantedBy?: string;
	operations: string[];
}

export interface TenantPermissionReport {
	/** The tenant as configured (or overridden). */
	tenant: string;
	/** The tenant id Entra ID wrote into the tokens. */
	tenantId?: string;
	permissions: PermissionStatus[];
	/** Every role the tokens carry, including ones no operation needs. */
	roles: Partial<Record<DefenderApi, string[]>>;
	apis: DefenderApi[];
}

/** The `roles` claim of an access token (application permissions); empty when it has none. */
export function rolesOfToken(token: string): string[] {
	const payload = token.split('.')[1];
	if (!payload) return [];
	try {
		const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { roles?: unknown };
		return Array.isArray(claims.roles) ? claims.roles.filter((role): role is string => typeof role === 'string') : [];
	} catch {
		return [];
	}
}

export function evaluatePermissions(api: DefenderApi, roles: string[]): PermissionStatus[] {
	return PERMISSION_NEEDS.filter((need) => need.api === api).map((need) => {
		const grantedBy = [need.permission, ...(need.alsoGrantedBy ?? [])].find((role) => holds(api, roles, role));
		return {
			api,
			apiName: REPORT_API_NAMES[api],
			permission: need.permission,
			granted: grantedBy !== undefined,
			...(grantedBy !== undefined && grantedBy !== need.permission ? { grantedBy } : {}),
			operations: [...need.operations],
		};
	});
}

/**
 * Gets a fresh token per API of the credential (a cached one may predate a consent change) and
 * reads the roles it carries. Token acquisition errors propagate (TokenAcquisitionError).
 */
export async function checkPermissions(credentials: ICredentialDataDecryptedObject): Promise<TenantPermissionReport> {
	const endpoints = resolveEndpoints(credentials);
	// Cloud Apps only when its API URL is set (a wrong one fails here, naming the field).
	const apis: DefenderApi[] = ['graph', ...(endpoints.mde ? ['mde' as const] : []), ...(descriptorOf('cloudApps').endpoint(endpoints) ? ['cloudApps' as const] : [])];
	const report: TenantPermissionReport = {
		tenant: String(credentials.tenantId ?? ''),
		permissions: [],
		roles: { graph: [], mde: [] },
		apis,
	};
	for (const api of apis) {
		const token = await getAccessToken(credentials, api, { forceRefresh: true });
		report.tenantId ??= tenantIdOfToken(token);
		report.roles[api] = rolesOfToken(token);
		report.permissions.push(...evaluatePermissions(api, report.roles[api]));
	}
	return report;
}

/**
 * One line per API, e.g. "Graph: SecurityIncident.Read.All granted; missing
 * SecurityAlert.ReadWrite.All (Alert Update, Alert Add Comment)."
 */
export function summarizePermissions(report: TenantPermissionReport): string {
	const parts = report.apis.map((api) => {
		const statuses = report.permissions.filter((status) => status.api === api);
		const granted = statuses.filter((status) => status.granted).map((status) => status.permission);
		const missing = statuses.filter((status) => !status.granted);
		const grantedText = granted.length > 0 ? `${granted.join(', ')} granted` : 'no permission of this node granted';
		const missingText = missing.map((status) => `${status.permission} (${status.operations.join(', ')})`).join(', ');
		return `${REPORT_API_NAMES[api]}: ${grantedText}${missing.length > 0 ? `; missing ${missingText}` : ''}.`;
	});
	return parts.join(' ');
}

export function hasMissingPermissions(report: TenantPermissionReport): boolean {
	return report.permissions.some((status) => !status.granted);
}

/** The credential's own tenant first, then each tenant of "Customer Tenants to Test". */
export function tenantsToTest(credentials: ICredentialDataDecryptedObject): ICredentialDataDecryptedObject[] {
	// The field is hidden for a managed identity (one tenant only); a value left from before is ignored.
	if (credentials.authentication === 'managedIdentity') return [credentials];
	const extra = String(credentials.testTenants ?? '')
		.split(/[\s,;]+/)
		.filter((tenant) => tenant !== '');
	const unique = [...new Set(extra.map((tenant) => tenant.toLowerCase()))];
	return [credentials, ...unique.map((tenant) => credentialsForTenant(credentials, tenant, 'testTenants'))].filter(
		(candidate, index, all) => all.findIndex((other) => other.tenantId === candidate.tenantId) === index,
	);
}
