import { randomUUID } from 'node:crypto';

import type { IExecuteFunctions } from 'n8n-workflow';

import { processCache } from '../../runtime';
import { canonicalTenantId } from '../auth/canonicalTenant';
import { applicationIdOf } from '../auth/tokenProvider';
import { cancellationOf, cancelSignalOf, sleepUnlessCancelled, throwIfCancelled } from '../cancellation';
import { connect } from '../request';
import { sharedConnectionFor, type SharedBudgetConnection } from './sharedBudget';

/**
 * Microsoft runs at most 25 live response sessions at once per tenant and answers 429 to the
 * 26th (defender-endpoint/api/run-live-response.md, "Limitations"). A rate budget counts calls,
 * not sessions that last minutes, so the sessions this process keeps running are counted here:
 * a session takes a place before it is started and gives it back once it is over (or no longer
 * watched), and the next one waits for a free place instead of being refused.
 *
 * Microsoft counts per tenant, so the gate is keyed by the canonical tenant (the token's tid: a
 * GUID and a domain of one tenant share 25) and, in queue mode, its places are kept in n8n's Redis
 * like the rate budgets, so all workers together hold at most 25. A place there is a lease that
 * its process renews while the session runs: a crashed worker's places free themselves.
 */
export const MAX_LIVE_RESPONSE_SESSIONS = 25;

export interface LiveResponseGate {
	/** Waits for a place; the function returned gives it back (calling it twice gives back one place). */
	enter(signal?: AbortSignal): Promise<() => void>;
}

export class SessionGate implements LiveResponseGate {
	private running = 0;
	private readonly waiting: Array<() => void> = [];

	constructor(readonly capacity: number) {}

	get inUse(): number {
		return this.running;
	}

	/** Waits for a place; the function returned gives it back (calling it twice gives back one place). */
	async enter(signal?: AbortSignal): Promise<() => void> {
		throwIfCancelled(signal);
		if (this.running >= this.capacity) {
			await new Promise<void>((resolve, reject) => {
				const admit = () => {
					signal?.removeEventListener('abort', onAbort);
					resolve();
				};
				const onAbort = () => {
					const index = this.waiting.indexOf(admit);
					if (index >= 0) this.waiting.splice(index, 1);
					reject(cancellationOf(signal as AbortSignal));
				};
				signal?.addEventListener('abort', onAbort, { once: true });
				this.waiting.push(admit);
			});
		} else {
			this.running++;
		}
		let left = false;
		return () => {
			if (left) return;
			left = true;
			const next = this.waiting.shift();
			// The place passes straight to the next session, so a newcomer cannot overtake it.
			if (next) next();
			else this.running--;
		};
	}
}

/** A place in Redis lasts this long unless renewed: how long a crashed worker's places stay taken. */
export const SHARED_PLACE_LEASE_MS = 60_000;
/** Longest wait between two asks for a place held by another process (a release is not announced). */
const ASK_AGAIN_MS = 1_000;

/** KEYS: holders (sorted set, score = lease end). ARGV: holder, capacity, lease ms. 0: place taken; else ms until the first lease ends. */
const TAKE_PLACE_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local lease = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[2]) then
	redis.call('ZADD', KEYS[1], now + lease, ARGV[1])
	redis.call('PEXPIRE', KEYS[1], lease)
	return 0
end
local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return math.max(1, tonumber(first[2]) - now)
`;

/** KEYS: holders. ARGV: holder, lease ms. Extends a lease still held (one that ran out is not taken back). */
const RENEW_PLACE_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local renewed = redis.call('ZADD', KEYS[1], 'XX', 'CH', now + tonumber(ARGV[2]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]))
return renewed
`;

/**
 * Queue mode: this process's own gate first (it keeps arrival order among its items), then a
 * place in Redis. While Redis is unreachable the process's own gate alone decides, as the rate
 * budgets fall back to their local side.
 */
export class SharedSessionGate implements LiveResponseGate {
	constructor(
		private readonly local: SessionGate,
		private readonly key: string,
		/** Looked up at each use, so the process cache keeps the connection it uses alive. */
		private readonly connection: () => SharedBudgetConnection | undefined,
		private readonly leaseMs = SHARED_PLACE_LEASE_MS,
	) {}

	async enter(signal?: AbortSignal): Promise<() => void> {
		const leaveLocal = await this.local.enter(signal);
		const holder = randomUUID();
		let shared = false;
		try {
			for (;;) {
				const answer = await this.connection()?.run(async (client) =>
					Number(await client.eval(TAKE_PLACE_LUA, 1, this.key, holder, this.local.capacity, this.leaseMs)),
				);
				if (answer === undefined) break;
				if (answer === 0) {
					shared = true;
					break;
				}
				await sleepUnlessCancelled(Math.min(answer, ASK_AGAIN_MS), signal);
			}
		} catch (error) {
			leaveLocal();
			throw error;
		}
		const renewal = shared
			? setInterval(() => void this.connection()?.run((client) => client.eval(RENEW_PLACE_LUA, 1, this.key, holder, this.leaseMs)), this.leaseMs / 3)
			: undefined;
		renewal?.unref();
		let left = false;
		return () => {
			if (left) return;
			left = true;
			clearInterval(renewal);
			if (shared) void this.connection()?.run((client) => client.zrem(this.key, holder));
			leaveLocal();
		};
	}
}

const gates = processCache<LiveResponseGate>('liveResponseSessions');

/**
 * One gate per app and tenant, as Microsoft counts the sessions; `tenantId` is the canonical
 * tenant id (the token's tid). Shared through n8n's Redis in queue mode.
 */
export function liveResponseGate(tenantId: string, clientId: string, env: Record<string, string | undefined> = process.env): LiveResponseGate {
	const key = `${tenantId.trim().toLowerCase()}|${clientId.trim().toLowerCase()}`;
	return gates.getOrCreate(key, () => {
		const local = new SessionGate(MAX_LIVE_RESPONSE_SESSIONS);
		const connection = sharedConnectionFor(env);
		if (!connection) return local;
		return new SharedSessionGate(local, connection.keyFor('live-response-sessions', key), () => sharedConnectionFor(env));
	});
}

/** The gate of the item's tenant (the Tenant option, else the credential's), resolved to the tenant id Entra ID issues tokens for. */
export async function liveResponseGateFor(context: IExecuteFunctions, itemIndex: number): Promise<LiveResponseGate> {
	const connection = await connect.call(context, itemIndex);
	const tenantId = await canonicalTenantId(connection, { api: 'mde', method: 'POST', itemIndex }, cancelSignalOf(context));
	return liveResponseGate(tenantId, applicationIdOf(connection.credentials));
}
