import { ensurePrerequisites, PREREQUISITES, type Prerequisite } from '../../scripts/lib/prerequisites.cjs';

/** `npm test` checks what it needs besides Node.js and npm first, and installs it as root (as .ci/run). */
describe('npm test prerequisites', () => {
	function fake(installed: Set<string>): Prerequisite[] {
		return PREREQUISITES.map((item) => ({ ...item, present: () => installed.has(item.name) }));
	}

	it('covers every lane: redis-server for integration, Chromium for the browser lane, PostgreSQL for the queue lane', () => {
		const needs = (project: string) => PREREQUISITES.filter((item) => item.for.includes(project)).map((item) => item.name);
		expect(needs('unit')).toEqual(['openssl']);
		expect(needs('integration')).toEqual(['openssl', 'redis-server']);
		expect(needs('browser')).toEqual(['openssl', 'Chromium']);
		expect(needs('queue')).toEqual(['openssl', 'redis-server', 'PostgreSQL']);
	});

	it('not root: stops at once with what is missing and the command that installs it', () => {
		const prerequisites = fake(new Set(['openssl']));
		expect(() => ensurePrerequisites(['unit', 'integration', 'browser'], { prerequisites, isRoot: false, hasAptGet: true, run: () => {}, log: () => {} })).toThrow(
			'Missing: redis-server (the shared rate budget (integration tests) and the queue lane), Chromium (the browser lane (the n8n editor)).\n' +
				'Install with: sudo apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y redis-server chromium',
		);
	});

	it('root with apt-get: installs what is missing, once, and checks it is there', () => {
		const installed = new Set(['openssl']);
		const prerequisites = fake(installed);
		const commands: string[] = [];
		const run = (command: string) => {
			commands.push(command);
			installed.add('redis-server');
		};
		expect(ensurePrerequisites(['unit', 'integration'], { prerequisites, isRoot: true, hasAptGet: true, run, log: () => {} })).toEqual(['redis-server']);
		expect(commands).toEqual(['apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y redis-server']);
	});

	it('asks nothing of what the chosen projects do not need', () => {
		const prerequisites = fake(new Set(['openssl']));
		expect(ensurePrerequisites(['unit'], { prerequisites, isRoot: false, hasAptGet: false, run: () => { throw new Error('ran'); }, log: () => {} })).toEqual([]);
	});
});
