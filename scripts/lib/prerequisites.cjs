/**
 * What `npm test` needs besides Node.js and npm, checked before any time is spent: openssl (the
 * emulator's TLS certificate), Debian's redis-server (integration tests of the shared rate budget,
 * the queue lane), PostgreSQL (the queue lane) and Chromium (the browser lane). As root with
 * apt-get (as in CI, `.ci/run`), what is missing is installed; otherwise the run stops at once
 * and says what is missing and the command that installs it.
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');

/** Each prerequisite: which test projects or lanes need it, how to find it, its Debian packages. */
const PREREQUISITES = [
	{ name: 'openssl', for: ['unit', 'integration', 'e2e', 'registry', 'browser', 'queue'], present: () => onPath('openssl'), packages: ['openssl'], why: "the emulator's TLS certificate" },
	{ name: 'redis-server', for: ['integration', 'e2e', 'queue'], present: () => fs.existsSync('/usr/bin/redis-server'), packages: ['redis-server'], why: 'the shared rate budget (integration tests) and the queue lane' },
	{ name: 'PostgreSQL', for: ['e2e', 'queue'], present: () => fs.existsSync('/usr/lib/postgresql'), packages: ['postgresql'], why: "the queue lane (n8n's database in queue mode)" },
	{ name: 'Chromium', for: ['e2e', 'browser'], present: () => fs.existsSync('/usr/bin/chromium'), packages: ['chromium'], why: 'the browser lane (the n8n editor)' },
];

function onPath(command) {
	return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/** The prerequisites the given projects need that are not on this machine. */
function missingFor(projects, prerequisites = PREREQUISITES) {
	return prerequisites.filter((item) => item.for.some((project) => projects.includes(project)) && !item.present());
}

function installCommand(missing) {
	return `apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y ${missing.flatMap((item) => item.packages).join(' ')}`;
}

/**
 * Checks (and as root installs) what the projects need; throws with the fixing command otherwise.
 * Returns what it installed.
 */
function ensurePrerequisites(projects, { prerequisites = PREREQUISITES, isRoot = process.getuid?.() === 0, hasAptGet = onPath('apt-get'), run = defaultRun, log = console.log } = {}) {
	const missing = missingFor(projects, prerequisites);
	if (missing.length === 0) return [];
	const list = missing.map((item) => `${item.name} (${item.why})`).join(', ');
	if (!isRoot || !hasAptGet) {
		const error = new Error(`Missing: ${list}.\nInstall with: ${isRoot ? '' : 'sudo '}${installCommand(missing)}\n(or run only what needs none of it, e.g. npm run test:unit)`);
		error.exitCode = 3;
		throw error;
	}
	log(`installing ${list} with apt-get (as .ci/run does)`);
	run(installCommand(missing));
	const still = missing.filter((item) => !item.present());
	if (still.length) throw new Error(`apt-get did not install ${still.map((item) => item.name).join(', ')}; see its output above`);
	return missing.map((item) => item.name);
}

function defaultRun(command) {
	const result = spawnSync('sh', ['-c', command], { stdio: 'inherit' });
	if (result.status !== 0) throw new Error(`${command} failed (exit ${result.status})`);
}

module.exports = { PREREQUISITES, missingFor, installCommand, ensurePrerequisites };
