import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { cloudApps } from './cloudApps';
import { CredentialConfigurationError, isMicrosoftCloud, resolveCloud, type ApiEndpoint, type Cloud } from './clouds';
import { defenderForEndpoint } from './defenderForEndpoint';
import type { ApiDescriptor, DefenderApi } from './descriptor';
import { graph, graphEndpoint } from './graph';
import { graphBeta } from './graphBeta';

/** Every API the package talks to, each described in its own module; the first that owns a URL is its API. */
export const API_DESCRIPTORS: Readonly<Record<DefenderApi, ApiDescriptor>> = {
	graph,
	graphBeta,
	mde: defenderForEndpoint,
	cloudApps,
};

export function descriptorOf(api: DefenderApi): ApiDescriptor {
	const descriptor = API_DESCRIPTORS[api];
	if (!descriptor) throw new Error(`Unknown API "${String(api)}".`);
	return descriptor;
}

/**
 * The credential's cloud with its Graph and Defender for Endpoint hosts, checked once: these two
 * are checked when the credential is read, other APIs' hosts when a request goes to them.
 */
export interface DefenderEndpoints extends Cloud {
	graph: ApiEndpoint;
	mde?: ApiEndpoint;
}

export function resolveEndpoints(credentials: ICredentialDataDecryptedObject): DefenderEndpoints {
	const cloud = resolveCloud(credentials);
	return { ...cloud, graph: graphEndpoint(cloud), mde: defenderForEndpoint.endpoint(cloud) };
}

/** The API's host and token audience under this credential, or an error naming the field to fix. */
export function endpointFor(endpoints: DefenderEndpoints, api: DefenderApi): ApiEndpoint {
	const descriptor = descriptorOf(api);
	const endpoint = descriptor.endpoint(endpoints);
	if (!endpoint) {
		const { field, message } = descriptor.unavailable ?? { field: 'environment', message: `This environment has no ${descriptor.displayName}.` };
		throw new CredentialConfigurationError(field, message);
	}
	return endpoint;
}

function owns(descriptor: ApiDescriptor, endpoint: ApiEndpoint, origin: string): boolean {
	return descriptor.ownsOrigin ? descriptor.ownsOrigin(endpoint, origin) : origin === endpoint.baseUrl;
}

/** Whether a URL belongs to the API, i.e. whether its token may be sent there. */
export function isUrlOf(endpoints: DefenderEndpoints, api: DefenderApi, url: string): boolean {
	let origin: string;
	try {
		origin = new URL(url).origin;
	} catch {
		return false;
	}
	let endpoint: ApiEndpoint;
	try {
		endpoint = endpointFor(endpoints, api);
	} catch {
		return false;
	}
	return owns(descriptorOf(api), endpoint, origin);
}

/** Which of the credential's APIs a URL belongs to; undefined for any other host. */
export function apiForUrl(endpoints: DefenderEndpoints, url: string): DefenderApi | undefined {
	return (Object.keys(API_DESCRIPTORS) as DefenderApi[]).find((api) => isUrlOf(endpoints, api, url));
}

/**
 * The audiences of a Microsoft cloud's Graph and Defender for Endpoint APIs, for a credential set
 * to one of Microsoft's clouds; undefined for Custom Endpoints.
 */
export function microsoftAudiencesOf(credentials: ICredentialDataDecryptedObject): string[] | undefined {
	const environment = String(credentials.environment ?? 'global');
	if (!isMicrosoftCloud(environment)) return undefined;
	const cloud = { environment, credentials };
	const mde = defenderForEndpoint.endpoint(cloud);
	return [graphEndpoint(cloud).audience, ...(mde ? [mde.audience] : [])];
}

/** Labels of the credential fields the APIs read, for errors that name them. */
export function apiCredentialFieldLabels(): Record<string, string> {
	return Object.assign({}, ...Object.values(API_DESCRIPTORS).map((descriptor) => descriptor.credentialFields ?? {}));
}
