import { randomUUID } from 'node:crypto';

/** The one place that shapes error bodies exactly as Microsoft's services do. */

export interface ErrorResponse {
	status: number;
	body: unknown;
	headers?: Record<string, string>;
}

/** Thrown by handlers and layers; the server turns it into the HTTP response. */
export class HttpResponseError extends Error {
	constructor(readonly response: ErrorResponse) {
		super(`HTTP ${response.status}`);
	}
}

export interface AadErrorOptions {
	status: number;
	error: string;
	code: number;
	message: string;
	now: Date;
	correlationId?: string;
	loginUrl?: string;
}

/** Entra timestamps look like `2024-01-02 10:11:12Z`. */
function aadTimestamp(now: Date): string {
	return now.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

export function aadError(options: AadErrorOptions): ErrorResponse {
	const traceId = randomUUID();
	const correlationId = options.correlationId ?? randomUUID();
	const timestamp = aadTimestamp(options.now);
	const description =
		`AADSTS${options.code}: ${options.message}\r\n` +
		`Trace ID: ${traceId}\r\n` +
		`Correlation ID: ${correlationId}\r\n` +
		`Timestamp: ${timestamp}`;
	return {
		status: options.status,
		body: {
			error: options.error,
			error_description: description,
			error_codes: [options.code],
			timestamp,
			trace_id: traceId,
			correlation_id: correlationId,
			error_uri: `${options.loginUrl ?? 'https://login.microsoftonline.com'}/error?code=${options.code}`,
		},
	};
}

export interface GraphErrorMeta {
	now: Date;
	requestId?: string;
	clientRequestId?: string;
}

/** Graph timestamps in innerError.date are second precision without fraction. */
function graphInnerDate(now: Date): string {
	return now.toISOString().replace(/\.\d+Z$/, '');
}

export function graphError(status: number, code: string, message: string, meta: GraphErrorMeta): ErrorResponse {
	const requestId = meta.requestId ?? randomUUID();
	return {
		status,
		body: {
			error: {
				code,
				message,
				innerError: {
					date: graphInnerDate(meta.now),
					'request-id': requestId,
					'client-request-id': meta.clientRequestId ?? requestId,
				},
			},
		},
	};
}

/**
 * Defender for Cloud Apps: no page documents an error body (api-introduction.md and every api-*.md page), so clients
 * can only key on the status. The emulator answers with the `detail` shape of Django REST framework, the framework
 * the API's trailing slashes and action routes (`retrieve_tree/`, `update_rule/`) point to; it is our assumption.
 */
export function cloudAppsError(status: number, message: string): ErrorResponse {
	return { status, body: { detail: message } };
}

export function mdeError(status: number, code: string, message: string, target?: string): ErrorResponse {
	return {
		status,
		body: {
			error: {
				code,
				message,
				target: target ?? randomUUID(),
			},
		},
	};
}
