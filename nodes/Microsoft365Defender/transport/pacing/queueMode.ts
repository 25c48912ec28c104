import { readFileSync } from 'node:fs';

/**
 * Where n8n keeps its queue when it runs in queue mode, read from the same environment variables
 * n8n 2.40 reads (packages/@n8n/config: ExecutionsConfig `EXECUTIONS_MODE`, ScalingModeConfig's
 * bull.redis `QUEUE_BULL_REDIS_*`, RedisConfig `N8N_REDIS_KEY_PREFIX`), with n8n's defaults and its
 * `<NAME>_FILE` convention for values kept in files (secrets mounted by Docker or Kubernetes).
 * n8n 2.40 connects to one Redis or to a cluster (`QUEUE_BULL_REDIS_CLUSTER_NODES`); it has no
 * sentinel settings, so neither has this.
 */
export interface QueueRedisSettings {
	/** Empty for a single Redis; the cluster's seed nodes otherwise (n8n then ignores host/port). */
	clusterNodes: Array<{ host: string; port: number }>;
	host: string;
	port: number;
	db: number;
	username: string;
	password: string;
	tls?: { servername?: string; rejectUnauthorized: boolean };
	/** QUEUE_BULL_REDIS_DUALSTACK: look the host up as IPv4 and IPv6. */
	dualStack: boolean;
	/** n8n's key prefix, so two n8n installations on one Redis keep apart. */
	keyPrefix: string;
}

type Env = Record<string, string | undefined>;

function envValue(env: Env, name: string): string | undefined {
	const file = env[`${name}_FILE`];
	if (file) return readFileSync(file, 'utf8').trim();
	const value = env[name];
	return value === undefined || value === '' ? undefined : value;
}

function envNumber(env: Env, name: string, fallback: number): number {
	const value = envValue(env, name);
	return value !== undefined && Number.isFinite(Number(value)) ? Number(value) : fallback;
}

/** n8n reads a boolean setting as true for "true" or "1" and false for anything else given. */
function envBoolean(env: Env, name: string, fallback: boolean): boolean {
	const value = envValue(env, name);
	return value === undefined ? fallback : ['true', '1'].includes(value.toLowerCase());
}

export function isQueueMode(env: Env = process.env): boolean {
	return envValue(env, 'EXECUTIONS_MODE') === 'queue';
}

/**
 * n8n's queue Redis when this process is part of an n8n in queue mode and rate budgets are to be
 * shared there (`N8N_DEFENDER_SHARED_RATE_BUDGET=false` keeps each process's own); undefined otherwise.
 */
export function queueRedisSettings(env: Env = process.env): QueueRedisSettings | undefined {
	if (!isQueueMode(env) || envBoolean(env, 'N8N_DEFENDER_SHARED_RATE_BUDGET', true) === false) return undefined;
	const clusterNodes = (envValue(env, 'QUEUE_BULL_REDIS_CLUSTER_NODES') ?? '')
		.split(',')
		.map((pair) => pair.trim())
		.filter(Boolean)
		.map((pair) => {
			const [host, port] = pair.split(':');
			return { host, port: Number(port) };
		});
	const tls = envBoolean(env, 'QUEUE_BULL_REDIS_TLS', false)
		? {
				servername: envValue(env, 'QUEUE_BULL_REDIS_TLS_SERVERNAME'),
				rejectUnauthorized: envBoolean(env, 'QUEUE_BULL_REDIS_TLS_VALIDATE_CERTIFICATE', true),
			}
		: undefined;
	return {
		clusterNodes,
		host: envValue(env, 'QUEUE_BULL_REDIS_HOST') ?? 'localhost',
		port: envNumber(env, 'QUEUE_BULL_REDIS_PORT', 6379),
		db: envNumber(env, 'QUEUE_BULL_REDIS_DB', 0),
		username: envValue(env, 'QUEUE_BULL_REDIS_USERNAME') ?? '',
		password: envValue(env, 'QUEUE_BULL_REDIS_PASSWORD') ?? '',
		tls,
		dualStack: envBoolean(env, 'QUEUE_BULL_REDIS_DUALSTACK', false),
		keyPrefix: envValue(env, 'N8N_REDIS_KEY_PREFIX') ?? 'n8n',
	};
}

/** Where the settings point, for a log line: never the password. */
export function describeRedis(settings: QueueRedisSettings): string {
	const nodes = settings.clusterNodes.length ? settings.clusterNodes : [{ host: settings.host, port: settings.port }];
	return `${settings.clusterNodes.length ? 'Redis cluster ' : 'Redis '}${nodes.map(({ host, port }) => `${host}:${port}`).join(',')}`;
}
