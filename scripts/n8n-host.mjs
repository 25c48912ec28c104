#!/usr/bin/env node
/**
 * A real n8n (2.40.7, on its own Node 24) for end-to-end tests and `npm start`.
 *
 *   node scripts/n8n-host.mjs ensure              install into .n8n-host/ unless already there
 *   node scripts/n8n-host.mjs status              print what is installed
 *   node scripts/n8n-host.mjs install <folder>    build, pack and install this package into <folder>/.n8n/nodes
 *   node scripts/n8n-host.mjs n8n <folder> -- <args...>   run n8n with that user folder
 *
 * `--1x` before the command uses the n8n 1.x host instead (n8n 1.123.81 on this Node, in
 * .n8n-host-1x/; the e2e compatibility lane), e.g. `node scripts/n8n-host.mjs --1x status`.
 *
 * The logic lives in scripts/lib/n8n-host.cjs so the jest harness (CommonJS) can use it too.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const host = require('./lib/n8n-host.cjs');

export const {
	N8N_VERSION,
	NODE_VERSION,
	HOST_DIR,
	ENCRYPTION_KEY,
	ensureHost,
	hostStatus,
	hostPaths,
	packPackage,
	installPackage,
	n8nEnv,
	runN8n,
	runN8nChecked,
	parseExecuteOutput,
	importJson,
} = host;

async function main(args) {
	const use1x = args[0] === '--1x';
	const argv = use1x ? args.slice(1) : args;
	const selected = use1x ? host.createHost(host.HOST_1X) : host;
	const { ensureHost, hostStatus, n8nEnv, runN8n } = selected;
	const [command, ...rest] = argv;
	switch (command) {
		case 'ensure': {
			const paths = await ensureHost();
			console.log(JSON.stringify(paths, null, 2));
			return 0;
		}
		case 'status': {
			console.log(JSON.stringify({ wanted: { n8n: selected.N8N_VERSION, node: selected.NODE_VERSION }, hostDir: selected.HOST_DIR, ...hostStatus() }, null, 2));
			return 0;
		}
		case 'install': {
			if (!rest[0]) throw new Error('usage: n8n-host.mjs install <userFolder> [--no-build]');
			const result = installPackage(resolve(rest[0]), { build: !rest.includes('--no-build') });
			console.log(JSON.stringify(result, null, 2));
			return 0;
		}
		case 'n8n': {
			const folder = rest[0];
			const separator = rest.indexOf('--');
			if (!folder || separator < 0) throw new Error('usage: n8n-host.mjs n8n <userFolder> -- <n8n args...>');
			await ensureHost({ quiet: true });
			const caCertPath = resolve(host.ROOT, '.emulator', 'tls', 'cert.pem');
			const env = n8nEnv(resolve(folder), existsSync(caCertPath) ? { caCertPath } : {});
			const result = await runN8n(rest.slice(separator + 1), env, { timeoutMs: 24 * 3600_000 });
			process.stdout.write(result.stdout);
			process.stderr.write(result.stderr);
			return result.code ?? 1;
		}
		default:
			console.error('usage: node scripts/n8n-host.mjs [--1x] ensure | status | install <userFolder> | n8n <userFolder> -- <args...>');
			return command ? 1 : 0;
	}
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	main(process.argv.slice(2)).then(
		(code) => process.exit(code),
		(error) => {
			console.error(error instanceof Error ? error.message : error);
			process.exit(1);
		},
	);
}
