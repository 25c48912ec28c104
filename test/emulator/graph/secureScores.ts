import { addRoutePermissions, requiredRolesFor, routePermissions } from '../auth/permissions';
import { graphTimestamp } from '../runtime';
import type { RequestContext, Router } from '../server';
import { listCollection } from './common';
import type { EntitySchema } from './odata';

/**
 * Microsoft Secure Score in Graph v1.0 (microsoftgraph/microsoft-graph-docs-contrib,
 * api-reference/v1.0/api/security-list-securescores.md and security-list-securescorecontrolprofiles.md,
 * resources/securescore.md, resources/securescorecontrolprofile.md): $filter, $top, $skip, $count;
 * SecurityEvents.Read.All or SecurityEvents.ReadWrite.All. One score per day for the last 180 days.
 */

const SECURE_SCORE_ROLES = ['SecurityEvents.Read.All', 'SecurityEvents.ReadWrite.All'];
const SCORES_PATH = '/v1.0/security/secureScores';
const PROFILES_PATH = '/v1.0/security/secureScoreControlProfiles';
const HISTORY_DAYS = 180;
const DAY_MS = 86_400_000;
/** Graph documents no $top maximum for these collections; pages without $top hold this many. */
const PAGE_SIZE = 100;

const SCORE_SCHEMA: EntitySchema = {
	typeName: 'microsoft.graph.secureScore',
	properties: {
		id: { type: 'string', filterable: true },
		azureTenantId: { type: 'string', filterable: true },
		createdDateTime: { type: 'datetime', filterable: true, sortable: true },
		currentScore: { type: 'number', filterable: true, sortable: true },
		maxScore: { type: 'number', filterable: true },
	},
};

const PROFILE_SCHEMA: EntitySchema = {
	typeName: 'microsoft.graph.secureScoreControlProfile',
	properties: {
		id: { type: 'string', filterable: true },
		controlCategory: { type: 'string', filterable: true },
		service: { type: 'string', filterable: true },
		title: { type: 'string', filterable: true },
		maxScore: { type: 'number', filterable: true, sortable: true },
		rank: { type: 'number', filterable: true, sortable: true },
		deprecated: { type: 'boolean', filterable: true },
	},
};

const CONTROLS = [
	{ id: 'AdminMFAV2', category: 'Identity', service: 'AzureAD', title: 'Ensure multifactor authentication is enabled for all users in administrative roles', maxScore: 10, earned: 10 },
	{ id: 'MFARegistrationV2', category: 'Identity', service: 'AzureAD', title: 'Ensure multifactor authentication is enabled for all users', maxScore: 9, earned: 6 },
	{ id: 'BlockLegacyAuthentication', category: 'Identity', service: 'AzureAD', title: 'Enable Conditional Access policies to block legacy authentication', maxScore: 8, earned: 8 },
	{ id: 'mdatp_ASR_BlockOfficeChildProcess', category: 'Device', service: 'MDATP', title: 'Block all Office applications from creating child processes', maxScore: 9, earned: 4 },
	{ id: 'mdatp_EnableTamperProtection', category: 'Device', service: 'MDATP', title: 'Turn on Tamper Protection', maxScore: 7, earned: 7 },
	{ id: 'mdatp_UpdateDefenderDefinitions', category: 'Device', service: 'MDATP', title: 'Update Microsoft Defender Antivirus definitions', maxScore: 8, earned: 6 },
	{ id: 'DLPEnabled', category: 'Data', service: 'MIP', title: 'Create a DLP policy', maxScore: 10, earned: 0 },
	{ id: 'mdo_safeattachments', category: 'Apps', service: 'MDO', title: 'Turn on Safe Attachments in block mode', maxScore: 8, earned: 8 },
];

function tenantOf(context: RequestContext): string {
	return String(context.principal?.tid ?? '');
}

function secureScores(context: RequestContext): Record<string, unknown>[] {
	const tenant = tenantOf(context);
	const today = Math.floor(context.runtime.clock.nowMs() / DAY_MS) * DAY_MS;
	const maxScore = CONTROLS.reduce((sum, control) => sum + control.maxScore, 0);
	const earned = CONTROLS.reduce((sum, control) => sum + control.earned, 0);
	return Array.from({ length: HISTORY_DAYS }, (_, daysAgo) => {
		const createdMs = today - daysAgo * DAY_MS;
		// The score climbed by a point every ten days to today's.
		const currentScore = Math.max(0, earned - Math.floor(daysAgo / 10));
		return {
			id: `${tenant}_${new Date(createdMs).toISOString().slice(0, 10)}`,
			azureTenantId: tenant,
			activeUserCount: context.runtime.store.users.length,
			createdDateTime: graphTimestamp(createdMs),
			currentScore,
			enabledServices: ['HasExchange', 'HasSharePoint', 'HasOD4B', 'HasMDATP'],
			licensedUserCount: context.runtime.store.users.length,
			maxScore,
			averageComparativeScores: [
				{ basis: 'AllTenants', averageScore: 38.5 },
				{ basis: 'TotalSeats', averageScore: 41.2 },
			],
			controlScores: CONTROLS.map((control) => ({
				controlCategory: control.category,
				controlName: control.id,
				description: control.title,
				score: control.earned,
			})),
			vendorInformation: { provider: 'SecureScore', providerVersion: null, subProvider: null, vendor: 'Microsoft' },
		};
	});
}

function controlProfiles(context: RequestContext): Record<string, unknown>[] {
	const tenant = tenantOf(context);
	return CONTROLS.map((control, index) => ({
		id: control.id,
		azureTenantId: tenant,
		actionType: 'Config',
		actionUrl: 'https://security.microsoft.com/securescore',
		controlCategory: control.category,
		title: control.title,
		complianceInformation: [],
		controlStateUpdates: [],
		deprecated: false,
		implementationCost: index % 2 === 0 ? 'Low' : 'Moderate',
		lastModifiedDateTime: null,
		maxScore: control.maxScore,
		rank: index + 1,
		remediation: `Go to the ${control.service} portal and turn on "${control.title}".`,
		remediationImpact: 'Users may be asked to sign in again.',
		service: control.service,
		threats: ['AccountBreach'],
		tier: 'Core',
		userImpact: index % 3 === 0 ? 'Moderate' : 'Low',
		vendorInformation: { provider: 'SecureScore', providerVersion: null, subProvider: null, vendor: 'Microsoft' },
	}));
}

export function registerSecureScoreRoutes(router: Router): void {
	for (const pattern of [SCORES_PATH, PROFILES_PATH]) {
		if (!routePermissions.some((entry) => entry.api === 'graph' && entry.method === 'GET' && entry.pattern === pattern)) {
			addRoutePermissions([{ api: 'graph', method: 'GET', pattern, anyOf: SECURE_SCORE_ROLES }]);
		}
	}
	router.add({
		method: 'GET',
		pattern: SCORES_PATH,
		bucket: 'graph',
		requiredRoles: requiredRolesFor('graph', 'GET', SCORES_PATH),
		handler: (context) =>
			listCollection({
				context,
				items: secureScores(context),
				schema: SCORE_SCHEMA,
				resourcePath: 'security/secureScores',
				maxTop: Number.MAX_SAFE_INTEGER,
				defaultPageSize: PAGE_SIZE,
				defaultOrder: [{ property: 'createdDateTime', descending: true, schema: SCORE_SCHEMA.properties.createdDateTime }],
				tieBreaker: (a, b) => String(a.id).localeCompare(String(b.id)),
				allowedExpand: [],
				serialize: (item) => item,
			}),
	});
	router.add({
		method: 'GET',
		pattern: PROFILES_PATH,
		bucket: 'graph',
		requiredRoles: requiredRolesFor('graph', 'GET', PROFILES_PATH),
		handler: (context) =>
			listCollection({
				context,
				items: controlProfiles(context),
				schema: PROFILE_SCHEMA,
				resourcePath: 'security/secureScoreControlProfiles',
				maxTop: Number.MAX_SAFE_INTEGER,
				defaultPageSize: PAGE_SIZE,
				defaultOrder: [{ property: 'rank', descending: false, schema: PROFILE_SCHEMA.properties.rank }],
				tieBreaker: (a, b) => String(a.id).localeCompare(String(b.id)),
				allowedExpand: [],
				serialize: (item) => item,
			}),
	});
}
