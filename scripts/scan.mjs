#!/usr/bin/env node
/**
 * `npm run scan`: n8n's community-package scanner rules, on the source and on the packed tarball.
 *
 * n8n vets community packages with `@n8n/scan-community-package`. Its ESLint leg lints the
 * provenance-attested source (package.json and nodes/, credentials/) and the published tarball
 * (its .js files and package.json) with `@n8n/eslint-plugin-community-nodes`' strict
 * `recommended` preset, `no-console`, and `eslint-plugin-n8n-nodes-base`'s community, credentials
 * and nodes rulesets, with inline `eslint-disable` comments ignored. This script builds the same
 * configuration from the same plugins (devDependencies here) and lints the same files.
 *
 * It does not depend on the scanner package itself: that package pins
 * eslint-plugin-n8n-nodes-base 1.x, whose preinstall script (`npx only-allow pnpm`) fails under
 * `npm ci`.
 *
 * The one place where a finding may be let through is scan-allowlist.json: each entry names the
 * rule, the module (a path suffix, without extension, so it holds for the source and the compiled
 * tarball) and a part of the message, with its reason. A finding no entry covers fails the scan,
 * and so does an entry that covers nothing (the list only shrinks).
 *
 * Usage: node scripts/scan.mjs [--no-allowlist] [--source-only] [--dir <package folder>]
 *        [--allowlist <file>]
 *   --no-allowlist  report every finding (what n8n's scanner reports), exit 1 if there are any
 *   --source-only   skip the tarball leg (no `npm pack`)
 *   --dir           scan this folder's source instead of the repository (tests use fixtures)
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import communityNodes from '@n8n/eslint-plugin-community-nodes';
import { ESLint } from 'eslint';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';
import tseslint from 'typescript-eslint';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The scanner's configuration (buildScanConfig in @n8n/scan-community-package 0.32.0). */
export function scanConfig() {
	return [
		communityNodes.configs.recommended,
		{ rules: { 'no-console': 'error' } },
		{ plugins: { 'n8n-nodes-base': n8nNodesBase } },
		{ files: ['package.json'], rules: { ...n8nNodesBase.configs.community.rules } },
		{
			files: ['**/credentials/**/*.ts'],
			rules: {
				...n8nNodesBase.configs.credentials.rules,
				'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
				'n8n-nodes-base/cred-class-field-type-options-password-missing': 'off',
			},
		},
		{
			files: ['**/nodes/**/*.ts'],
			rules: {
				...n8nNodesBase.configs.nodes.rules,
				'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
				'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
				'n8n-nodes-base/node-param-type-options-max-value-present': 'off',
			},
		},
		{ files: ['**/*.json'], languageOptions: { parser: tseslint.parser } },
		{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } },
	];
}

/** What the scanner lints in each leg, relative to the package folder. */
const LEGS = {
	source: (file) => file === 'package.json' || /^(nodes|credentials)\/.*\.(js|ts|json)$/.test(file),
	tarball: (file) => file === 'package.json' || file.endsWith('.js'),
};

function filesOf(dir, keep) {
	return fs
		.readdirSync(dir, { recursive: true, withFileTypes: true })
		.filter((entry) => entry.isFile())
		.map((entry) => path.relative(dir, path.join(entry.parentPath ?? entry.path, entry.name)).split(path.sep).join('/'))
		.filter((file) => !file.startsWith('node_modules/') && !file.endsWith('package-lock.json') && keep(file))
		.sort();
}

export async function lintLeg(dir, leg) {
	const eslint = new ESLint({ cwd: dir, allowInlineConfig: false, overrideConfigFile: true, overrideConfig: scanConfig() });
	const files = filesOf(dir, LEGS[leg]);
	const results = await eslint.lintFiles(files.map((file) => path.join(dir, file)));
	return results.flatMap((result) =>
		result.messages.map((message) => ({
			leg,
			file: path.relative(dir, result.filePath).split(path.sep).join('/'),
			line: message.line,
			column: message.column,
			severity: message.severity === 2 ? 'error' : 'warning',
			rule: message.ruleId ?? '(parser)',
			message: message.message,
		})),
	);
}

export function readAllowlist(file) {
	const list = JSON.parse(fs.readFileSync(file, 'utf8'));
	const entries = [];
	for (const [category, items] of Object.entries(list)) {
		if (category.startsWith('$')) continue;
		for (const item of items) entries.push({ ...item, category });
	}
	return entries;
}

function moduleOf(file) {
	return file === 'package.json' ? 'package.json' : file.replace(/\.(d\.ts|ts|js|json)$/, '');
}

/** Whether the entry covers the finding: same rule, module path ends with the entry's, message contains its text. */
export function covers(entry, finding) {
	const module = moduleOf(finding.file);
	return (
		entry.rule === finding.rule &&
		(module === entry.module || module.endsWith(`/${entry.module}`)) &&
		finding.message.includes(entry.message)
	);
}

export function applyAllowlist(findings, entries) {
	const used = new Set();
	const open = [];
	const byCategory = {};
	for (const finding of findings) {
		const entry = entries.find((candidate) => covers(candidate, finding));
		if (entry) {
			used.add(entry);
			byCategory[entry.category] = (byCategory[entry.category] ?? 0) + 1;
		} else open.push(finding);
	}
	return { open, allowed: findings.length - open.length, byCategory, stale: entries.filter((entry) => !used.has(entry)) };
}

function packTarball(into) {
	if (!fs.existsSync(path.join(ROOT, 'dist'))) throw new Error('dist/ is missing: run `npm run build` first (the tarball leg lints what `npm pack` ships)');
	const pack = spawnSync('npm', ['pack', '--silent', '--pack-destination', into], { cwd: ROOT, encoding: 'utf8' });
	if (pack.status !== 0) throw new Error(`npm pack failed: ${pack.stderr}`);
	const tarball = path.join(into, pack.stdout.trim().split('\n').pop());
	const dir = path.join(into, 'package');
	fs.mkdirSync(dir);
	const untar = spawnSync('tar', ['-xzf', tarball, '-C', dir, '--strip-components=1'], { encoding: 'utf8' });
	if (untar.status !== 0) throw new Error(`tar failed: ${untar.stderr}`);
	return dir;
}

function parseArgs(argv) {
	const options = { allowlist: path.join(ROOT, 'scan-allowlist.json'), useAllowlist: true, tarball: true, dir: ROOT };
	for (let index = 0; index < argv.length; index++) {
		const arg = argv[index];
		if (arg === '--no-allowlist') options.useAllowlist = false;
		else if (arg === '--source-only') options.tarball = false;
		else if (arg === '--dir') options.dir = path.resolve(argv[++index]);
		else if (arg === '--allowlist') options.allowlist = path.resolve(argv[++index]);
		else throw new Error(`Unknown argument ${arg} (see the usage at the top of scripts/scan.mjs)`);
	}
	if (options.dir !== ROOT) options.tarball = false;
	return options;
}

function format(finding) {
	return `  ${finding.leg} ${finding.file}:${finding.line}:${finding.column}  ${finding.severity}  ${finding.message}  ${finding.rule}`;
}

async function main() {
	const options = parseArgs(process.argv.slice(2));
	const findings = await lintLeg(options.dir, 'source');
	const sourceCount = findings.length;
	if (options.tarball) {
		const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'm365d-scan-'));
		try {
			findings.push(...(await lintLeg(packTarball(temp), 'tarball')));
		} finally {
			fs.rmSync(temp, { recursive: true, force: true });
		}
	}
	const counts = `source ${sourceCount}${options.tarball ? `, tarball ${findings.length - sourceCount}` : ''}`;
	if (!options.useAllowlist) {
		for (const finding of findings) console.log(format(finding));
		console.log(`n8n scanner rules: ${findings.length} findings (${counts}), no allow-list applied`);
		process.exit(findings.length ? 1 : 0);
	}
	const { open, allowed, byCategory, stale } = applyAllowlist(findings, readAllowlist(options.allowlist));
	for (const finding of open) console.log(format(finding));
	for (const entry of stale) console.log(`  stale allow-list entry (covers no finding; remove it): ${entry.rule} ${entry.module} "${entry.message}"`);
	console.log(
		`n8n scanner rules: ${findings.length} findings (${counts}), ${allowed} covered by ${path.relative(process.cwd(), options.allowlist) || options.allowlist} (${Object.entries(byCategory).map(([category, count]) => `${category} ${count}`).join(', ') || 'none'}), ${open.length} not covered, ${stale.length} stale entries`,
	);
	process.exit(open.length || stale.length ? 1 : 0);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	main().catch((error) => {
		console.error(error.message ?? error);
		process.exit(2);
	});
}
