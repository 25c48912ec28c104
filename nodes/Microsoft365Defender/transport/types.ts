import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	ILoadOptionsFunctions,
	IPollFunctions,
} from 'n8n-workflow';

import type { DefenderEndpoints } from './apis';
import type { DefenderApi } from './apis/descriptor';

export const CREDENTIAL_TYPE = 'microsoft365DefenderApi';

export type DefenderContext = IExecuteFunctions | ILoadOptionsFunctions | IPollFunctions;

export type QueryValue = string | number | boolean | undefined;

export interface ApiRequest {
	api: DefenderApi;
	method: IHttpRequestMethods;
	/** Path below the API's base URL, built with `apiPath` so ids are encoded. */
	path?: string;
	/** Absolute URL (an @odata.nextLink); must point at the same API. */
	url?: string;
	query?: Record<string, QueryValue>;
	body?: IDataObject | IDataObject[];
	/** A body that is not JSON (a multipart upload), sent as these bytes with this Content-Type. */
	rawBody?: { data: Buffer; contentType: string };
	/** Safe to repeat after a server error; defaults to true for every method but POST. */
	idempotent?: boolean;
	/** Per-item Graph calls that may travel in a JSON $batch with other items' calls. */
	batchable?: boolean;
	/** Application permission the call needs, named in the error when Microsoft answers 403. */
	permission?: string;
	itemIndex?: number;
	/** Ends the request early besides the execution's own cancel signal, e.g. a wait's deadline. */
	signal?: AbortSignal;
	/**
	 * Clean-up after Stop (cancelling what the execution started): sent although the execution's
	 * cancel signal has fired, so only `signal`, which must then carry its own deadline, ends it.
	 */
	outlivesExecution?: boolean;
	/** Sees the headers of the successful answer, e.g. the Location of a 202 Accepted. */
	onResponseHeaders?: (headers: RawResponse['headers']) => void;
}

export interface RawResponse {
	statusCode: number;
	headers: Record<string, string | string[] | undefined>;
	body: unknown;
}

export interface Connection {
	credentials: ICredentialDataDecryptedObject;
	endpoints: DefenderEndpoints;
}

export function isIdempotent(request: ApiRequest): boolean {
	return request.idempotent ?? request.method !== 'POST';
}

export function headerValue(headers: RawResponse['headers'], name: string): string | undefined {
	const value = headers[name] ?? headers[name.toLowerCase()];
	return Array.isArray(value) ? value[0] : value;
}
