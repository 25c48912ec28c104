import { HOUR, MINUTE } from '../pacing/rateBudget';
import { validateApiBaseUrl, type ApiEndpoint, type CloudSettings, type DefenderEnvironment } from './clouds';
import { APPLICATION_PERMISSIONS, odataErrorDetails, type ApiDescriptor } from './descriptor';

const MDE_GLOBAL_AUDIENCE = 'https://api.securitycenter.microsoft.com';

/** Regional Defender for Endpoint API hosts documented for the global cloud. */
export const MDE_GLOBAL_REGIONS: Record<string, string> = {
	global: 'https://api.security.microsoft.com',
	us: 'https://us.api.security.microsoft.com',
	eu: 'https://eu.api.security.microsoft.com',
	uk: 'https://uk.api.security.microsoft.com',
	au: 'https://au.api.security.microsoft.com',
};

const MDE_GOV: ApiEndpoint = {
	baseUrl: 'https://api-gov.securitycenter.microsoft.us',
	audience: 'https://api-gov.securitycenter.microsoft.us',
};

/** The API's host in each national cloud; Microsoft documents none for the 21Vianet cloud. */
const MDE_HOSTS: Record<Exclude<DefenderEnvironment, 'custom'>, ApiEndpoint | undefined> = {
	global: { baseUrl: MDE_GLOBAL_REGIONS.global, audience: MDE_GLOBAL_AUDIENCE },
	usGovGcc: {
		baseUrl: 'https://api-gcc.securitycenter.microsoft.us',
		audience: 'https://api-gcc.securitycenter.microsoft.us',
	},
	usGovGccHigh: MDE_GOV,
	usGovDod: MDE_GOV,
	china: undefined,
};

function mdeEndpoint(cloud: CloudSettings): ApiEndpoint | undefined {
	const { credentials } = cloud;
	if (cloud.environment === 'custom') {
		if (!credentials.mdeUrl) return undefined;
		const mdeUrl = validateApiBaseUrl('mdeUrl', 'Defender for Endpoint API URL', credentials.mdeUrl);
		return { baseUrl: mdeUrl, audience: mdeUrl };
	}
	const endpoint = MDE_HOSTS[cloud.environment];
	if (cloud.environment === 'global' && endpoint) {
		const region = String(credentials.mdeRegion ?? 'global');
		return { baseUrl: MDE_GLOBAL_REGIONS[region] ?? endpoint.baseUrl, audience: endpoint.audience };
	}
	return endpoint;
}

/** The Microsoft Defender for Endpoint API (WindowsDefenderATP). */
export const defenderForEndpoint: ApiDescriptor = {
	displayName: 'WindowsDefenderATP (Microsoft Defender for Endpoint)',
	endpoint: mdeEndpoint,
	unavailable: {
		field: 'environment',
		message:
			'This environment has no Defender for Endpoint API. Choose another environment, or Custom Endpoints with a Defender for Endpoint API URL.',
	},
	// Links may name the audience's host (api.securitycenter.microsoft.com) rather than the regional one.
	ownsOrigin: (endpoint, origin) => origin === endpoint.baseUrl || origin === new URL(endpoint.audience).origin,
	credentialFields: { mdeUrl: 'Defender for Endpoint API URL' },
	paging: { style: 'nextLink' },
	budgets: {
		default: 'mde',
		// Routes Microsoft documents with limits of their own (each page's "Limitations").
		routes: [
			{ path: /^\/api\/indicators\/import$/i, budget: 'mdeIndicatorImport' },
			{ path: /^\/api\/machineactions\/[^/]+\/getPackageUri$/i, budget: 'mdePackageUri' },
			{ path: /^\/api\/machines\/[^/]+\/vulnerabilities$/i, budget: 'mdeDeviceVulnerabilities' },
			{ path: /^\/api\/machines\/[^/]+\/runliveresponse$/i, budget: 'mdeLiveResponse' },
			{ path: /^\/api\/machines\/[^/]+\/startInvestigation$/i, budget: 'mdeStartInvestigation' },
		],
		limits: {
			mde: {
				limits: [
					{ limit: 100, windowMs: MINUTE },
					{ limit: 1500, windowMs: HOUR },
				],
				maxInFlight: 5,
			},
			mdeIndicatorImport: { limits: [{ limit: 30, windowMs: MINUTE }], maxInFlight: 2 },
			mdePackageUri: {
				limits: [
					{ limit: 2, windowMs: MINUTE },
					{ limit: 120, windowMs: HOUR },
				],
				maxInFlight: 1,
			},
			// defender-endpoint/api/get-discovered-vulnerabilities.md: "50 calls per minute and 1500 calls per hour".
			mdeDeviceVulnerabilities: {
				limits: [
					{ limit: 50, windowMs: MINUTE },
					{ limit: 1500, windowMs: HOUR },
				],
				maxInFlight: 5,
			},
			// defender-endpoint/api/run-live-response.md: "10 calls per minute". Its other limit, 25 sessions
			// running at once, is kept by the live response session gate (pacing/sessionGate.ts).
			mdeLiveResponse: { limits: [{ limit: 10, windowMs: MINUTE }], maxInFlight: 2 },
			// defender-endpoint/api/initiate-autoir-investigation.md: "50 calls per hour".
			mdeStartInvestigation: { limits: [{ limit: 50, windowMs: HOUR }], maxInFlight: 2 },
		},
	},
	errorDetails: odataErrorDetails,
	permissionLocation: APPLICATION_PERMISSIONS,
};
