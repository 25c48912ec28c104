/**
 * Queue mode is read from n8n's own environment variables, and outside queue mode the rate budget
 * neither loads the Redis client nor connects anywhere, even with n8n's Redis settings present.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { describeRedis, queueRedisSettings } from '../../../nodes/Microsoft365Defender/transport/pacing/queueMode';

describe('queue mode settings (n8n 2.40: EXECUTIONS_MODE, QUEUE_BULL_REDIS_*, N8N_REDIS_KEY_PREFIX)', () => {
	it('regular mode, or no mode given: no shared budget', () => {
		expect(queueRedisSettings({})).toBeUndefined();
		expect(queueRedisSettings({ EXECUTIONS_MODE: 'regular', QUEUE_BULL_REDIS_HOST: 'redis' })).toBeUndefined();
	});

	it("n8n's defaults: localhost:6379, db 0, prefix n8n, no TLS", () => {
		expect(queueRedisSettings({ EXECUTIONS_MODE: 'queue' })).toEqual({
			clusterNodes: [],
			host: 'localhost',
			port: 6379,
			db: 0,
			username: '',
			password: '',
			tls: undefined,
			dualStack: false,
			keyPrefix: 'n8n',
		});
	});

	it('host, port, db, user, TLS with its server name and certificate check, dual stack, prefix', () => {
		const settings = queueRedisSettings({
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: 'redis.internal',
			QUEUE_BULL_REDIS_PORT: '6380',
			QUEUE_BULL_REDIS_DB: '3',
			QUEUE_BULL_REDIS_USERNAME: 'n8n',
			QUEUE_BULL_REDIS_TLS: 'true',
			QUEUE_BULL_REDIS_TLS_SERVERNAME: 'redis.example.com',
			QUEUE_BULL_REDIS_TLS_VALIDATE_CERTIFICATE: 'false',
			QUEUE_BULL_REDIS_DUALSTACK: '1',
			N8N_REDIS_KEY_PREFIX: 'soc-eu',
		});
		expect(settings).toMatchObject({
			host: 'redis.internal',
			port: 6380,
			db: 3,
			username: 'n8n',
			tls: { servername: 'redis.example.com', rejectUnauthorized: false },
			dualStack: true,
			keyPrefix: 'soc-eu',
		});
	});

	it('a cluster from QUEUE_BULL_REDIS_CLUSTER_NODES; the password from a _FILE, never in the description', () => {
		const dir = mkdtempSync(path.join(tmpdir(), 'queue-mode-'));
		writeFileSync(path.join(dir, 'password'), 's3cret-value\n');
		const settings = queueRedisSettings({
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_CLUSTER_NODES: 'redis-1:7000, redis-2:7001',
			QUEUE_BULL_REDIS_PASSWORD_FILE: path.join(dir, 'password'),
		});
		expect(settings?.clusterNodes).toEqual([
			{ host: 'redis-1', port: 7000 },
			{ host: 'redis-2', port: 7001 },
		]);
		expect(settings?.password).toBe('s3cret-value');
		expect(describeRedis(settings!)).toBe('Redis cluster redis-1:7000,redis-2:7001');
	});

	it('N8N_DEFENDER_SHARED_RATE_BUDGET=false keeps each process on its own budget', () => {
		expect(queueRedisSettings({ EXECUTIONS_MODE: 'queue', N8N_DEFENDER_SHARED_RATE_BUDGET: 'false' })).toBeUndefined();
	});
});

describe('outside queue mode nothing connects to Redis', () => {
	const saved = { ...process.env };
	let server: net.Server;
	let connections = 0;
	let port = 0;

	beforeAll(async () => {
		server = net.createServer((socket) => {
			connections++;
			socket.destroy();
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		port = (server.address() as net.AddressInfo).port;
	});

	afterAll(async () => {
		await new Promise((resolve) => server.close(resolve));
	});

	afterEach(() => {
		process.env = { ...saved };
		connections = 0;
	});

	/** Runs the budget the transport uses, in a fresh module registry; says whether ioredis was loaded. */
	async function exerciseBudget(env: Record<string, string>): Promise<boolean> {
		process.env = { ...saved, QUEUE_BULL_REDIS_HOST: '127.0.0.1', QUEUE_BULL_REDIS_PORT: String(port), ...env };
		let loaded = false;
		await jest.isolateModulesAsync(async () => {
			jest.doMock('ioredis', () => {
				loaded = true;
				return jest.requireActual('ioredis');
			});
			const { rateBudgetFor } = await import('../../../nodes/Microsoft365Defender/transport/pacing/rateBudget');
			const { closeSharedBudgetConnections } = await import('../../../nodes/Microsoft365Defender/transport/pacing/sharedBudget');
			const budget = rateBudgetFor('tenant|app|graph|150/60000', { limits: [{ limit: 150, windowMs: 60_000 }] });
			// Every way the budget is used: turns accepted, a pause, a turn answered 429.
			for (let call = 0; call < 3; call++) (await budget.acquire()).done();
			budget.pause(10);
			(await budget.acquire()).done({ throttledForMs: 10 });
			await new Promise((resolve) => setTimeout(resolve, 200));
			await closeSharedBudgetConnections();
		});
		return loaded;
	}

	it('regular mode with QUEUE_BULL_REDIS_* set: ioredis is not loaded, no connection is made', async () => {
		expect(await exerciseBudget({ EXECUTIONS_MODE: 'regular' })).toBe(false);
		expect(connections).toBe(0);
	});

	it('(the control) in queue mode the same budget loads ioredis and connects there', async () => {
		expect(await exerciseBudget({ EXECUTIONS_MODE: 'queue' })).toBe(true);
		expect(connections).toBeGreaterThan(0);
	});
});
