import type { ApiDescriptor } from '../apis/descriptor';
import type { ApiRequest, Connection, DefenderContext, RawResponse } from '../types';

/** One request on its way down the pipeline; policies fill in what the ones below need. */
export interface PipelineRequest {
	readonly context: DefenderContext;
	readonly connection: Connection;
	readonly request: ApiRequest;
	readonly descriptor: ApiDescriptor;
	/** Takes a rate-budget turn before each attempt (false for the $batch envelope: its sub-requests took theirs). */
	readonly paced: boolean;
	/** The execution's cancel signal joined with the request's own (cancellation policy). */
	signal?: AbortSignal;
	/** Where the next attempt goes (host check policy; a followed redirect changes it). */
	url: string;
	/** The next attempt asks Entra ID for a new token instead of the cached one (retry policy, after a 401). */
	renewToken?: boolean;
	/** The bearer token of this attempt (token policy). */
	token?: string;
}

/** What one exchange gave: Microsoft's answer, or why none came. */
export interface Outcome {
	response?: RawResponse;
	failure?: unknown;
}

export type SendNext = (request: PipelineRequest) => Promise<Outcome>;

/** One concern of sending a request; it passes the request on with `next` (once, several times, or not at all). */
export interface PipelinePolicy {
	readonly name: string;
	send(request: PipelineRequest, next: SendNext): Promise<Outcome>;
}
