#!/usr/bin/env node
/**
 * `npm start`: a real n8n with this package installed, talking to the Defender emulator.
 *
 *  - installs dependencies if needed, builds, installs n8n 2.40.7 + Node 24 into .n8n-host/ once;
 *  - starts the emulator on fixed ports (login 9440, Graph 9441, Defender for Endpoint 9442, Cloud Apps 9444);
 *  - keeps a user folder in .n8n-host/demo-user (workflows and executions survive restarts),
 *    installs the freshly packed package there, imports the demo credential and workflows from demo/;
 *  - starts n8n on http://localhost:5678, creates the owner account on first run and prints the login.
 *
 * Ctrl-C stops n8n and the emulator. Flags: --reset (start over with an empty user folder).
 * Environment: DEMO_OWNER_EMAIL / DEMO_OWNER_PASSWORD override the owner account.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const { ROOT, NPM, headline, mustRun, ensureDependencies } = require('./lib/steps.cjs');

const PORTS = { login: 9440, graph: 9441, mde: 9442, n8n: 5678 };
const USER_FOLDER = path.join(ROOT, '.n8n-host', 'demo-user');
const IMPORT_MARKER = path.join(USER_FOLDER, 'demo-import.json');
const OWNER = {
	email: process.env.DEMO_OWNER_EMAIL || 'demo@example.com',
	password: process.env.DEMO_OWNER_PASSWORD || 'Defender-Demo-2026',
	firstName: 'Demo',
	lastName: 'Analyst',
};

function prefixLines(stream, prefix, target) {
	let buffer = '';
	stream.on('data', (chunk) => {
		buffer += chunk;
		const lines = buffer.split('\n');
		buffer = lines.pop();
		for (const line of lines) target.write(`${prefix}${line}\n`);
	});
	stream.on('end', () => {
		if (buffer) target.write(`${prefix}${buffer}\n`);
	});
}

async function main() {
	const args = process.argv.slice(2);
	const reset = args.includes('--reset');
	const unknown = args.filter((arg) => arg !== '--reset');
	if (unknown.length) {
		console.error(`Unknown argument(s): ${unknown.join(' ')}\nusage: npm start [-- --reset]`);
		process.exit(2);
	}

	const host = require('./lib/n8n-host.cjs');
	const emulatorLib = require('./lib/emulator.cjs');
	const demo = require('./lib/demo.cjs');
	const { N8nRest } = require('./lib/n8n-rest.cjs');

	headline('checking ports');
	const busy = await emulatorLib.busyPorts(Object.values(PORTS));
	if (busy.length) {
		const names = Object.entries(PORTS)
			.filter(([, port]) => busy.includes(port))
			.map(([name, port]) => `${port} (${name === 'n8n' ? 'n8n' : `emulator ${name}`})`);
		console.error(
			`\nPort${busy.length > 1 ? 's' : ''} ${names.join(', ')} ${busy.length > 1 ? 'are' : 'is'} already in use.\n` +
				'Is another `npm start` (or an n8n) still running? Stop it, or free the port, and try again.',
		);
		process.exit(1);
	}
	console.log(`free: ${Object.values(PORTS).join(', ')}`);

	await ensureDependencies();
	headline('build');
	await mustRun('npm run build', NPM, ['run', 'build']);

	headline(`n8n host (n8n ${host.N8N_VERSION} on Node ${host.NODE_VERSION})`);
	await host.ensureHost();

	headline('emulator');
	const tlsDir = emulatorLib.DEFAULT_TLS_DIR;
	const caCertPath = emulatorLib.ensureTlsCertificate(tlsDir);
	fs.mkdirSync(path.join(ROOT, '.emulator'), { recursive: true });
	const emulatorLog = fs.createWriteStream(path.join(ROOT, '.emulator', 'emulator.log'), { flags: 'a' });
	const emulator = await emulatorLib.startEmulator({
		portBase: PORTS.login,
		tlsDir,
		stateFile: path.join(ROOT, '.emulator', 'state.json'),
		log: emulatorLog,
	});
	const { info } = emulator;
	console.log(`login ${info.loginUrl}   graph ${info.graphUrl}   mde ${info.mdeUrl}   cloud apps ${info.cloudAppsUrl}`);

	let n8n;
	let shuttingDown = false;
	async function shutdown(code) {
		if (shuttingDown) return;
		shuttingDown = true;
		process.stdout.write('\nStopping n8n and the emulator ...\n');
		if (n8n && n8n.exitCode === null && n8n.signalCode === null) {
			const exited = new Promise((resolve) => n8n.once('exit', resolve));
			n8n.kill('SIGTERM');
			const timer = setTimeout(() => n8n.kill('SIGKILL'), 30_000);
			await exited;
			clearTimeout(timer);
		}
		await emulator.stop();
		emulatorLog.end();
		process.stdout.write('Stopped.\n');
		process.exit(code);
	}
	process.on('SIGINT', () => void shutdown(0));
	process.on('SIGTERM', () => void shutdown(0));

	try {
		headline(`package -> ${path.relative(ROOT, USER_FOLDER)}`);
		if (reset) {
			console.log('--reset: removing the demo user folder');
			fs.rmSync(USER_FOLDER, { recursive: true, force: true });
		}
		fs.mkdirSync(USER_FOLDER, { recursive: true });
		const installed = host.installPackage(USER_FOLDER, { build: false });
		console.log(`installed ${path.basename(installed.tarball)}`);

		headline('demo credential and workflows');
		const env = host.n8nEnv(USER_FOLDER, {
			caCertPath,
			N8N_PORT: String(PORTS.n8n),
			N8N_HOST: 'localhost',
			N8N_EDITOR_BASE_URL: `http://localhost:${PORTS.n8n}`,
			// Refreshes a catalogue from api.n8n.io on start; offline it only prints a stack trace.
			N8N_DISABLED_MODULES: 'mcp-registry',
			N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
			// n8n's list of verified community nodes comes from n8n's API (api-staging outside
			// production builds); offline each refresh printed an ENOTFOUND stack trace.
			N8N_VERIFIED_PACKAGES_ENABLED: 'false',
			// The Code node's Python runner needs a Python n8n does not ship; the demo has no Python.
			N8N_PYTHON_ENABLED: 'false',
			// n8n 2.40 prints a deprecation notice for each of these while it runs on its current default;
			// set to that default, the demo behaves the same and the notices go.
			N8N_RUNNERS_TASK_TIMEOUT: '300',
			N8N_COMPRESSION_NODE_MAX_DECOMPRESSED_SIZE_BYTES: String(2 * 1024 ** 3),
			N8N_COMPRESSION_NODE_MAX_ZIP_ENTRIES: '5000',
		});
		const credentials = demo.demoCredentials(info);
		const workflows = demo.demoWorkflows();
		const previous = fs.existsSync(IMPORT_MARKER) ? JSON.parse(fs.readFileSync(IMPORT_MARKER, 'utf8')) : {};
		const next = { credentials: demo.hashOf(credentials), workflows: demo.hashOf(workflows) };
		if (previous.credentials !== next.credentials) {
			await host.importJson('credentials', credentials, env);
			console.log(`imported credential "${credentials.map((credential) => credential.name).join('", "')}"`);
		} else console.log('credential unchanged');
		if (previous.workflows !== next.workflows) {
			await host.importJson('workflow', workflows, env);
			console.log(`imported ${workflows.map((workflow) => `"${workflow.name}"`).join(', ')}`);
			if (previous.workflows) console.log('(the demo workflows changed in demo/ and were imported again over your copies)');
		} else console.log('workflows unchanged (your edits are kept)');
		fs.writeFileSync(IMPORT_MARKER, JSON.stringify(next, null, 2) + '\n');

		headline(`n8n start on http://localhost:${PORTS.n8n}`);
		n8n = spawn(host.nodeBinary(), [host.n8nBin(), 'start'], { cwd: USER_FOLDER, env, stdio: ['ignore', 'pipe', 'pipe'] });
		prefixLines(n8n.stdout, '[n8n] ', process.stdout);
		prefixLines(n8n.stderr, '[n8n] ', process.stderr);
		n8n.on('exit', (code, signal) => {
			if (!shuttingDown) {
				console.error(`n8n exited (${signal ?? `exit ${code}`}); stopping the emulator.`);
				void shutdown(code || 1);
			}
		});

		const rest = new N8nRest(`http://localhost:${PORTS.n8n}`);
		const up = await rest.waitUntilHealthy({ isAlive: () => n8n.exitCode === null && n8n.signalCode === null });
		if (!up) throw new Error('n8n did not answer /healthz within 3 minutes');

		let login = 'ready';
		if (await rest.needsOwnerSetup()) {
			await rest.setupOwner(OWNER);
			login = 'created';
		} else if (!(await rest.login(OWNER.email, OWNER.password))) {
			login = 'unknown';
		}

		const base = `http://localhost:${PORTS.n8n}`;
		const lines = [
			'',
			'='.repeat(76),
			// After sign-in n8n opens its own start page; this opens on the demo workflows.
			` n8n is running: ${base}/signin?redirect=%2Fhome%2Fworkflows`,
			login === 'unknown'
				? ' The owner account was set up with another email/password; log in with yours\n (or start over: npm start -- --reset).'
				: ` Log in as ${OWNER.email} / ${OWNER.password}${login === 'created' ? ' (account just created)' : ''}`,
			'',
			' Demo workflows:',
			...workflows.map((workflow) => `   ${workflow.name}: ${base}/workflow/${workflow.id}`),
			` Credential: "${credentials[0].name}" (app "${info.apps.full.displayName ?? 'full'}")`,
			'',
			' Defender emulator (self-signed TLS, trusted by this n8n via NODE_EXTRA_CA_CERTS):',
			`   login ${info.loginUrl}   Graph ${info.graphUrl}   MDE ${info.mdeUrl}`,
			`   request log: ${info.loginUrl}/_emulator/requests   state: ${path.relative(ROOT, emulator.stateFile)}`,
			'',
			' Ctrl-C stops n8n and the emulator.',
			'='.repeat(76),
			'',
		];
		process.stdout.write(lines.join('\n') + '\n');
	} catch (error) {
		console.error(`\n${error.message ?? error}`);
		await shutdown(1);
	}
}

main().catch((error) => {
	console.error(`\n${error.message ?? error}`);
	process.exit(typeof error.exitCode === 'number' && error.exitCode !== 0 ? error.exitCode : 1);
});
