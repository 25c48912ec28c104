import type { RateLimit } from '../pacing/rateBudget';
import type { ApiEndpoint, CloudSettings } from './clouds';

/** The APIs this package talks to; each is described by one module in this folder. */
export type DefenderApi = 'graph' | 'graphBeta' | 'mde' | 'cloudApps';

/** A limit Microsoft counts on its own, and how many calls against it may be in flight at once. */
export interface BudgetDefinition {
	limits: RateLimit[];
	/** Microsoft counts it per app and tenant (the default), or per tenant whichever app calls. */
	per?: 'appAndTenant' | 'tenant';
	/**
	 * Where a tenant throttles below the documented rate, the calls already out when it starts
	 * refusing all get 429: this keeps that number small.
	 */
	maxInFlight: number;
}

/**
 * How the API's lists come in pages:
 * - nextLink: the answer's `value`, and an `@odata.nextLink` URL for the next page (Graph, Defender for Endpoint);
 * - skipHasNext: `skip` and `limit` in the JSON body, the answer's `data` and `hasNext` (Defender for Cloud Apps).
 */
export type Paging = { style: 'nextLink' } | { style: 'skipHasNext'; maxPageSize: number };

/** What an error answer says, as the user sees it. */
export interface ErrorDetails {
	code: string;
	message: string;
	target?: unknown;
}

/**
 * Everything the transport knows about one API. The pipeline and the paging read it and hold
 * no API's particulars themselves, so adding an API is adding a descriptor (and its operations).
 */
export interface ApiDescriptor {
	/** As messages name it. */
	readonly displayName: string;
	/**
	 * Where its requests go and the audience its tokens are for, under this credential; undefined
	 * where the credential's cloud has none. Throws a CredentialConfigurationError naming the
	 * field when the credential sets it wrongly.
	 */
	endpoint(cloud: CloudSettings): ApiEndpoint | undefined;
	/** Said when endpoint() has none: the credential field to fix, and how. */
	readonly unavailable?: { field: string; message: string };
	/** Whether a URL's origin is the API's (a next link, a redirect): the token goes nowhere else. */
	ownsOrigin?(endpoint: ApiEndpoint, origin: string): boolean;
	/** Labels of the credential fields it reads, for errors that name them. */
	readonly credentialFields?: Readonly<Record<string, string>>;
	/** Headers every request to it carries. */
	readonly headers?: Readonly<Record<string, string>>;
	readonly paging: Paging;
	/** Microsoft's limits: every call counts against `default` unless a route has its own. */
	readonly budgets: {
		readonly default: string;
		readonly routes: ReadonlyArray<{ path: RegExp; budget: string }>;
		readonly limits: Readonly<Record<string, BudgetDefinition>>;
	};
	/** Per-item calls may travel in one batch call (Graph's JSON $batch). */
	readonly batch?: {
		readonly path: string;
		/** What a sub-request's URL leaves out: it is relative to the batch's version. */
		readonly versionPrefix: string;
		readonly maxSize: number;
	};
	/** The code and message of an error answer. */
	errorDetails(body: unknown, statusCode: number): ErrorDetails;
	/** Where an application permission of this API is granted, for the hint on a 403. */
	readonly permissionLocation: string;
	/** The hint on a 401, when the API's own is more precise than "check the Environment". */
	readonly unauthorizedHint?: string;
}

/** `{ "error": { "code", "message", "target" } }`, the error body Graph and Defender for Endpoint document. */
export function odataErrorDetails(body: unknown, statusCode: number): ErrorDetails {
	const object = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
	const error = (typeof object.error === 'object' && object.error !== null ? object.error : {}) as Record<string, unknown>;
	return {
		code: typeof error.code === 'string' ? error.code : `HTTP ${statusCode}`,
		message:
			typeof error.message === 'string' && error.message
				? error.message
				: typeof body === 'string' && body
					? body.slice(0, 500)
					: `Request failed with status ${statusCode}`,
		...(error.target ? { target: error.target } : {}),
	};
}

export const APPLICATION_PERMISSIONS = 'under API permissions (Application permissions, not Delegated)';
