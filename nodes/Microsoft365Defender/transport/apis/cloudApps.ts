import { MINUTE } from '../pacing/rateBudget';
import {
	CredentialConfigurationError,
	isLoopbackHost,
	type ApiEndpoint,
	type CloudSettings,
	type DefenderEnvironment,
} from './clouds';
import { odataErrorDetails, type ApiDescriptor, type ErrorDetails } from './descriptor';

/**
 * Microsoft Defender for Cloud Apps' REST API (CloudAppSecurityDocs/api-introduction.md): a host
 * per tenant, found in the Defender portal under Settings -> Cloud Apps -> System -> About
 * ("API URL", e.g. https://mytenant.us2.portal.cloudappsecurity.com/api), requests below /api.
 */

/**
 * The app id of "Microsoft Cloud App Security", the resource its tokens are for; the v2 scope is
 * `<id>/.default` (api-authentication-application.md). No identifier URI is documented.
 */
export const CLOUD_APPS_AUDIENCE = '05a65629-4c1b-48c1-a78b-804c4abdd4af';

const FIELD = 'cloudAppsUrl';
const TENANT_LABEL = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';

/**
 * The documented host forms per cloud (network-requirements.md; release-notes.md "February 2025";
 * editions-cloud-app-security-gcc.md): `<tenant>.<data center>.portal.cloudappsecurity.com` for the
 * commercial data centers US1 (us), US2, US3, EU1 (eu) and EU2; `.us1.portal.cloudappsecuritygov.com`
 * for GCC; `.us1.portal.cloudappsecurity.us` for GCC High. None is documented for DoD or 21Vianet.
 */
const HOST_FORMS: Partial<Record<DefenderEnvironment, { pattern: RegExp; example: string }>> = {
	global: {
		pattern: new RegExp(`^${TENANT_LABEL}\\.(?:us|us2|us3|eu|eu2)\\.portal\\.cloudappsecurity\\.com$`),
		example: 'https://mytenant.us2.portal.cloudappsecurity.com/api',
	},
	usGovGcc: {
		pattern: new RegExp(`^${TENANT_LABEL}\\.us1\\.portal\\.cloudappsecuritygov\\.com$`),
		example: 'https://mytenant.us1.portal.cloudappsecuritygov.com/api',
	},
	usGovGccHigh: {
		pattern: new RegExp(`^${TENANT_LABEL}\\.us1\\.portal\\.cloudappsecurity\\.us$`),
		example: 'https://mytenant.us1.portal.cloudappsecurity.us/api',
	},
};

const WHERE = 'Copy the "API URL" from the Defender portal: Settings -> Cloud Apps -> System -> About.';

function refuse(message: string): never {
	throw new CredentialConfigurationError(FIELD, `${message} ${WHERE}`);
}

/**
 * The tenant's Cloud Apps origin from the credential's Cloud Apps API URL, as the portal shows it
 * (with or without the trailing /api). Only a documented host form of the credential's cloud is
 * taken (any https host, or http on localhost, with Custom Endpoints), so the token never goes
 * to a host the user mistyped or was handed.
 */
export function cloudAppsOrigin(environment: DefenderEnvironment, value: unknown): string | undefined {
	const raw = String(value ?? '').trim();
	if (raw === '') return undefined;
	const form = HOST_FORMS[environment];
	if (environment !== 'custom' && !form) {
		refuse('Microsoft documents no Defender for Cloud Apps API for this Environment; leave Cloud Apps API URL empty, or choose Custom Endpoints.');
	}
	let url: URL;
	try {
		url = new URL(raw);
	} catch {
		return refuse(`Cloud Apps API URL "${raw.slice(0, 120)}" is not a URL; expected e.g. ${form?.example ?? 'https://cloudapps.example.com/api'}.`);
	}
	const insecureAllowed = environment === 'custom' && url.protocol === 'http:' && isLoopbackHost(url.hostname);
	if (url.protocol !== 'https:' && !insecureAllowed) refuse('Cloud Apps API URL must use https://.');
	if (url.username || url.password || url.search || url.hash || !/^\/(?:api\/?)?$/.test(url.pathname)) {
		refuse(`Cloud Apps API URL must be the tenant's URL, optionally followed by /api, without any other path, query or user name; e.g. ${form?.example ?? 'https://cloudapps.example.com/api'}.`);
	}
	if (form && (url.port !== '' || !form.pattern.test(url.hostname))) {
		refuse(`Cloud Apps API URL host "${url.host}" is not a Defender for Cloud Apps tenant host of this Environment; expected e.g. ${form.example}.`);
	}
	return url.origin;
}

const STATUS_MESSAGES: Record<number, string> = {
	400: 'Defender for Cloud Apps refused the request (a filter, field or value it does not take)',
	401: 'Defender for Cloud Apps refused the access token',
	403: 'The app has no permission for this Defender for Cloud Apps call',
	404: 'Defender for Cloud Apps found nothing at that id',
	429: 'Defender for Cloud Apps is throttling this tenant (it allows 30 requests a minute)',
};

/**
 * Microsoft documents no error body for this API (api-introduction.md): the status decides, and
 * whatever text the answer carries (`detail`, `error`, `message`, or the body itself) is shown.
 */
function cloudAppsErrorDetails(body: unknown, statusCode: number): ErrorDetails {
	const object = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
	if (typeof object.error === 'object' && object.error !== null) return odataErrorDetails(body, statusCode);
	const text = [object.detail, object.error, object.message, body].find(
		(candidate): candidate is string => typeof candidate === 'string' && candidate.trim() !== '',
	);
	return {
		code: `HTTP ${statusCode}`,
		message: text?.slice(0, 500) ?? STATUS_MESSAGES[statusCode] ?? `Request failed with status ${statusCode}`,
	};
}

function cloudAppsEndpoint(cloud: CloudSettings): ApiEndpoint | undefined {
	const origin = cloudAppsOrigin(cloud.environment, cloud.credentials.cloudAppsUrl);
	return origin === undefined ? undefined : { baseUrl: origin, audience: CLOUD_APPS_AUDIENCE };
}

export const cloudApps: ApiDescriptor = {
	displayName: 'Microsoft Defender for Cloud Apps',
	endpoint: cloudAppsEndpoint,
	unavailable: {
		field: FIELD,
		message: `Cloud Apps API URL is empty: Defender for Cloud Apps calls need the tenant's own API URL. ${WHERE}`,
	},
	credentialFields: { [FIELD]: 'Cloud Apps API URL' },
	// api-introduction.md: "limit" at most 100 items a call; lists answer { total, hasNext, data }.
	paging: { style: 'skipHasNext', maxPageSize: 100 },
	budgets: {
		default: 'cloudApps',
		routes: [],
		// api-introduction.md: "30 requests per minute per tenant".
		limits: { cloudApps: { limits: [{ limit: 30, windowMs: MINUTE }], maxInFlight: 5, per: 'tenant' } },
	},
	errorDetails: cloudAppsErrorDetails,
	permissionLocation:
		'under API permissions -> Add a permission -> APIs my organization uses, typing "Microsoft Cloud App Security" (it is not listed until typed), as an Application permission',
	unauthorizedHint:
		'Defender for Cloud Apps rejected the access token. Check that the credential\'s Environment matches the tenant\'s cloud and that its Cloud Apps API URL is this tenant\'s (Settings -> Cloud Apps -> System -> About).',
};
