import { headerValue, type RawResponse } from '../types';
import { parseResponseBody } from './jsonBody';
import type { Outcome, PipelineRequest } from './policy';

const REQUEST_TIMEOUT_MS = 300_000;

/** The end of the pipeline: one HTTP exchange through n8n's request helper, never throwing. */
export async function httpExchange(pipelineRequest: PipelineRequest): Promise<Outcome> {
	const { context, request, descriptor } = pipelineRequest;
	try {
		const response = (await context.helpers.httpRequest({
			method: request.method,
			url: pipelineRequest.url,
			headers: {
				Authorization: `Bearer ${pipelineRequest.token}`,
				Accept: 'application/json',
				...descriptor.headers,
				...(request.rawBody ? { 'Content-Type': request.rawBody.contentType } : request.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
			},
			body: request.rawBody?.data ?? request.body,
			// The raw bytes: parseResponseBody decides how to parse them (see jsonBody.ts).
			encoding: 'arraybuffer',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			// A redirect is looked at by the host check policy, before any token goes to its target.
			disableFollowRedirect: true,
			sendCredentialsOnCrossOriginRedirect: false,
			abortSignal: pipelineRequest.signal,
			timeout: REQUEST_TIMEOUT_MS,
		})) as RawResponse;
		response.body = parseResponseBody(response.body, headerValue(response.headers, 'content-type'));
		return { response };
	} catch (failure) {
		return { failure };
	}
}
