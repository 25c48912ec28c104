#!/usr/bin/env node
/**
 * `npm test`: everything from a fresh clone.
 *
 *   npm ci (if needed) -> build -> lint -> n8n's scanner rules -> TLS certificate for the emulator ->
 *   jest unit + integration -> n8n hosts (2.x and 1.x, installed once into .n8n-host/ and
 *   .n8n-host-1x/) and verdaccio (installed once into .verdaccio/) -> jest e2e (n8n.test.ts on
 *   2.x, n8n1x.test.ts on 1.x, registry.test.ts: install/update/uninstall through n8n's
 *   Community Nodes installer from a local registry, browser.test.ts: the editor in Chromium,
 *   queue.test.ts: n8n in queue mode, main + 2 workers on Debian's Redis and PostgreSQL)
 *
 * Flags: --only unit|integration|e2e|registry|browser|queue (repeatable; registry: only the registry
 * lane, `npm run test:registry`; browser: only the browser lane, `npm run test:browser`; queue:
 * only the queue-mode lane, `npm run test:queue`),
 * --skip-e2e, --screenshots (the browser lane writes docs/*.png: `npm run screenshots`).
 * Exits non-zero on the first failing step.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

const require = createRequire(import.meta.url);
const { ROOT, NPM, headline, mustRun, ensureDependencies, formatSeconds } = require('./lib/steps.cjs');

const PROJECTS = ['unit', 'integration', 'e2e', 'registry', 'browser', 'queue'];
// Lanes of the e2e jest project that `--only <lane>` runs on their own (the e2e run has them all).
const E2E_LANES = { registry: 'registry\\.test', browser: 'browser\\.test', queue: 'queue\\.test' };

function parseArgs(argv) {
	const only = [];
	let skipE2e = false;
	let screenshots = false;
	for (let index = 0; index < argv.length; index++) {
		const arg = argv[index];
		if (arg === '--skip-e2e') skipE2e = true;
		else if (arg === '--screenshots') screenshots = true;
		else if (arg === '--only') only.push(...String(argv[++index] ?? '').split(','));
		else if (arg.startsWith('--only=')) only.push(...arg.slice('--only='.length).split(','));
		else if (arg === '--help' || arg === '-h') {
			console.log('usage: node scripts/test.mjs [--only unit|integration|e2e|registry|browser|queue]... [--skip-e2e] [--screenshots]');
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
	// The registry and browser lanes are part of the e2e project; alone, each runs only its file.
	let projects = only.length ? [...new Set(only)] : PROJECTS.filter((project) => !(project in E2E_LANES));
	if (skipE2e) projects = projects.filter((project) => project !== 'e2e' && !(project in E2E_LANES));
	return { projects, full: only.length === 0, screenshots };
}

/**
 * One temporary folder for the whole run (TMPDIR for every step, jest, n8n, Redis, PostgreSQL and
 * Chromium): removed when the run ends, however it ends, so no key or password file is left in /tmp.
 */
function useRunTemporaryFolder() {
	const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'm365d-npm-test-'));
	process.env.TMPDIR = folder;
	const remove = () => fs.rmSync(folder, { recursive: true, force: true });
	process.on('exit', remove);
	for (const signal of ['SIGINT', 'SIGTERM']) {
		process.on(signal, () => {
			remove();
			process.exit(130);
		});
	}
	return folder;
}

async function main() {
	const { projects, full, screenshots } = parseArgs(process.argv.slice(2));
	// jest's transform cache is kept between runs (one folder), outside the run's temporary folder.
	const jestCache = path.join(os.tmpdir(), 'jest-m365d-cache');
	useRunTemporaryFolder();
	const started = Date.now();
	const timings = [];
	const step = async (label, work) => {
		headline(label);
		const stepStarted = Date.now();
		await work();
		timings.push(`${label}: ${formatSeconds(Date.now() - stepStarted)}`);
	};

	// Everything the chosen projects need beyond Node.js and npm, checked (as root, installed) first.
	await step('prerequisites', async () => {
		const { ensurePrerequisites } = require('./lib/prerequisites.cjs');
		const lanes = projects.includes('e2e') ? [...projects, ...Object.keys(E2E_LANES)] : projects;
		const installed = ensurePrerequisites(lanes);
		console.log(installed.length ? `installed ${installed.join(', ')}` : 'all present');
	});
	await ensureDependencies();
	await step('build', () => mustRun('npm run build', NPM, ['run', 'build']));
	// Lint belongs to the full run; a focused run (--only) skips it to stay quick.
	if (full) await step('lint', () => mustRun('npm run lint', NPM, ['run', 'lint']));
	// n8n's community-package scanner rules on the source and the packed tarball (scan-allowlist.json).
	if (full) await step("n8n's scanner rules (source and tarball)", () => mustRun('npm run scan', NPM, ['run', 'scan']));

	const { ensureTlsCertificate, DEFAULT_TLS_DIR } = require('./lib/emulator.cjs');
	let caCertPath;
	await step('emulator TLS certificate', async () => {
		caCertPath = ensureTlsCertificate(DEFAULT_TLS_DIR);
		console.log(path.relative(ROOT, caCertPath));
	});
	const env = { ...process.env, NODE_EXTRA_CA_CERTS: caCertPath };
	// The README's screenshots, written by the browser lane (`npm run screenshots`).
	if (screenshots) env.BROWSER_SCREENSHOTS = path.join(ROOT, 'docs');
	const jest = path.join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js');
	const jestArgs = (...args) => [jest, '--cacheDirectory', jestCache, ...args];

	const inProcess = projects.filter((project) => project !== 'e2e' && !(project in E2E_LANES));
	if (inProcess.length) {
		await step(`jest: ${inProcess.join(' + ')}`, () =>
			mustRun('jest', process.execPath, jestArgs('--selectProjects', ...inProcess), { env }),
		);
	}

	const e2e = projects.includes('e2e');
	const lanes = Object.keys(E2E_LANES).filter((lane) => projects.includes(lane));
	if (e2e || lanes.length) {
		const host = require('./lib/n8n-host.cjs');
		const verdaccio = require('./lib/verdaccio.cjs');
		await step(`n8n host (n8n ${host.N8N_VERSION} on Node ${host.NODE_VERSION}, installed once into .n8n-host/)`, () => host.ensureHost());
		if (e2e) {
			// The compatibility lane (test/e2e/n8n1x.test.ts): the last n8n 1.x on this Node.
			const host1x = host.createHost(host.HOST_1X);
			await step(`n8n 1.x host (n8n ${host1x.N8N_VERSION} on this Node ${host1x.NODE_VERSION}, installed once into .n8n-host-1x/)`, () =>
				host1x.ensureHost(),
			);
		}
		// The registry lane (test/e2e/registry.test.ts): a local npm registry n8n installs from.
		if (e2e || lanes.includes('registry')) await step(`verdaccio (${verdaccio.VERDACCIO_VERSION}, the registry lane's npm registry, installed once into .verdaccio/)`, () =>
			verdaccio.ensureVerdaccio(),
		);
		const label = e2e ? 'jest: e2e (real n8n + emulator, registry lane, browser lane, queue lane)' : `jest: e2e ${lanes.join(' + ')} lane (real n8n + emulator)`;
		const args = jestArgs('--selectProjects', 'e2e', '--runInBand', ...(e2e ? [] : ['--testPathPatterns', lanes.map((lane) => E2E_LANES[lane]).join('|')]));
		await step(label, () =>
			// E2E_PREBUILT: the build above is current, the harness only packs it.
			mustRun('jest e2e', process.execPath, args, { env: { ...env, E2E_PREBUILT: '1' } }),
		);
	}

	headline(`all passed in ${formatSeconds(Date.now() - started)}`);
	for (const line of timings) console.log(`  ${line}`);
}

main().catch((error) => {
	console.error(`\n${error.message ?? error}`);
	process.exit(typeof error.exitCode === 'number' && error.exitCode !== 0 ? error.exitCode : 1);
});
