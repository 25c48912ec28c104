'use strict';

/** Small helpers shared by scripts/test.mjs and scripts/start.mjs. */

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const NPX = process.platform === 'win32' ? 'npx.cmd' : 'npx';

function headline(text) {
	const line = '='.repeat(Math.max(8, 72 - text.length - 4));
	process.stdout.write(`\n== ${text} ${line}\n`);
}

/** Runs a command with inherited stdio; resolves with its exit code (never rejects on non-zero). */
function run(command, args, options = {}) {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, { cwd: ROOT, stdio: 'inherit', ...options });
		child.on('error', reject);
		child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
	});
}

async function mustRun(label, command, args, options) {
	const code = await run(command, args, options);
	if (code !== 0) {
		const error = new Error(`${label} failed (exit ${code})`);
		error.exitCode = code;
		throw error;
	}
}

function mtime(file) {
	try {
		return fs.statSync(file).mtimeMs;
	} catch {
		return undefined;
	}
}

/** `npm ci` when node_modules is missing or older than package-lock.json. Returns whether it ran. */
async function ensureDependencies() {
	const lock = path.join(ROOT, 'package-lock.json');
	const installed = path.join(ROOT, 'node_modules', '.package-lock.json');
	const installedAt = mtime(installed);
	const lockAt = mtime(lock);
	if (installedAt !== undefined && (lockAt === undefined || lockAt <= installedAt)) return false;
	headline(installedAt === undefined ? 'npm ci (node_modules is missing)' : 'npm ci (package-lock.json changed)');
	await mustRun('npm ci', NPM, ['ci', '--no-audit', '--no-fund']);
	return true;
}

function formatSeconds(ms) {
	return `${(ms / 1000).toFixed(1)} s`;
}

module.exports = { ROOT, NPM, NPX, headline, run, mustRun, ensureDependencies, formatSeconds };
