'use strict';

/**
 * A local npm registry (verdaccio) for the registry lane (test/e2e/registry.test.ts): this package
 * is `npm publish`ed to it and a real n8n installs it from there through its Community Nodes
 * installer, as a user's n8n installs it from registry.npmjs.org.
 *
 * verdaccio is installed once into the git-ignored `.verdaccio/` (outside this package's own
 * dependencies and lock file, like the n8n hosts) and reused while its marker matches:
 * `npm install --ignore-scripts verdaccio@6.8.0` with an npm override of node-fetch to 2.7.0
 * (the version verdaccio-audit declares; see the team notes). Each run gets its own config and
 * storage folder (a temp folder) and a free port on 127.0.0.1; this package may be published
 * anonymously, every other package is proxied from the npm registry (the install of this
 * package in n8n needs @azure/msal-node and its dependencies).
 */

const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const VERDACCIO_VERSION = '6.8.0';
const OVERRIDES = { 'node-fetch': '2.7.0' };
const DIR = process.env.VERDACCIO_DIR ? path.resolve(process.env.VERDACCIO_DIR) : path.join(ROOT, '.verdaccio');
const MARKER = path.join(DIR, '.installed.json');
const INSTALL_LOG = path.join(DIR, 'install.log');
const BIN = path.join(DIR, 'node_modules', 'verdaccio', 'bin', 'verdaccio');
/** Where packages other than this one come from (verdaccio's uplink). */
const UPLINK = process.env.VERDACCIO_UPLINK || 'https://registry.npmjs.org/';

function log(message) {
	process.stderr.write(`[verdaccio] ${message}\n`);
}

function readJson(file) {
	try {
		return JSON.parse(fs.readFileSync(file, 'utf8'));
	} catch {
		return undefined;
	}
}

/** The environment without the npm_config_* values an outer `npm test` exports (this project's .npmrc). */
function cleanEnv(extra = {}) {
	const env = { ...process.env };
	for (const key of Object.keys(env)) {
		if (key.toLowerCase().startsWith('npm_config_')) delete env[key];
	}
	delete env.NODE_OPTIONS;
	return { ...env, ...extra };
}

function wanted() {
	return { verdaccio: VERDACCIO_VERSION, overrides: JSON.stringify(OVERRIDES) };
}

function installed() {
	const marker = readJson(MARKER);
	const want = wanted();
	return (
		!!marker &&
		Object.entries(want).every(([key, value]) => marker[key] === value) &&
		readJson(path.join(DIR, 'node_modules', 'verdaccio', 'package.json'))?.version === VERDACCIO_VERSION
	);
}

/** Installs verdaccio into `.verdaccio/` unless a matching install is there. Resolves with the bin path. */
async function ensureVerdaccio({ quiet = false } = {}) {
	if (installed()) {
		if (!quiet) log(`Reusing verdaccio ${VERDACCIO_VERSION} in ${path.relative(ROOT, DIR) || DIR}`);
		return BIN;
	}
	const started = Date.now();
	fs.mkdirSync(DIR, { recursive: true });
	fs.rmSync(MARKER, { force: true });
	fs.writeFileSync(
		path.join(DIR, 'package.json'),
		JSON.stringify(
			{
				name: 'verdaccio-host',
				private: true,
				version: '0.0.0',
				description: 'Local npm registry for the registry e2e lane; created by scripts/lib/verdaccio.cjs',
				dependencies: { verdaccio: VERDACCIO_VERSION },
				overrides: OVERRIDES,
			},
			null,
			2,
		) + '\n',
	);
	log(`Installing verdaccio ${VERDACCIO_VERSION} into ${DIR} (about 30-60 s once); npm output goes to ${INSTALL_LOG}`);
	await new Promise((resolve, reject) => {
		const logFd = fs.openSync(INSTALL_LOG, 'w');
		const child = spawn(NPM, ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=warn'], {
			cwd: DIR,
			env: cleanEnv(),
			stdio: ['ignore', logFd, logFd],
		});
		child.on('error', (error) => {
			fs.closeSync(logFd);
			reject(error);
		});
		child.on('exit', (code, signal) => {
			fs.closeSync(logFd);
			if (code === 0) resolve();
			else reject(new Error(`npm install verdaccio failed (${signal ?? `exit ${code}`}); see ${INSTALL_LOG}`));
		});
	});
	if (!fs.existsSync(BIN)) throw new Error(`verdaccio's bin is missing after the install: ${BIN}`);
	fs.writeFileSync(MARKER, JSON.stringify({ ...wanted(), installedAt: new Date().toISOString() }, null, 2) + '\n');
	log(`verdaccio ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
	return BIN;
}

function configYaml({ storage, htpasswd, packageName, uplink }) {
	// JSON is YAML: no YAML writer needed.
	return JSON.stringify(
		{
			storage,
			auth: { htpasswd: { file: htpasswd, max_users: -1 } },
			uplinks: { npmjs: { url: uplink, timeout: '60s', max_fails: 5 } },
			packages: {
				// Published here only: never proxied, so a name taken on npmjs cannot mix in.
				[packageName]: { access: '$all', publish: '$anonymous $all', unpublish: '$anonymous $all' },
				'@*/*': { access: '$all', publish: '$authenticated', proxy: 'npmjs' },
				'**': { access: '$all', publish: '$authenticated', proxy: 'npmjs' },
			},
			web: { enable: false },
			log: { type: 'stdout', format: 'pretty', level: process.env.VERDACCIO_LOG_LEVEL || 'http' },
			max_body_size: '50mb',
		},
		null,
		2,
	);
}

/**
 * Starts verdaccio on `port` (127.0.0.1) with a config and storage in `workDir` (created).
 * Resolves with { url, port, storage, stop(), output() } once `/-/ping` answers.
 */
async function startVerdaccio({ workDir, port, packageName, uplink = UPLINK, timeoutMs = 60_000 }) {
	fs.mkdirSync(workDir, { recursive: true });
	const storage = path.join(workDir, 'storage');
	fs.mkdirSync(storage, { recursive: true });
	const configFile = path.join(workDir, 'config.yaml');
	fs.writeFileSync(configFile, configYaml({ storage, htpasswd: path.join(workDir, 'htpasswd'), packageName, uplink }));
	// --use-openssl-ca: the uplink is checked against the system's CA store, as npm and curl do it
	// here (a TLS-inspecting proxy's CA is there); NODE_EXTRA_CA_CERTS may hold only the emulator's.
	const child = spawn(process.execPath, ['--use-openssl-ca', BIN, '--config', configFile, '--listen', `127.0.0.1:${port}`], {
		cwd: workDir,
		env: cleanEnv(),
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let output = '';
	child.stdout.on('data', (chunk) => (output += chunk));
	child.stderr.on('data', (chunk) => (output += chunk));
	const exited = new Promise((resolve) => child.once('close', (code, signal) => resolve({ code, signal })));
	const url = `http://127.0.0.1:${port}/`;
	const stop = async () => {
		if (child.exitCode === null && child.signalCode === null) {
			child.kill('SIGTERM');
			const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
			await exited;
			clearTimeout(timer);
		}
	};
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (child.exitCode !== null || child.signalCode !== null) throw new Error(`verdaccio exited on start:\n${output.slice(-3000)}`);
		try {
			const response = await fetch(`${url}-/ping`);
			if (response.ok) break;
		} catch {
			// not listening yet
		}
		if (Date.now() > deadline) {
			await stop();
			throw new Error(`verdaccio did not answer on ${url} within ${timeoutMs / 1000} s:\n${output.slice(-3000)}`);
		}
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
	return { url, port, storage, child, stop, output: () => output };
}

function run(command, args, options = {}) {
	const result = spawnSync(command, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: cleanEnv(), ...options });
	if (result.error) throw result.error;
	if (result.status !== 0) {
		throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status})\n${result.stdout ?? ''}\n${result.stderr ?? ''}`);
	}
	return result.stdout ?? '';
}

/**
 * `npm publish <tarball>` to the registry at `url`. npm wants a token for any publish; verdaccio
 * takes this package from anyone (`$anonymous`), so a placeholder token is sent and ignored.
 */
function publishTarball(url, tarball, { tag } = {}) {
	const host = new URL(url).host;
	const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'defender-publish-'));
	try {
		return run(
			NPM,
			[
				'publish',
				tarball,
				`--registry=${url}`,
				`--//${host}/:_authToken=anonymous-local-publish`,
				'--access=public',
				'--no-provenance',
				'--ignore-scripts',
				// npm refuses a prerelease without a tag; `latest` is what n8n's Update without a version takes.
				`--tag=${tag ?? 'latest'}`,
			],
			{ cwd },
		);
	} finally {
		fs.rmSync(cwd, { recursive: true, force: true });
	}
}

/**
 * A copy of a packed tarball with another version (and whatever `edit(manifest)` changes): the
 * tarball is unpacked into a temp folder, package.json rewritten there, and packed again into
 * `destination`. Returns the new tarball's path.
 */
function repackWithVersion(tarball, version, { destination, edit } = {}) {
	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'defender-repack-'));
	try {
		run('tar', ['-xzf', tarball, '-C', work]);
		const dir = path.join(work, 'package');
		const manifestPath = path.join(dir, 'package.json');
		const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
		manifest.version = version;
		if (edit) edit(manifest);
		fs.writeFileSync(manifestPath, JSON.stringify(manifest, null, 2) + '\n');
		const out = destination ?? path.dirname(tarball);
		fs.mkdirSync(out, { recursive: true });
		const output = run(NPM, ['pack', '--json', '--ignore-scripts', '--pack-destination', out], { cwd: dir });
		const info = JSON.parse(output.slice(output.indexOf('[')));
		return path.join(out, info[0].filename);
	} finally {
		fs.rmSync(work, { recursive: true, force: true });
	}
}

module.exports = {
	VERDACCIO_VERSION,
	OVERRIDES,
	DIR,
	BIN,
	UPLINK,
	ensureVerdaccio,
	startVerdaccio,
	publishTarball,
	repackWithVersion,
};
