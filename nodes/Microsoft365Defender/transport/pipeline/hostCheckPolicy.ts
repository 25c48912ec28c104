import type { JsonObject, NodeApiError } from 'n8n-workflow';

import { isUrlOf } from '../apis';
import { apiError } from '../errors';
import { headerValue, type RawResponse } from '../types';
import { resolveRequestUrl } from '../url';
import type { PipelinePolicy, PipelineRequest } from './policy';

/**
 * The token goes only to the API's own host: the URL is resolved and checked before anything is
 * sent (a path stays below the API, a next link stays on it), and a redirect is followed only to
 * the same API, for a GET, a few times; any other redirect is refused without sending the token.
 */

const MAX_SAME_API_REDIRECTS = 3;

function isRedirect(status: number): boolean {
	return status >= 300 && status < 400 && status !== 304;
}

function redirectTarget(location: string | undefined, from: string): string | undefined {
	if (!location) return undefined;
	try {
		return new URL(location, from).toString();
	} catch {
		return undefined;
	}
}

function redirectError(request: PipelineRequest, response: RawResponse, target: string): NodeApiError {
	let shown = target;
	try {
		const url = new URL(target);
		// The query of a redirect may carry a signature; the origin and path say where it points.
		shown = `${url.origin}${url.pathname}`;
	} catch {
		// An unparsable Location is shown as given.
	}
	return apiError(
		request.context.getNode(),
		{ code: 'Redirect', message: `Redirect to ${shown}` } as JsonObject,
		{
			message: `${request.descriptor.displayName} answered ${response.statusCode} with a redirect to ${shown}; it was not followed, so the access token was not sent there.`,
			description:
				'The node only sends its token to the credential\'s API hosts. A proxy or gateway between n8n and Microsoft that redirects requests (for example to a sign-in page) must let them through; with Custom Endpoints, check the URLs in the credential.',
			httpCode: String(response.statusCode),
			itemIndex: request.request.itemIndex,
		},
	);
}

export const hostCheckPolicy: PipelinePolicy = {
	name: 'hostCheck',
	async send(request, next) {
		const { endpoints } = request.connection;
		request.url = resolveRequestUrl(endpoints, request.request);
		for (let redirects = 0; ; redirects++) {
			const outcome = await next(request);
			const { response } = outcome;
			if (!response || !isRedirect(response.statusCode)) return outcome;
			const target = redirectTarget(headerValue(response.headers, 'location'), request.url);
			if (
				target === undefined ||
				!isUrlOf(endpoints, request.request.api, target) ||
				request.request.method !== 'GET' ||
				redirects >= MAX_SAME_API_REDIRECTS
			) {
				throw redirectError(request, response, target ?? '(no valid Location header)');
			}
			request.url = target;
		}
	},
};
