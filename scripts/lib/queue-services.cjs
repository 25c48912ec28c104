'use strict';

/**
 * Redis and PostgreSQL for n8n's queue mode (the queue e2e lane, `npm run bench -- --queue`, the
 * shared-budget integration tests), from Debian's packages (`apt-get install redis-server
 * postgresql`; .ci/run installs them). Each server runs on a free local port with its own data
 * folder under .queue/ (git-ignored), as a child of the calling process, and is stopped by `stop()`.
 *
 * PostgreSQL refuses to run as root: when we are root, its commands run as the `postgres` system
 * user the Debian package creates (runuser), and the data folder belongs to that user.
 */

const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const QUEUE_DIR = path.join(ROOT, '.queue');
const REDIS_SERVER = '/usr/bin/redis-server';
const POSTGRES_ROOT = '/usr/lib/postgresql';
const STARTUP_DEADLINE_MS = 60_000;

function log(message) {
	process.stderr.write(`[queue] ${message}\n`);
}

function freePort() {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once('error', reject);
		server.listen({ port: 0, host: '127.0.0.1', exclusive: true }, () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});
}

/** Resolves once something accepts TCP connections on the port; rejects past the deadline or when the server exits. */
async function waitForPort(port, { isAlive, label }) {
	const deadline = Date.now() + STARTUP_DEADLINE_MS;
	for (;;) {
		const open = await new Promise((resolve) => {
			const socket = net.connect({ port, host: '127.0.0.1' });
			socket.once('connect', () => {
				socket.destroy();
				resolve(true);
			});
			socket.once('error', () => resolve(false));
		});
		if (open) return;
		if (!isAlive()) throw new Error(`${label} exited before listening on ${port}`);
		if (Date.now() > deadline) throw new Error(`${label} did not listen on ${port} within ${STARTUP_DEADLINE_MS / 1000} s`);
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
}

/** A fresh data folder of its own under .queue/ for one server. */
function dataFolder(name) {
	fs.mkdirSync(QUEUE_DIR, { recursive: true });
	const dir = fs.mkdtempSync(path.join(QUEUE_DIR, `${name}-`));
	return dir;
}

function childProcess(command, args, options, label) {
	const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
	let output = '';
	const collect = (chunk) => {
		output = (output + chunk.toString()).slice(-20_000);
	};
	child.stdout.on('data', collect);
	child.stderr.on('data', collect);
	let exited = false;
	const exit = new Promise((resolve) => child.once('exit', () => resolve((exited = true))));
	return {
		child,
		isAlive: () => !exited,
		output: () => output,
		/** SIGTERM (both servers shut down cleanly on it), SIGKILL if still there after 10 s. */
		async stop() {
			if (exited) return;
			child.kill('SIGTERM');
			const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
			await exit;
			clearTimeout(killer);
			log(`${label} stopped`);
		},
	};
}

function requireBinary(file, hint) {
	if (!fs.existsSync(file)) throw new Error(`${file} is missing: ${hint}`);
}

/**
 * redis-server on a free port (or `port`: a Redis coming back where it was), nothing persisted (no
 * RDB snapshot, no AOF), its folder under .queue/. Resolves with { port, dir, stop(), output() }
 * once it accepts connections.
 */
async function startRedis({ port: wantedPort } = {}) {
	requireBinary(REDIS_SERVER, 'install Debian\'s redis-server (apt-get install -y redis-server; .ci/run does)');
	const port = wantedPort ?? (await freePort());
	const dir = dataFolder('redis');
	const server = childProcess(
		REDIS_SERVER,
		['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--logfile', ''],
		{},
		`redis-server :${port}`,
	);
	await waitForPort(port, { isAlive: server.isAlive, label: 'redis-server' });
	log(`redis-server listening on 127.0.0.1:${port} (data ${path.relative(ROOT, dir)})`);
	return {
		port,
		dir,
		output: server.output,
		async stop() {
			await server.stop();
			fs.rmSync(dir, { recursive: true, force: true });
		},
	};
}

function postgresBin() {
	const versions = fs.existsSync(POSTGRES_ROOT) ? fs.readdirSync(POSTGRES_ROOT).filter((name) => /^\d+$/.test(name)).sort((a, b) => Number(b) - Number(a)) : [];
	if (!versions.length) throw new Error(`${POSTGRES_ROOT}/<version>/bin is missing: install Debian's postgresql (apt-get install -y postgresql; .ci/run does)`);
	return path.join(POSTGRES_ROOT, versions[0], 'bin');
}

const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** A PostgreSQL command, as the `postgres` system user when we are root. */
function postgresCommand(binary, args) {
	return asRoot ? ['runuser', ['-u', 'postgres', '--', binary, ...args]] : [binary, args];
}

function runChecked(command, args) {
	const result = spawnSync(command, args, { encoding: 'utf8' });
	if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status}): ${result.stderr || result.stdout}`);
	return result.stdout;
}

/**
 * PostgreSQL on a free port with its own cluster under .queue/ (initdb, trust authentication on
 * 127.0.0.1 only), a database and user for n8n. Resolves with { port, database, user, password,
 * dir, stop(), output() } once it accepts connections.
 */
async function startPostgres({ database = 'n8n', user = 'n8n', password = 'n8n' } = {}) {
	const bin = postgresBin();
	const port = await freePort();
	const dir = dataFolder('postgres');
	const dataDir = path.join(dir, 'data');
	const socketDir = path.join(dir, 'socket');
	fs.mkdirSync(socketDir);
	if (asRoot) runChecked('chown', ['-R', 'postgres:postgres', dir]);
	runChecked(...postgresCommand(path.join(bin, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8']));
	const [command, args] = postgresCommand(path.join(bin, 'postgres'), [
		'-D', dataDir, '-p', String(port), '-k', socketDir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off',
	]);
	const server = childProcess(command, args, {}, `postgres :${port}`);
	await waitForPort(port, { isAlive: server.isAlive, label: 'postgres' });
	const sql = (statement) => runChecked(...postgresCommand(path.join(bin, 'psql'), ['-h', socketDir, '-p', String(port), '-U', 'postgres', '-v', 'ON_ERROR_STOP=1', '-c', statement]));
	// Accepting TCP comes slightly before accepting queries (startup recovery); retry briefly.
	for (let attempt = 0; ; attempt++) {
		try {
			sql(`CREATE USER ${user} WITH PASSWORD '${password}'`);
			break;
		} catch (error) {
			if (attempt >= 50) throw error;
			await new Promise((resolve) => setTimeout(resolve, 200));
		}
	}
	sql(`CREATE DATABASE ${database} OWNER ${user}`);
	log(`postgres listening on 127.0.0.1:${port} (database ${database}, data ${path.relative(ROOT, dir)})`);
	return {
		port,
		database,
		user,
		password,
		dir,
		output: server.output,
		async stop() {
			await server.stop();
			fs.rmSync(dir, { recursive: true, force: true });
		},
	};
}

/** The environment every n8n process of one queue-mode installation shares. */
function queueModeEnv({ redis, postgres }) {
	return {
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: String(redis.port),
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: '127.0.0.1',
		DB_POSTGRESDB_PORT: String(postgres.port),
		DB_POSTGRESDB_DATABASE: postgres.database,
		DB_POSTGRESDB_USER: postgres.user,
		DB_POSTGRESDB_PASSWORD: postgres.password,
	};
}

module.exports = { QUEUE_DIR, startRedis, startPostgres, queueModeEnv };
