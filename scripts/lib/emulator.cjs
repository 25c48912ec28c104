'use strict';

/**
 * Starts the Microsoft API emulator (test/emulator/cli.ts) as a child process and talks to its
 * admin API. Used by the e2e harness and by `npm start`.
 */

const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const https = require('node:https');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'test', 'emulator', 'cli.ts');
const TLS_SCRIPT = path.join(ROOT, 'test', 'emulator', 'tls.ts');
const DEFAULT_TLS_DIR = path.join(ROOT, '.emulator', 'tls');

/** Runs a TypeScript file with Node 20 + tsx (one process: `node --import tsx file.ts`). */
function tsxArgs(file, args) {
	return ['--import', 'tsx', file, ...args];
}

/** Creates (or reuses, while valid) the emulator's self-signed certificate; returns cert.pem's path. */
function ensureTlsCertificate(dir = DEFAULT_TLS_DIR) {
	const result = spawnSync(process.execPath, tsxArgs(TLS_SCRIPT, [dir]), { cwd: ROOT, encoding: 'utf8' });
	if (result.status !== 0) throw new Error(`Creating the emulator certificate failed:\n${result.stdout}\n${result.stderr}`);
	return path.join(dir, 'cert.pem');
}

function withoutNodeOptions(env) {
	const copy = { ...env };
	delete copy.NODE_OPTIONS;
	return copy;
}

function portFree(port, host = '127.0.0.1') {
	return new Promise((resolve) => {
		const server = net.createServer();
		server.once('error', () => resolve(false));
		server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
	});
}

/** Which of the ports are taken (checked on 127.0.0.1 and ::1 where available). */
async function busyPorts(ports) {
	const busy = [];
	for (const port of ports) {
		if (!(await portFree(port, '127.0.0.1'))) busy.push(port);
	}
	return busy;
}

/** A base port with `count` free consecutive ports, chosen at random in 30000-44999. */
async function findFreePortBase(count = 4) {
	for (let attempt = 0; attempt < 50; attempt++) {
		const base = 30000 + Math.floor(Math.random() * 15000);
		const ports = Array.from({ length: count }, (_, index) => base + index);
		if ((await busyPorts(ports)).length === 0) return base;
	}
	throw new Error('No free port range found for the emulator');
}

/**
 * Starts the emulator. Options: portBase (default 0: random free ports), stateFile, tlsDir, latencyMs,
 * strictLimits, extraArgs, log (stream for the emulator's stderr; default: collected).
 * Resolves to { info, child, stop(), admin } once it printed EMULATOR_READY.
 */
async function startEmulator(options = {}) {
	if (!fs.existsSync(CLI)) throw new Error(`The emulator is missing: ${CLI}`);
	// 0: the emulator picks its free ports itself (no race with other processes).
	const portBase = options.portBase ?? 0;
	const stateFile = options.stateFile ?? path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'defender-emulator-')), 'state.json');
	const args = ['--port-base', String(portBase), '--state-file', stateFile];
	if (options.tlsDir) args.push('--tls-dir', options.tlsDir);
	if (options.latencyMs) args.push('--latency', String(options.latencyMs));
	if (options.strictLimits) args.push('--strict-limits');
	if (options.extraArgs) args.push(...options.extraArgs);

	const child = spawn(process.execPath, tsxArgs(CLI, args), {
		cwd: ROOT,
		env: withoutNodeOptions(process.env),
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let stdout = '';
	let stderr = '';
	child.stderr.on('data', (chunk) => {
		stderr += chunk;
		if (options.log) options.log.write(chunk);
	});

	const info = await new Promise((resolve, reject) => {
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			reject(new Error(`The emulator did not report EMULATOR_READY within 60 s.\nstdout:\n${stdout}\nstderr:\n${stderr}`));
		}, options.startTimeoutMs ?? 60_000);
		child.stdout.on('data', (chunk) => {
			stdout += chunk;
			const line = stdout.split('\n').find((candidate) => candidate.startsWith('EMULATOR_READY '));
			if (line && stdout.includes('\n', stdout.indexOf(line))) {
				clearTimeout(timer);
				try {
					resolve(JSON.parse(line.slice('EMULATOR_READY '.length)));
				} catch (error) {
					reject(new Error(`Unreadable EMULATOR_READY line: ${line} (${error.message})`));
				}
			}
		});
		child.on('exit', (code, signal) => {
			clearTimeout(timer);
			reject(new Error(`The emulator exited (${signal ?? `exit ${code}`}) before it was ready.\nstdout:\n${stdout}\nstderr:\n${stderr}`));
		});
	});
	// Keep draining stdout so the child never blocks on a full pipe.
	child.stdout.on('data', (chunk) => {
		if (options.log) options.log.write(chunk);
	});

	const ca = fs.readFileSync(info.caCertPath);
	const admin = adminClient(info.loginUrl, ca);

	let stopped;
	function stop() {
		if (!stopped) {
			stopped = new Promise((resolve) => {
				if (child.exitCode !== null || child.signalCode !== null) return resolve();
				const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
				child.once('exit', () => {
					clearTimeout(timer);
					resolve();
				});
				child.kill('SIGTERM');
			});
		}
		return stopped;
	}

	return { info, child, stop, admin, stateFile, portBase, stderr: () => stderr };
}

/** Minimal HTTPS JSON client that trusts the emulator's certificate. */
function request(url, { method = 'GET', body, headers = {}, ca } = {}) {
	return new Promise((resolve, reject) => {
		const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
		const req = https.request(
			url,
			{
				method,
				ca,
				headers: {
					Accept: 'application/json',
					...(payload !== undefined ? { 'Content-Type': headers['Content-Type'] ?? 'application/json', 'Content-Length': Buffer.byteLength(payload) } : {}),
					...headers,
				},
			},
			(res) => {
				const chunks = [];
				res.on('data', (chunk) => chunks.push(chunk));
				res.on('end', () => {
					const text = Buffer.concat(chunks).toString('utf8');
					let json;
					try {
						json = text ? JSON.parse(text) : undefined;
					} catch {
						json = undefined;
					}
					resolve({ status: res.statusCode, headers: res.headers, text, json });
				});
			},
		);
		req.on('error', reject);
		if (payload !== undefined) req.write(payload);
		req.end();
	});
}

function adminClient(loginUrl, ca) {
	const base = loginUrl.replace(/\/$/, '') + '/_emulator';
	const call = async (method, route, body) => {
		const response = await request(base + route, { method, body, ca });
		if (response.status >= 400) throw new Error(`${method} /_emulator${route} answered ${response.status}: ${response.text}`);
		return response.json;
	};
	return {
		requests: async (query = '') => {
			const result = await call('GET', '/requests' + query);
			return Array.isArray(result) ? result : (result?.requests ?? result?.value ?? []);
		},
		clearRequests: () => call('DELETE', '/requests'),
		throttle: (body) => call('PUT', '/throttle', body),
		faults: (body) => call('PUT', '/faults', body),
		addIncident: (body) => call('POST', '/incidents', body),
		reset: () => call('POST', '/reset'),
		ids: (kind, limit = 1000) => call('GET', `/ids/${kind}?limit=${limit}`),
		machineActions: async () => (await call('GET', '/mde/machineActions'))?.value ?? [],
		setMachineActionBehaviour: (body) => call('PUT', '/mde/machineActions', body),
		indicators: async () => (await call('GET', '/mde/indicators'))?.value ?? [],
		storageRequests: async () => (await call('GET', '/storage/requests'))?.value ?? [],
		accountsAndMail: () => call('GET', '/graph/accounts'),
		call,
	};
}

module.exports = { ROOT, CLI, DEFAULT_TLS_DIR, ensureTlsCertificate, startEmulator, findFreePortBase, busyPorts, request, adminClient, tsxArgs };
