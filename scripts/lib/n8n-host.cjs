'use strict';

/**
 * Real n8n instances for end-to-end tests and `npm start`, each installed into a git-ignored folder
 * of its own, outside this package's own dependencies and lock file. A host is described by
 * { key, label, dir, n8nVersion, node }:
 *
 *  - `2x` (the default, what every export below the factory is bound to): n8n 2.40.7 in
 *    `.n8n-host/`. n8n 2.x needs Node >= 24 while this repository is developed and tested on
 *    Node 20, so this host also gets the Node 24 binary from the `node-<platform>-<arch>` npm
 *    package and runs n8n with it.
 *  - `1x`: n8n 1.123.81 (the last 1.x) in `.n8n-host-1x/`, run on the Node that runs this script
 *    (`process.execPath`, Node 20 here): the compatibility lane for users still on n8n 1.x.
 *
 * Install recipe (see the team notes): `npm install --ignore-scripts` (a plain install fails on
 * kafka's native build), then `npm rebuild sqlite3` with the host's Node first on PATH (and, for the
 * packaged Node, node-gyp pointed at its headers). A marker file records the versions; a matching
 * install is reused. `createHost(description)` gives the same API for any host.
 */

const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
/** Fixed so a user folder stays readable across runs (demo user folder, copies of test folders). */
const ENCRYPTION_KEY = 'n8n-nodes-microsoft-365-defender-local-only-key';
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** n8n 2.x on Node 24 from npm (the main e2e suite, `npm start`, `npm run bench`). */
const HOST_2X = {
	key: '2x',
	dir: process.env.N8N_HOST_DIR ? path.resolve(process.env.N8N_HOST_DIR) : path.join(ROOT, '.n8n-host'),
	n8nVersion: '2.40.7',
	node: { kind: 'package', version: '24.21.0' },
	installHint: 'about 5-8 minutes and 2.8 GB the first time',
};

/** n8n 1.x on the Node running this script (engines: node >=20.19). The e2e compatibility lane. */
const HOST_1X = {
	key: '1x',
	dir: process.env.N8N_HOST_1X_DIR ? path.resolve(process.env.N8N_HOST_1X_DIR) : path.join(ROOT, '.n8n-host-1x'),
	n8nVersion: '1.123.81',
	node: { kind: 'system' },
	installHint: 'about 3 minutes and 1.8 GB the first time',
	// n8n-nodes-base 1.x takes SheetJS from https://cdn.sheetjs.com (a tarball URL, unreachable from
	// many CI machines); the same version is published on the npm registry as @e965/xlsx, the
	// package n8n 2.x itself depends on.
	overrides: { xlsx: 'npm:@e965/xlsx@0.20.2' },
	// n8n 1.123.x defaults to the 'vm' expression engine, which needs isolated-vm 6.2.0; that
	// requires Node >= 22 (its build fails on Node 20's V8: "'SourceLocation' in namespace 'v8' does
	// not name a type"), so every n8n command that evaluates expressions crashes on Node 20 with
	// "Could not initialize the vm expression engine". n8n's own setting picks the classic engine.
	env: { N8N_EXPRESSION_ENGINE: 'legacy' },
};

function log(message) {
	process.stderr.write(`[n8n-host] ${message}\n`);
}

function readJson(file) {
	try {
		return JSON.parse(fs.readFileSync(file, 'utf8'));
	} catch {
		return undefined;
	}
}

function formatDuration(ms) {
	const seconds = Math.round(ms / 1000);
	return seconds >= 60 ? `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s` : `${seconds}s`;
}

/**
 * The environment without the npm_config_* values an outer `npm test` or `npm start` exports:
 * this project's .npmrc sets ignore-scripts, which would silently skip the sqlite3 build here.
 */
function hostInstallEnv(extra = {}) {
	const env = { ...process.env };
	for (const key of Object.keys(env)) {
		if (key.toLowerCase().startsWith('npm_config_')) delete env[key];
	}
	return { ...env, ...extra };
}

function nodePackageName(version) {
	const platform = { linux: 'linux', darwin: 'darwin', win32: 'win' }[process.platform];
	const arch = { x64: 'x64', arm64: 'arm64' }[process.arch];
	if (!platform || !arch) {
		throw new Error(`No Node ${version} npm package for ${process.platform}/${process.arch}; install that Node and n8n yourself.`);
	}
	return `node-${platform}-${arch}`;
}

function run(command, args, options = {}) {
	const result = spawnSync(command, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
	if (result.error) throw result.error;
	if (result.status !== 0) {
		throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status})\n${result.stdout ?? ''}\n${result.stderr ?? ''}`);
	}
	return result.stdout ?? '';
}

/** Builds (unless `build: false`) and packs this package; returns the tarball path. */
function packPackage({ build = true, destination } = {}) {
	if (build) {
		log('npm run build');
		run(NPM, ['run', 'build'], { stdio: ['ignore', 'pipe', 'pipe'] });
	}
	const dir = destination ?? fs.mkdtempSync(path.join(os.tmpdir(), 'defender-pack-'));
	fs.mkdirSync(dir, { recursive: true });
	const output = run(NPM, ['pack', '--json', '--pack-destination', dir]);
	const info = JSON.parse(output.slice(output.indexOf('[')));
	return path.join(dir, info[0].filename);
}

/**
 * Installs this package into `<userFolder>/.n8n/nodes` the way n8n installs a community package
 * (`npm pack`, then `npm install <tarball>` there). `--omit=peer` keeps npm from installing the
 * peer n8n-workflow (its isolated-vm dependency cannot build on Node 20).
 * Options: `build` (default true), `tarball` (reuse a packed tarball).
 */
function installPackage(userFolder, { build = true, tarball } = {}) {
	const packed = tarball ?? packPackage({ build });
	try {
		return installTarball(userFolder, packed);
	} finally {
		// A tarball we packed here is not needed once installed.
		if (!tarball) fs.rmSync(path.dirname(packed), { recursive: true, force: true });
	}
}

function installTarball(userFolder, packed) {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	fs.mkdirSync(nodesDir, { recursive: true });
	const manifest = path.join(nodesDir, 'package.json');
	if (!fs.existsSync(manifest)) {
		fs.writeFileSync(manifest, JSON.stringify({ name: 'installed-nodes', private: true }, null, 2) + '\n');
	}
	// A re-pack of the same version must replace what is there, not be taken as already installed.
	fs.rmSync(path.join(nodesDir, 'node_modules', readJson(path.join(ROOT, 'package.json')).name), { recursive: true, force: true });
	log(`Installing ${path.basename(packed)} into ${nodesDir}`);
	run(NPM, ['install', '--omit=peer', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error', packed], { cwd: nodesDir });
	return { tarball: packed, nodesDir, version: readJson(path.join(nodesDir, 'node_modules', readJson(path.join(ROOT, 'package.json')).name, 'package.json'))?.version };
}

let nextBrokerPort = 0;

/**
 * A task-broker port for one n8n process: every `n8n execute`/`start` opens one (default 5679),
 * so parallel processes clash without distinct ports. Taken below Linux's ephemeral range
 * (32768+) so it does not meet the emulator's random ports; spread by pid across processes.
 */
function allocateBrokerPort() {
	if (!nextBrokerPort) nextBrokerPort = 20000 + ((process.pid * 37) % 12000);
	nextBrokerPort = nextBrokerPort >= 32700 ? 20001 : nextBrokerPort + 1;
	return nextBrokerPort;
}

/**
 * The run data `n8n execute --rawOutput` printed: the JSON object starting at the first line that
 * begins with `{` (log lines and warnings come before it). A failed run prints "Execution error:"
 * and then the same JSON. Returns undefined when there is none.
 */
function parseExecuteOutput(stdout) {
	const lines = stdout.split('\n');
	const start = lines.findIndex((line) => line.startsWith('{'));
	if (start < 0) return undefined;
	const rest = lines.slice(start);
	const end = rest.findIndex((line) => line.startsWith('}'));
	const text = (end >= 0 ? rest.slice(0, end + 1) : rest).join('\n');
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

/** A TCP port that was free a moment ago (the OS picks it), for an `n8n start` of its own. */
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

/**
 * The API for one host description: install/reuse it and run n8n on it. Every host shares the
 * package packing, the broker-port allocation and the output parsing above.
 */
function createHost(spec) {
	const HOST_DIR = spec.dir;
	const N8N_VERSION = spec.n8nVersion;
	const MARKER = path.join(HOST_DIR, '.installed.json');
	const INSTALL_LOG = path.join(HOST_DIR, 'install.log');
	const packagedNode = spec.node.kind === 'package';
	/** Node's version for this host: the packaged one, or the one running this script. */
	const NODE_VERSION = packagedNode ? spec.node.version : process.versions.node;
	const nodePkg = packagedNode ? nodePackageName(NODE_VERSION) : undefined;
	const hostLog = (message) => log(spec.key === '2x' ? message : `[${spec.key}] ${message}`);

	function nodeDir() {
		return packagedNode ? path.join(HOST_DIR, 'node_modules', nodePkg) : path.resolve(path.dirname(process.execPath), '..');
	}

	function nodeBinDir() {
		return packagedNode ? (process.platform === 'win32' ? nodeDir() : path.join(nodeDir(), 'bin')) : path.dirname(process.execPath);
	}

	function nodeBinary() {
		return packagedNode ? path.join(nodeBinDir(), process.platform === 'win32' ? 'node.exe' : 'node') : process.execPath;
	}

	function n8nBin() {
		return path.join(HOST_DIR, 'node_modules', 'n8n', 'bin', 'n8n');
	}

	function installedVersion(pkg) {
		return readJson(path.join(HOST_DIR, 'node_modules', pkg, 'package.json'))?.version;
	}

	function sqliteLoads() {
		const result = spawnSync(nodeBinary(), ['-e', "require('sqlite3')"], { cwd: HOST_DIR, encoding: 'utf8' });
		return result.status === 0;
	}

	/**
	 * What the marker must say for the install to be reused. For the system Node, the sqlite3
	 * binding is tied to its ABI (`process.versions.modules`), not to the exact version.
	 */
	function wanted() {
		return packagedNode
			? { n8n: N8N_VERSION, node: NODE_VERSION, nodePackage: nodePkg }
			: { n8n: N8N_VERSION, nodeAbi: process.versions.modules, ...(spec.overrides ? { overrides: JSON.stringify(spec.overrides) } : {}) };
	}

	function hostStatus() {
		const marker = readJson(MARKER);
		const want = wanted();
		const markerMatches = !!marker && Object.entries(want).every(([key, value]) => marker[key] === value);
		const filesMatch =
			installedVersion('n8n') === N8N_VERSION &&
			(!packagedNode || installedVersion(nodePkg) === NODE_VERSION) &&
			fs.existsSync(nodeBinary());
		return { marker, markerMatches, filesMatch };
	}

	/** Runs a command with output appended to install.log, printing a heartbeat while it runs. */
	function runLogged(label, command, args, options = {}) {
		return new Promise((resolve, reject) => {
			const started = Date.now();
			const logFd = fs.openSync(INSTALL_LOG, 'a');
			fs.writeSync(logFd, `\n$ ${command} ${args.join(' ')}\n`);
			const child = spawn(command, args, { cwd: HOST_DIR, stdio: ['ignore', logFd, logFd], env: hostInstallEnv(), ...options });
			const heartbeat = setInterval(() => {
				hostLog(`  ... ${label}: ${formatDuration(Date.now() - started)} so far`);
			}, 20_000);
			child.on('error', (error) => {
				clearInterval(heartbeat);
				fs.closeSync(logFd);
				reject(error);
			});
			child.on('exit', (code, signal) => {
				clearInterval(heartbeat);
				fs.closeSync(logFd);
				if (code === 0) {
					hostLog(`  ${label} done in ${formatDuration(Date.now() - started)}`);
					resolve();
				} else {
					reject(new Error(`${label} failed (${signal ?? `exit ${code}`}); see ${INSTALL_LOG}`));
				}
			});
		});
	}

	function acquireLock() {
		const lockDir = path.join(HOST_DIR, '.install-lock');
		fs.mkdirSync(HOST_DIR, { recursive: true });
		for (;;) {
			try {
				fs.mkdirSync(lockDir);
				fs.writeFileSync(path.join(lockDir, 'pid'), String(process.pid));
				return () => fs.rmSync(lockDir, { recursive: true, force: true });
			} catch (error) {
				if (error.code !== 'EEXIST') throw error;
				let owner = 0;
				try {
					owner = Number(fs.readFileSync(path.join(lockDir, 'pid'), 'utf8') || 0);
				} catch {
					return undefined; // just created by another process; its pid follows
				}
				let alive = false;
				try {
					process.kill(owner, 0); // signal 0: only asks whether that process exists
					alive = true;
				} catch {
					alive = false;
				}
				if (!alive) {
					fs.rmSync(lockDir, { recursive: true, force: true });
					continue;
				}
				return undefined;
			}
		}
	}

	/** Installs n8n (and the packaged Node) into the host folder unless a matching install is there. */
	async function ensureHost({ quiet = false } = {}) {
		const status = hostStatus();
		if (status.markerMatches && status.filesMatch) {
			if (!quiet) hostLog(`Reusing n8n ${N8N_VERSION} with Node ${NODE_VERSION} in ${path.relative(ROOT, HOST_DIR) || HOST_DIR}`);
			return hostPaths();
		}
		let release = acquireLock();
		while (!release) {
			hostLog('Another process is installing this n8n host; waiting ...');
			await new Promise((resolve) => setTimeout(resolve, 5000));
			const again = hostStatus();
			if (again.markerMatches && again.filesMatch) return hostPaths();
			release = acquireLock();
		}
		try {
			const current = hostStatus();
			if (current.filesMatch && sqliteLoads()) {
				// Installed by hand (or by an older script) with the right versions: adopt it.
				hostLog(`Found n8n ${N8N_VERSION} and Node ${NODE_VERSION} already in ${HOST_DIR}; recording it.`);
			} else {
				await install();
			}
			fs.writeFileSync(MARKER, JSON.stringify({ ...wanted(), node: NODE_VERSION, installedAt: new Date().toISOString() }, null, 2) + '\n');
			return hostPaths();
		} finally {
			release();
		}
	}

	async function install() {
		const started = Date.now();
		fs.mkdirSync(HOST_DIR, { recursive: true });
		fs.rmSync(MARKER, { force: true });
		fs.writeFileSync(INSTALL_LOG, `n8n host install started ${new Date().toISOString()}\n`);
		const dependencies = { n8n: N8N_VERSION, ...(packagedNode ? { [nodePkg]: NODE_VERSION } : {}) };
		const manifest = path.join(HOST_DIR, 'package.json');
		const existing = readJson(manifest);
		const overrides = spec.overrides ?? {};
		const stale =
			!existing ||
			Object.entries(dependencies).some(([name, version]) => existing.dependencies?.[name] !== version) ||
			JSON.stringify(existing.overrides ?? {}) !== JSON.stringify(overrides);
		if (stale) {
			fs.writeFileSync(
				manifest,
				JSON.stringify(
					{
						name: `n8n-host-${spec.key}`,
						private: true,
						version: '0.0.0',
						description: 'Local n8n for end-to-end tests; created by scripts/lib/n8n-host.cjs',
						dependencies,
						...(Object.keys(overrides).length ? { overrides } : {}),
					},
					null,
					2,
				) + '\n',
			);
		}
		hostLog(`Installing n8n ${N8N_VERSION}${packagedNode ? ` and Node ${NODE_VERSION}` : ` (to run on this Node, ${NODE_VERSION})`} into ${HOST_DIR}`);
		hostLog(`This takes ${spec.installHint}; npm output goes to ${INSTALL_LOG}`);
		// Install scripts are skipped: a plain install fails building Kafka's native module, and n8n
		// runs without it. The one native module we need, sqlite3, is rebuilt below for the host's Node.
		await runLogged('npm install', NPM, [
			'install',
			'--ignore-scripts',
			'--no-audit',
			'--no-fund',
			'--save-exact',
			'--loglevel=warn',
			...Object.entries(dependencies).map(([name, version]) => `${name}@${version}`),
		]);
		if (!fs.existsSync(nodeBinary())) throw new Error(`Node ${NODE_VERSION} binary missing after install: ${nodeBinary()}`);
		hostLog(`Building the sqlite3 binding for Node ${NODE_VERSION} (about 2-3 minutes) ...`);
		await runLogged('npm rebuild sqlite3', NPM, ['rebuild', 'sqlite3', '--ignore-scripts=false', '--no-audit', '--no-fund'], {
			env: hostInstallEnv({
				PATH: nodeBinDir() + path.delimiter + process.env.PATH,
				...(packagedNode ? { npm_config_nodedir: nodeDir() } : {}),
			}),
		});
		if (!sqliteLoads()) throw new Error(`sqlite3 does not load under Node ${NODE_VERSION}; see ${INSTALL_LOG}`);
		hostLog(`n8n host ready in ${formatDuration(Date.now() - started)}`);
	}

	function hostPaths() {
		return { hostDir: HOST_DIR, nodeBinary: nodeBinary(), nodeBinDir: nodeBinDir(), n8nBin: n8nBin(), n8nVersion: N8N_VERSION, nodeVersion: NODE_VERSION };
	}

	/**
	 * Environment for one n8n process. `extra` wins over the defaults; `extra.caCertPath` sets
	 * NODE_EXTRA_CA_CERTS (the emulator's self-signed certificate).
	 */
	function n8nEnv(userFolder, extra = {}) {
		const { caCertPath, ...overrides } = extra;
		const base = { ...process.env };
		// Values the calling shell or jest may carry that would change n8n's behaviour.
		for (const key of Object.keys(base)) {
			if (key.startsWith('N8N_') || key.startsWith('DB_') || key.startsWith('EXECUTIONS_') || key.startsWith('npm_')) delete base[key];
		}
		delete base.NODE_OPTIONS;
		delete base.NODE_ENV;
		delete base.JEST_WORKER_ID;
		const env = {
			...base,
			PATH: nodeBinDir() + path.delimiter + (process.env.PATH ?? ''),
			N8N_USER_FOLDER: userFolder,
			N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_HIRING_BANNER_ENABLED: 'false',
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
			N8N_LOG_LEVEL: 'info',
			N8N_LOG_OUTPUT: 'console',
			N8N_RUNNERS_BROKER_PORT: String(allocateBrokerPort()),
			N8N_SECURE_COOKIE: 'false',
			DB_TYPE: 'sqlite',
			EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'all',
			EXECUTIONS_DATA_SAVE_ON_ERROR: 'all',
			GENERIC_TIMEZONE: 'UTC',
			TZ: 'UTC',
			...(spec.env ?? {}),
			...(caCertPath ? { NODE_EXTRA_CA_CERTS: caCertPath } : {}),
			...overrides,
		};
		for (const [key, value] of Object.entries(env)) {
			if (value === undefined) delete env[key];
		}
		return env;
	}

	/**
	 * Runs `n8n <args>` with this host's Node. Resolves with { code, signal, stdout, stderr, durationMs }.
	 * stdout goes to a file first (`stdoutFile`, default a temp file): big JSON through a pipe can be
	 * cut short when n8n exits. Options: `timeoutMs` (default 180 s), `stdoutFile`.
	 */
	function runN8n(args, env, { timeoutMs = 180_000, stdoutFile } = {}) {
		return new Promise((resolve, reject) => {
			const started = Date.now();
			const tempDir = stdoutFile ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-out-'));
			const outFile = stdoutFile ?? path.join(tempDir, 'stdout.txt');
			const outFd = fs.openSync(outFile, 'w');
			const child = spawn(nodeBinary(), [n8nBin(), ...args], { cwd: env.N8N_USER_FOLDER ?? ROOT, env, stdio: ['ignore', outFd, 'pipe'] });
			let stderr = '';
			child.stderr.on('data', (chunk) => {
				stderr += chunk;
			});
			const timer = setTimeout(() => {
				stderr += `\n[n8n-host] n8n ${args[0]} timed out after ${timeoutMs} ms; killing it\n`;
				child.kill('SIGKILL');
			}, timeoutMs);
			child.on('error', (error) => {
				clearTimeout(timer);
				fs.closeSync(outFd);
				reject(error);
			});
			child.on('close', (code, signal) => {
				clearTimeout(timer);
				fs.closeSync(outFd);
				const stdout = fs.readFileSync(outFile, 'utf8');
				if (stdoutFile) fs.writeFileSync(`${stdoutFile}.stderr`, stderr);
				if (tempDir) fs.rmSync(tempDir, { recursive: true, force: true });
				resolve({ code, signal, stdout, stderr, stdoutFile: stdoutFile ?? null, durationMs: Date.now() - started });
			});
		});
	}

	/** Like runN8n, but rejects with n8n's output when it exits non-zero. */
	async function runN8nChecked(args, env, options) {
		const result = await runN8n(args, env, options);
		if (result.code !== 0) {
			throw new Error(`n8n ${args.join(' ')} failed (exit ${result.code ?? result.signal})\n--- stdout ---\n${result.stdout.slice(-4000)}\n--- stderr ---\n${result.stderr.slice(-4000)}`);
		}
		return result;
	}

	/**
	 * Starts `n8n start` with this host's Node (the env should set N8N_PORT). Output is collected (and copied to
	 * `logFile` if given). Returns { child, output(), isAlive(), exited, stop() }; `stop()` sends
	 * SIGTERM, waits for n8n's shutdown (SIGKILL after `timeoutMs`) and resolves { code, signal }.
	 */
	/** `n8n start` (or another long-running command, e.g. `command: ['worker', '--concurrency=1']` in queue mode). */
	function startN8n(env, { logFile, command = ['start'] } = {}) {
		const child = spawn(nodeBinary(), [n8nBin(), ...command], { cwd: env.N8N_USER_FOLDER ?? ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
		let output = '';
		const logFd = logFile ? fs.openSync(logFile, 'w') : undefined;
		const append = (chunk) => {
			output += chunk;
			if (logFd !== undefined) fs.writeSync(logFd, chunk);
		};
		child.stdout.on('data', append);
		child.stderr.on('data', append);
		const exited = new Promise((resolve) => {
			child.once('close', (code, signal) => {
				if (logFd !== undefined) fs.closeSync(logFd);
				resolve({ code, signal });
			});
		});
		const isAlive = () => child.exitCode === null && child.signalCode === null;
		let stopping;
		function stop({ timeoutMs = 30_000 } = {}) {
			if (!stopping) {
				stopping = (async () => {
					if (isAlive()) {
						const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
						child.kill('SIGTERM');
						try {
							return await exited;
						} finally {
							clearTimeout(timer);
						}
					}
					return await exited;
				})();
			}
			return stopping;
		}
		return { child, output: () => output, isAlive, exited, stop };
	}

	/** Writes `value` to a temp JSON file and imports it (`kind`: 'credentials' or 'workflow'). */
	async function importJson(kind, value, env) {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), `n8n-import-${kind}-`));
		const file = path.join(dir, `${kind}.json`);
		fs.writeFileSync(file, JSON.stringify(value, null, 2));
		try {
			return await runN8nChecked([`import:${kind}`, `--input=${file}`], env);
		} finally {
			fs.rmSync(dir, { recursive: true, force: true });
		}
	}

	return {
		key: spec.key,
		N8N_VERSION,
		NODE_VERSION,
		HOST_DIR,
		ensureHost,
		hostStatus,
		hostPaths,
		n8nEnv,
		runN8n,
		runN8nChecked,
		importJson,
		startN8n,
		nodeBinary,
		n8nBin,
	};
}

const defaultHost = createHost(HOST_2X);

module.exports = {
	...defaultHost,
	ROOT,
	ENCRYPTION_KEY,
	HOST_2X,
	HOST_1X,
	createHost,
	packPackage,
	installPackage,
	allocateBrokerPort,
	parseExecuteOutput,
	freePort,
};
