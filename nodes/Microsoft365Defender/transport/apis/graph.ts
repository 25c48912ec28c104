import { MINUTE } from '../pacing/rateBudget';
import { validateApiBaseUrl, type ApiEndpoint, type CloudSettings, type DefenderEnvironment } from './clouds';
import { APPLICATION_PERMISSIONS, odataErrorDetails, type ApiDescriptor } from './descriptor';

/** Microsoft Graph's host in each national cloud (the token audience is the same URL). */
const GRAPH_HOSTS: Record<Exclude<DefenderEnvironment, 'custom'>, string> = {
	global: 'https://graph.microsoft.com',
	usGovGcc: 'https://graph.microsoft.com',
	usGovGccHigh: 'https://graph.microsoft.us',
	usGovDod: 'https://dod-graph.microsoft.us',
	china: 'https://microsoftgraph.chinacloudapi.cn',
};

export function graphEndpoint(cloud: CloudSettings): ApiEndpoint {
	const baseUrl =
		cloud.environment === 'custom'
			? validateApiBaseUrl('graphUrl', 'Graph URL', cloud.credentials.graphUrl)
			: GRAPH_HOSTS[cloud.environment];
	return { baseUrl, audience: baseUrl };
}

/**
 * Graph's security enums are evolvable: members Microsoft lists after `unknownFutureValue`
 * (incident status awaitingAction, alert serviceSource microsoftDefenderForCloud and the newer
 * detectionSource members) are returned as `unknownFutureValue`, and refused in $filter and
 * bodies, unless the request opts in with this header. Graph ignores it where no enum is evolvable.
 * https://learn.microsoft.com/graph/best-practices-concept#handling-future-members-in-evolvable-enumerations
 * A $batch sub-request needs it in its own headers (batch.ts).
 */
const GRAPH_PREFER: Readonly<Record<string, string>> = { Prefer: 'include-unknown-enum-members' };

/**
 * Microsoft Graph v1.0. Its limits are per app and tenant across versions, so Graph beta
 * (graphBeta.ts) counts against the same budgets.
 */
export const graph: ApiDescriptor = {
	displayName: 'Microsoft Graph',
	endpoint: graphEndpoint,
	credentialFields: { graphUrl: 'Graph URL' },
	headers: GRAPH_PREFER,
	paging: { style: 'nextLink' },
	budgets: {
		default: 'graph',
		routes: [{ path: /^\/(v1\.0|beta)\/security\/runHuntingQuery$/i, budget: 'hunting' }],
		limits: {
			// Per-item calls travel 20 to a $batch: room for two batches.
			graph: { limits: [{ limit: 150, windowMs: MINUTE }], maxInFlight: 40 },
			hunting: { limits: [{ limit: 45, windowMs: MINUTE }], maxInFlight: 5 },
		},
	},
	batch: { path: '/v1.0/$batch', versionPrefix: '/v1.0', maxSize: 20 },
	errorDetails: odataErrorDetails,
	permissionLocation: APPLICATION_PERMISSIONS,
};
