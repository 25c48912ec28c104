import { createHash } from 'node:crypto';

import type { Cluster, Redis } from 'ioredis';
import { LoggerProxy } from 'n8n-workflow';

import { PROCESS_CACHES, processCache } from '../../runtime';
import { describeRedis, queueRedisSettings, type QueueRedisSettings } from './queueMode';

/**
 * In queue mode every n8n process (main and workers, on any machine) calls Microsoft for the same
 * app and tenant, and Microsoft counts them together; so the windows of a rate budget, its pause
 * after a 429 and the limit it learned are kept in n8n's own Redis. Each admission is one script
 * run in Redis (atomic, one round trip): two processes never take the same place, and the times
 * are Redis' own (TIME), so clocks that differ between machines do not matter. The waits it
 * answers are durations, which mean the same on every machine.
 */
export interface SharedBudget {
	/** Takes a place now and answers 0, or answers how many ms to wait; undefined when Redis is unreachable. */
	admit(): Promise<number | undefined>;
	/** How Microsoft answered a call that had a place: accepted, or 429 with its Retry-After. */
	settle(outcome: { throttledForMs?: number }): void;
	/** Microsoft said 429 to a call outside the budget's turns: everybody waits. */
	pause(ms: number): void;
}

/** The budget's rules, given by rateBudget.ts, so that both places apply the same ones. */
export interface SharedBudgetRules {
	/** Shortest window first, as the local budget keeps them. */
	limits: Array<{ limit: number; windowMs: number }>;
	arrivalMarginMs: number;
	recoveryShare: number;
	nearlyFull: number;
}

/** Pause and learned limit outlive the windows: as long as an idle budget is kept in memory. */
const STATE_TTL_MS = 2 * 60 * 60_000;
/** A Redis that does not answer within this is taken as unreachable for that call. */
const COMMAND_TIMEOUT_MS = 2_000;
const RECONNECT_AFTER_MS = 5_000;

/** Lua 5.1 in Redis: now in ms from Redis' clock, and the shortest window's limit as learned. */
const LUA_COMMON = `
local function nowMs()
	local t = redis.call('TIME')
	return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function currentLimit(state, now, documented, windowMs, margin, share)
	local learned = tonumber(redis.call('HGET', state, 'learnedLimit'))
	if not learned then return documented end
	local at = tonumber(redis.call('HGET', state, 'learnedAt'))
	local windows = math.max(0, math.floor((now - at) / (windowMs + margin)))
	local recovered = learned + windows * math.max(1, math.ceil(documented * share))
	if recovered >= documented then
		redis.call('HDEL', state, 'learnedLimit', 'learnedAt')
		return documented
	end
	return recovered
end
`;

/**
 * KEYS: sent (sorted set of start times), state (hash). ARGV: margin, recovery share, state ttl,
 * then limit and windowMs per window, shortest first. Returns 0 (place taken) or the ms to wait.
 */
const ADMIT_LUA = `${LUA_COMMON}
local now = nowMs()
local margin = tonumber(ARGV[1])
local share = tonumber(ARGV[2])
local delay = 0
local paused = tonumber(redis.call('HGET', KEYS[2], 'pausedUntil') or '0')
if paused > now then delay = paused - now end
local longest = 0
for i = 4, #ARGV, 2 do
	local documented = tonumber(ARGV[i])
	local windowMs = tonumber(ARGV[i + 1])
	local limit = documented
	if i == 4 then limit = currentLimit(KEYS[2], now, documented, windowMs, margin, share) end
	local window = windowMs + margin
	if window > longest then longest = window end
	local from = '(' .. (now - window)
	local count = redis.call('ZCOUNT', KEYS[1], from, '+inf')
	if count >= limit then
		local edge = redis.call('ZRANGEBYSCORE', KEYS[1], from, '+inf', 'WITHSCORES', 'LIMIT', count - limit, 1)
		delay = math.max(delay, tonumber(edge[2]) + window - now)
	end
end
if delay > 0 then return math.ceil(delay) end
if longest > 0 then
	local seq = redis.call('HINCRBY', KEYS[2], 'seq', 1)
	redis.call('ZADD', KEYS[1], now, now .. '-' .. seq)
	redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - longest)
	redis.call('PEXPIRE', KEYS[1], longest)
	redis.call('PEXPIRE', KEYS[2], tonumber(ARGV[3]))
end
return 0
`;

/**
 * KEYS: accepted (sorted set of answer times that were not 429), state. ARGV: margin, recovery
 * share, state ttl, shortest documented limit (0: none), its windowMs, outcome (accepted |
 * throttled | pause), pause ms, nearly-full share. The same learning as RateBudget.learnFrom429.
 */
const SETTLE_LUA = `${LUA_COMMON}
local now = nowMs()
local margin = tonumber(ARGV[1])
local share = tonumber(ARGV[2])
local documented = tonumber(ARGV[4])
local window = tonumber(ARGV[5]) + margin
local outcome = ARGV[6]
if outcome == 'accepted' then
	if documented > 0 then
		local seq = redis.call('HINCRBY', KEYS[2], 'seq', 1)
		redis.call('ZADD', KEYS[1], now, now .. '-' .. seq)
		redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
		redis.call('PEXPIRE', KEYS[1], window)
		redis.call('PEXPIRE', KEYS[2], tonumber(ARGV[3]))
	end
	return 0
end
local ms = tonumber(ARGV[7])
if outcome == 'throttled' and documented > 0 then
	redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
	local accepted = redis.call('ZCARD', KEYS[1])
	local current = currentLimit(KEYS[2], now, documented, tonumber(ARGV[5]), margin, share)
	local allowed = math.max(1, math.floor(current / 2))
	if accepted > 0 then allowed = math.min(accepted, current) end
	if allowed < documented * tonumber(ARGV[8]) then
		redis.call('HSET', KEYS[2], 'learnedLimit', allowed, 'learnedAt', now + ms)
	end
end
local paused = tonumber(redis.call('HGET', KEYS[2], 'pausedUntil') or '0')
if now + ms > paused then redis.call('HSET', KEYS[2], 'pausedUntil', now + ms) end
redis.call('PEXPIRE', KEYS[2], tonumber(ARGV[3]))
return 0
`;

interface BudgetCommands {
	defenderBudgetAdmit(sent: string, state: string, ...args: Array<string | number>): Promise<number>;
	defenderBudgetSettle(accepted: string, state: string, ...args: Array<string | number>): Promise<number>;
}
type BudgetClient = (Redis | Cluster) & BudgetCommands;

/**
 * One connection per process and Redis. Commands are not queued while it is down (they fail at
 * once, so the call goes on with the local budget) and it reconnects in the background.
 */
export class SharedBudgetConnection {
	private client?: Promise<BudgetClient>;
	private unreachable = false;
	/** After a failed connect, calls go local at once until then, instead of each trying again. */
	private retryConnectAt = 0;

	private idleTimer?: NodeJS.Timeout;

	constructor(
		readonly settings: QueueRedisSettings,
		private readonly clock: () => number = Date.now,
		/** Unused this long, the client is disconnected (and connects again when next needed), so an idle entry stops reconnecting. */
		private readonly idleMs: number = PROCESS_CACHES.sharedBudgetConnections.idleMs,
	) {}

	/** The keys of one budget; the hash tag keeps them in one cluster slot, as one script needs. */
	keysFor(budgetKey: string): { sent: string; accepted: string; state: string } {
		const base = this.keyFor('rate-budget', budgetKey);
		return { sent: `${base}:sent`, accepted: `${base}:accepted`, state: `${base}:state` };
	}

	/** A key of ours under n8n's prefix, for an opaque name (it may hold tenant ids). */
	keyFor(kind: string, name: string): string {
		const tag = createHash('sha256').update(name).digest('hex').slice(0, 32);
		return `${this.settings.keyPrefix}:defender-${kind}:{${tag}}`;
	}

	async run<T>(work: (client: BudgetClient) => Promise<T>): Promise<T | undefined> {
		this.keepAlive();
		try {
			const result = await work(await this.connect());
			if (this.unreachable) {
				this.unreachable = false;
				LoggerProxy.info(`Microsoft 365 Defender: ${describeRedis(this.settings)} is reachable again; rate budgets are shared across n8n processes again (and the live response session gate)`);
			}
			return result;
		} catch (error) {
			if (!this.unreachable) {
				this.unreachable = true;
				LoggerProxy.warn(
					`Microsoft 365 Defender: ${describeRedis(this.settings)} is unreachable (${(error as Error).message}); rate budgets (and the live response session gate) fall back to this process's own until it is back`,
				);
			}
			return undefined;
		}
	}

	async close(): Promise<void> {
		clearTimeout(this.idleTimer);
		const pending = this.client;
		this.client = undefined;
		const client = await pending?.catch(() => undefined);
		client?.disconnect();
	}

	private keepAlive(): void {
		clearTimeout(this.idleTimer);
		this.idleTimer = setTimeout(() => void this.close(), this.idleMs);
		this.idleTimer.unref();
	}

	/**
	 * Connects once; concurrent callers wait for the same connect. Once connected, the client
	 * reconnects by itself after an outage, failing commands meanwhile.
	 */
	private connect(): Promise<BudgetClient> {
		if (!this.client) {
			if (this.clock() < this.retryConnectAt) return Promise.reject(new Error('not connected'));
			this.client = connectClient(this.settings);
			this.client.catch(() => {
				this.client = undefined;
				this.retryConnectAt = this.clock() + RECONNECT_AFTER_MS;
			});
		}
		return this.client;
	}
}

async function connectClient(settings: QueueRedisSettings): Promise<BudgetClient> {
	// Loaded here, not at the top: outside queue mode the Redis client is never loaded.
	const { default: IORedis } = await import('ioredis');
	const options = {
		username: settings.username || undefined,
		password: settings.password || undefined,
		db: settings.db,
		tls: settings.tls,
		...(settings.dualStack ? { family: 0 } : {}),
		// Shown by CLIENT LIST, so an operator can tell these connections from n8n's own.
		connectionName: 'n8n-nodes-microsoft-365-defender',
		lazyConnect: true,
		enableOfflineQueue: false,
		maxRetriesPerRequest: 0,
		connectTimeout: COMMAND_TIMEOUT_MS,
		commandTimeout: COMMAND_TIMEOUT_MS,
		retryStrategy: (times: number) => Math.min(times * 200, 5_000),
	};
	const client = settings.clusterNodes.length
		? new IORedis.Cluster(settings.clusterNodes, { redisOptions: options, lazyConnect: true, enableOfflineQueue: false, clusterRetryStrategy: options.retryStrategy })
		: new IORedis({ ...options, host: settings.host, port: settings.port });
	// Failures reach the caller of each command; the event would otherwise crash the process.
	client.on('error', () => undefined);
	client.defineCommand('defenderBudgetAdmit', { numberOfKeys: 2, lua: ADMIT_LUA });
	client.defineCommand('defenderBudgetSettle', { numberOfKeys: 2, lua: SETTLE_LUA });
	try {
		await client.connect();
	} catch (error) {
		client.disconnect();
		throw error;
	}
	return client as BudgetClient;
}

class RedisBudget implements SharedBudget {
	private readonly keys: ReturnType<SharedBudgetConnection['keysFor']>;

	constructor(
		private readonly connection: SharedBudgetConnection,
		budgetKey: string,
		private readonly rules: SharedBudgetRules,
	) {
		this.keys = connection.keysFor(budgetKey);
	}

	admit(): Promise<number | undefined> {
		const { arrivalMarginMs, recoveryShare, limits } = this.rules;
		const windows = limits.flatMap(({ limit, windowMs }) => [limit, windowMs]);
		return this.connection.run(async (client) =>
			Number(await client.defenderBudgetAdmit(this.keys.sent, this.keys.state, arrivalMarginMs, recoveryShare, STATE_TTL_MS, ...windows)),
		);
	}

	settle(outcome: { throttledForMs?: number }): void {
		this.send(outcome.throttledForMs === undefined ? 'accepted' : 'throttled', outcome.throttledForMs ?? 0);
	}

	pause(ms: number): void {
		this.send('pause', ms);
	}

	/** Not awaited: the caller has its answer already; a lost report only costs precision. */
	private send(outcome: 'accepted' | 'throttled' | 'pause', ms: number): void {
		const { arrivalMarginMs, recoveryShare, nearlyFull, limits } = this.rules;
		const shortest = limits[0] ?? { limit: 0, windowMs: 0 };
		void this.connection.run((client) =>
			client.defenderBudgetSettle(
				this.keys.accepted,
				this.keys.state,
				arrivalMarginMs,
				recoveryShare,
				STATE_TTL_MS,
				shortest.limit,
				shortest.windowMs,
				outcome,
				Math.max(0, Math.ceil(ms)),
				nearlyFull,
			),
		);
	}
}

const connections = processCache<SharedBudgetConnection>('sharedBudgetConnections');

/** This process's connection to n8n's queue Redis when n8n runs in queue mode (and sharing is on); undefined otherwise. */
export function sharedConnectionFor(env: Record<string, string | undefined> = process.env): SharedBudgetConnection | undefined {
	const settings = queueRedisSettings(env);
	if (!settings) return undefined;
	return connections.getOrCreate(JSON.stringify(settings), () => new SharedBudgetConnection(settings));
}

/**
 * The shared side of one budget when this n8n runs in queue mode; undefined otherwise (nothing
 * is loaded or connected then). `budgetKey` is taken as it comes: an opaque name of the budget.
 */
export function sharedBudgetFor(budgetKey: string, rules: SharedBudgetRules, env: Record<string, string | undefined> = process.env): SharedBudget | undefined {
	const connection = sharedConnectionFor(env);
	return connection && new RedisBudget(connection, budgetKey, rules);
}

/** Closes every shared-budget connection of this process (tests, before they stop their Redis). */
export async function closeSharedBudgetConnections(): Promise<void> {
	await Promise.all(connections.values().map((connection) => connection.close()));
	connections.clear();
}
