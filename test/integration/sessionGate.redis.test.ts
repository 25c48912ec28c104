/**
 * Issue 20, point 4: the live response session gate is shared like the rate budgets (n8n's queue
 * Redis, a real local redis-server started by scripts/lib/queue-services.cjs), so two queue-mode
 * workers together hold at most Microsoft's 25; a crashed worker's places free themselves (lease).
 * Point 5: an idle shared-budget connection is disconnected instead of reconnecting forever.
 */
import IORedis from 'ioredis';

import * as queueServices from '../../scripts/lib/queue-services.cjs';
import { queueRedisSettings } from '../../nodes/Microsoft365Defender/transport/pacing/queueMode';
import { SessionGate, SharedSessionGate } from '../../nodes/Microsoft365Defender/transport/pacing/sessionGate';
import { closeSharedBudgetConnections, SharedBudgetConnection } from '../../nodes/Microsoft365Defender/transport/pacing/sharedBudget';

jest.setTimeout(30_000);

let redis: Awaited<ReturnType<typeof queueServices.startRedis>>;
let observer: IORedis;
let keyCounter = 0;
const connections: SharedBudgetConnection[] = [];

beforeAll(async () => {
	redis = await queueServices.startRedis();
	observer = new IORedis({ host: '127.0.0.1', port: redis.port, lazyConnect: true });
	await observer.connect();
});

afterAll(async () => {
	// The last release goes to Redis without being awaited.
	await sleep(200);
	await Promise.all(connections.map((connection) => connection.close()));
	await closeSharedBudgetConnections();
	observer?.disconnect();
	await redis?.stop();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function settings() {
	const found = queueRedisSettings({ EXECUTIONS_MODE: 'queue', QUEUE_BULL_REDIS_HOST: '127.0.0.1', QUEUE_BULL_REDIS_PORT: String(redis.port) });
	if (!found) throw new Error('queue mode settings expected');
	return found;
}

/** One n8n process: its own connection (client) to Redis. */
function processConnection(idleMs?: number): SharedBudgetConnection {
	const connection = new SharedBudgetConnection(settings(), Date.now, idleMs);
	connections.push(connection);
	return connection;
}

/** One worker's gate for one tenant: its own local gate and connection, the places in Redis. */
function workerGate(key: string, capacity: number, connection: () => SharedBudgetConnection | undefined, leaseMs?: number): SharedSessionGate {
	return new SharedSessionGate(new SessionGate(capacity), key, connection, leaseMs);
}

async function defenderClients(): Promise<number> {
	const list = String(await observer.call('CLIENT', 'LIST'));
	return list.split('\n').filter((line) => line.includes('name=n8n-nodes-microsoft-365-defender')).length;
}

describe('live response session gate shared through Redis (queue mode)', () => {
	it('two workers together hold at most the capacity; a place given back in one lets the other in', async () => {
		const key = `gate-${++keyCounter}`;
		const workerA = processConnection();
		const workerB = processConnection();
		const a = workerGate(key, 3, () => workerA);
		const b = workerGate(key, 3, () => workerB);
		const leavesA = await Promise.all([a.enter(), a.enter(), a.enter()]);
		let bIn = false;
		const bEntered = b.enter().then((leave) => {
			bIn = true;
			return leave;
		});
		await sleep(1_500);
		// Each worker alone has room for 3: only the shared count holds B back.
		expect(bIn).toBe(false);
		const releasedAt = Date.now();
		leavesA[0]();
		const leaveB = await bEntered;
		expect(Date.now() - releasedAt).toBeLessThan(2_000);
		leaveB();
		leavesA.slice(1).forEach((leave) => leave());
	});

	it("a crashed worker's places free themselves when their lease ends", async () => {
		const key = `gate-${++keyCounter}`;
		const crashing = processConnection();
		let alive = true;
		const crashed = workerGate(key, 2, () => (alive ? crashing : undefined), 600);
		const survivor = processConnection();
		const other = workerGate(key, 2, () => survivor, 600);
		await crashed.enter();
		await crashed.enter();
		// The worker dies holding both places: it neither renews nor gives them back.
		alive = false;
		const asked = Date.now();
		const leave = await other.enter();
		expect(Date.now() - asked).toBeGreaterThanOrEqual(300);
		expect(Date.now() - asked).toBeLessThan(3_000);
		leave();
	});

	it('a place held longer than its lease stays held while its worker renews it', async () => {
		const key = `gate-${++keyCounter}`;
		const workerA = processConnection();
		const workerB = processConnection();
		const leave = await workerGate(key, 1, () => workerA, 600).enter();
		let bIn = false;
		void workerGate(key, 1, () => workerB, 600)
			.enter()
			.then((leaveB) => {
				bIn = true;
				leaveB();
			});
		await sleep(2_000);
		expect(bIn).toBe(false);
		leave();
		await sleep(1_500);
		expect(bIn).toBe(true);
	});
});

describe('shared-budget connection idle expiry', () => {
	it('an idle connection is disconnected instead of staying connected (and reconnecting) for ever', async () => {
		const before = await defenderClients();
		const connection = processConnection(300);
		expect(await connection.run(async (client) => await client.ping())).toBe('PONG');
		expect(await defenderClients()).toBe(before + 1);
		await sleep(800);
		expect(await defenderClients()).toBe(before);
		// Used again, it connects again.
		expect(await connection.run(async (client) => await client.ping())).toBe('PONG');
	});
});
