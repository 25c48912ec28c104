/** Shared runtime pieces (clock, request log) used by servers, handlers and the admin API. */

export type ApiName = 'token' | 'graph' | 'mde' | 'cloudApps' | 'admin';

/** Throttling/fault buckets. Each route belongs to exactly one: runHuntingQuery is 'hunting', not 'graph'. */
export type LimitBucket = 'token' | 'graph' | 'hunting' | 'mde' | 'cloudApps';

export const LIMIT_BUCKETS: readonly LimitBucket[] = ['token', 'graph', 'hunting', 'mde', 'cloudApps'];

export interface LoggedRequest {
	sequence: number;
	api: ApiName;
	bucket?: LimitBucket;
	method: string;
	/** Path including the query string, as received. */
	path: string;
	status: number;
	time: string;
	durationMs: number;
	requestId: string;
	clientRequestId?: string;
	/** Token requests: the audience asked for; API requests: the token's audience. */
	audience?: string;
	clientId?: string;
	tenantId?: string;
	/** Answered with 429 by the throttling layer. */
	throttled?: boolean;
	/** Arrived while the caller was still inside a Retry-After window it had been given. */
	early?: boolean;
	/**
	 * Injected fault: answered with a 5xx ('status'), socket destroyed ('reset'), answered with a redirect
	 * ('redirect'), or the handler ran and then the socket was destroyed ('applyThenDrop') or a 5xx was
	 * sent instead of its response ('applyThenStatus').
	 */
	fault?: 'status' | 'reset' | 'redirect' | 'applyThenDrop' | 'applyThenStatus';
	/** For the applyThen* faults: the status the handler really produced (the state change happened). */
	appliedStatus?: number;
	/** Name of the route pattern that handled it, e.g. 'GET /v1.0/security/incidents'. */
	route?: string;
	/** One of the requests inside a Graph JSON $batch call (logged after the batch itself). */
	viaBatch?: boolean;
}

export class Clock {
	private offsetMs = 0;

	setOffset(ms: number): void {
		this.offsetMs = ms;
	}

	getOffset(): number {
		return this.offsetMs;
	}

	now(): Date {
		return new Date(Date.now() + this.offsetMs);
	}

	nowMs(): number {
		return Date.now() + this.offsetMs;
	}
}

export interface RequestLogFilter {
	api?: ApiName;
	includeAdmin?: boolean;
}

export class RequestLog {
	private entries: LoggedRequest[] = [];
	private sequence = 0;

	add(entry: Omit<LoggedRequest, 'sequence'>): LoggedRequest {
		const stored = { sequence: ++this.sequence, ...entry };
		this.entries.push(stored);
		return stored;
	}

	list(filter: RequestLogFilter = {}): LoggedRequest[] {
		return this.entries.filter((entry) => {
			if (filter.api) return entry.api === filter.api;
			return filter.includeAdmin === true || entry.api !== 'admin';
		});
	}

	clear(): void {
		this.entries = [];
	}
}

/** Graph writes timestamps with 7 fractional digits. */
export function graphTimestamp(date: Date | number | string): string {
	return new Date(date).toISOString().replace(/Z$/, '0000Z');
}

import type { FaultController, ThrottleController } from './limits';
import type { Store } from './store/store';
import type { TokenSigner } from './auth/jwt';
import type { StorageHost } from './storage/host';

export interface EmulatorUrls {
	login: string;
	graph: string;
	mde: string;
	/** The tenant's Defender for Cloud Apps API host (its own server, as each tenant has its own portal host). */
	cloudApps: string;
}

/** Everything handlers and layers share; one instance per started emulator. */
export interface EmulatorRuntime {
	clock: Clock;
	store: Store;
	requestLog: RequestLog;
	throttle: ThrottleController;
	faults: FaultController;
	signer: TokenSigner;
	urls: EmulatorUrls;
	/** The storage host of Microsoft's short-lived download links (storage/host.ts). */
	storage: StorageHost;
	settings: {
		latencyMs: number;
		tokenLifetimeSeconds: number;
	};
}
