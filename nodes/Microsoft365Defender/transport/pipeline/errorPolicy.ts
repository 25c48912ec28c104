import type { JsonObject, NodeApiError } from 'n8n-workflow';

import { descriptorOf, endpointFor } from '../apis';
import { apiError } from '../errors';
import { isIdempotent, type ApiRequest, type DefenderContext, type RawResponse } from '../types';
import type { PipelinePolicy } from './policy';

/**
 * The outermost policy: an answer that is not a success becomes the NodeApiError users see, with
 * Microsoft's code and message as the API's descriptor reads them and a hint for what to do.
 */

function hintFor(status: number, request: ApiRequest, microsoftCode?: string): string | undefined {
	const descriptor = descriptorOf(request.api);
	if (status === 403) {
		const permission = request.permission ? ` "${request.permission}"` : '';
		return `The app registration lacks the application permission${permission} for ${descriptor.displayName}. Add it ${descriptor.permissionLocation}, then click "Grant admin consent".`;
	}
	if (status === 401) {
		return descriptor.unauthorizedHint ?? 'The API rejected the access token. Check the credential\'s Environment matches the tenant\'s cloud.';
	}
	if (status === 404) return 'Nothing was found at that id. Check the id and that it belongs to this tenant.';
	if (status === 429) {
		return 'Microsoft kept throttling this app after several waits. Lower the number of items per run or run the workflow less often.';
	}
	if (status === 400 && microsoftCode) return 'Microsoft rejected the request. The message above says which value is wrong.';
	return undefined;
}

export function apiErrorFrom(this: DefenderContext, response: RawResponse, request: ApiRequest): NodeApiError {
	const { code, message, target } = descriptorOf(request.api).errorDetails(response.body, response.statusCode);
	return apiError(
		this.getNode(),
		{ code, message, ...(target ? { target } : {}) } as unknown as JsonObject,
		{
			message: `${code}: ${message}`,
			description: hintFor(response.statusCode, request, code),
			httpCode: String(response.statusCode),
			itemIndex: request.itemIndex,
		},
	);
}

export function networkErrorCode(error: unknown): string | undefined {
	const candidate = error as { code?: string; cause?: { code?: string } };
	return candidate?.code ?? candidate?.cause?.code;
}

function unreachable(this: DefenderContext, request: ApiRequest, baseUrl: string, failure: unknown): NodeApiError {
	const code = networkErrorCode(failure) ?? 'NETWORK_ERROR';
	return apiError(this.getNode(), { code, message: `Could not reach ${baseUrl} (${code})` } as JsonObject, {
		message: `Could not reach ${descriptorOf(request.api).displayName} at ${baseUrl} (${code})`,
		description: isIdempotent(request)
			? 'The connection kept failing. Check the network and any proxy between n8n and Microsoft.'
			: 'The connection failed and the request was not repeated, because it may already have been applied. Check the result in the Defender portal before running it again.',
		itemIndex: request.itemIndex,
	});
}

export const errorPolicy: PipelinePolicy = {
	name: 'errors',
	async send(request, next) {
		const outcome = await next(request);
		const { response } = outcome;
		if (response && response.statusCode < 400) return outcome;
		if (response) throw apiErrorFrom.call(request.context, response, request.request);
		throw unreachable.call(request.context, request.request, endpointFor(request.connection.endpoints, request.request.api).baseUrl, outcome.failure);
	},
};
