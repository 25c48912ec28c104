#!/usr/bin/env node
/**
 * `npm test`: everything from a fresh clone.
 *
 *   npm ci (if needed) -> build -> lint -> TLS certificate for the emulator ->
 *   jest unit + integration -> n8n hosts (2.x and 1.x, installed once into .n8n-host/ and
 *   .n8n-host-1x/) -> jest e2e (n8n.test.ts on 2.x, n8n1x.test.ts on 1.x)
 *
 * Flags: --only unit|integration|e2e (repeatable), --skip-e2e.
 * Exits non-zero on the first failing step.
 */
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const { ROOT, NPM, headline, mustRun, ensureDependencies, formatSeconds } = require('./lib/steps.cjs');

const PROJECTS = ['unit', 'integration', 'e2e'];

function parseArgs(argv) {
	const only = [];
	let skipE2e = false;
	for (let index = 0; index < argv.length; index++) {
		const arg = argv[index];
		if (arg === '--skip-e2e') skipE2e = true;
		else if (arg === '--only') only.push(...String(argv[++index] ?? '').split(','));
		else if (arg.startsWith('--only=')) only.push(...arg.slice('--only='.length).split(','));
		else if (arg === '--help' || arg === '-h') {
			console.log('usage: node scripts/test.mjs [--only unit|integration|e2e]... [--skip-e2e]');
			process.exit(0);
		} else {
			console.error(`Unknown argument ${arg}`);
			process.exit(2);
		}
	}
	for (const project of only) {
		if (!PROJECTS.includes(project)) {
			console.error(`--only takes ${PROJECTS.join(', ')}; got "${project}"`);
			process.exit(2);
		}
	}
	let projects = only.length ? [...new Set(only)] : [...PROJECTS];
	if (skipE2e) projects = projects.filter((project) => project !== 'e2e');
	return { projects, full: only.length === 0 };
}

async function main() {
	const { projects, full } = parseArgs(process.argv.slice(2));
	const started = Date.now();
	const timings = [];
	const step = async (label, work) => {
		headline(label);
		const stepStarted = Date.now();
		await work();
		timings.push(`${label}: ${formatSeconds(Date.now() - stepStarted)}`);
	};

	await ensureDependencies();
	await step('build', () => mustRun('npm run build', NPM, ['run', 'build']));
	// Lint belongs to the full run; a focused run (--only) skips it to stay quick.
	if (full) await step('lint', () => mustRun('npm run lint', NPM, ['run', 'lint']));

	const { ensureTlsCertificate, DEFAULT_TLS_DIR } = require('./lib/emulator.cjs');
	let caCertPath;
	await step('emulator TLS certificate', async () => {
		caCertPath = ensureTlsCertificate(DEFAULT_TLS_DIR);
		console.log(path.relative(ROOT, caCertPath));
	});
	const env = { ...process.env, NODE_EXTRA_CA_CERTS: caCertPath };
	const jest = path.join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js');

	const inProcess = projects.filter((project) => project !== 'e2e');
	if (inProcess.length) {
		await step(`jest: ${inProcess.join(' + ')}`, () =>
			mustRun('jest', process.execPath, [jest, '--selectProjects', ...inProcess], { env }),
		);
	}

	if (projects.includes('e2e')) {
		const host = require('./lib/n8n-host.cjs');
		const host1x = host.createHost(host.HOST_1X);
		await step(`n8n host (n8n ${host.N8N_VERSION} on Node ${host.NODE_VERSION}, installed once into .n8n-host/)`, () => host.ensureHost());
		// The compatibility lane (test/e2e/n8n1x.test.ts): the last n8n 1.x on this Node.
		await step(`n8n 1.x host (n8n ${host1x.N8N_VERSION} on this Node ${host1x.NODE_VERSION}, installed once into .n8n-host-1x/)`, () =>
			host1x.ensureHost(),
		);
		await step('jest: e2e (real n8n + emulator)', () =>
			// E2E_PREBUILT: the build above is current, the harness only packs it.
			mustRun('jest e2e', process.execPath, [jest, '--selectProjects', 'e2e', '--runInBand'], {
				env: { ...env, E2E_PREBUILT: '1' },
			}),
		);
	}

	headline(`all passed in ${formatSeconds(Date.now() - started)}`);
	for (const line of timings) console.log(`  ${line}`);
}

main().catch((error) => {
	console.error(`\n${error.message ?? error}`);
	process.exit(typeof error.exitCode === 'number' && error.exitCode !== 0 ? error.exitCode : 1);
});
