import { getAccessToken } from '../auth/tokenProvider';
import { throwIfCancelled, unlessCancelled } from '../cancellation';
import type { PipelinePolicy } from './policy';

/** Each attempt carries a token for the API's audience: the cached one, or a new one after a 401. */
export const tokenPolicy: PipelinePolicy = {
	name: 'token',
	async send(request, next) {
		const forceRefresh = request.renewToken === true;
		request.token = await unlessCancelled(getAccessToken(request.connection.credentials, request.request.api, { forceRefresh }), request.signal);
		request.renewToken = false;
		throwIfCancelled(request.signal);
		return await next(request);
	},
};
