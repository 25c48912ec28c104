/**
 * What `npm pack` puts in the package users install (issue 16). In the e2e project because it needs
 * a current `dist/`: `scripts/test.mjs` builds before jest and sets E2E_PREBUILT=1; run alone, the
 * test builds first (as the e2e harness does).
 *
 * Packed: dist/** (compiled nodes and credential, their icons and codex files), package.json,
 * README.md, LICENSE, CHANGELOG.md. Not packed: tests, TypeScript sources, source maps, tsbuildinfo.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

interface PackInfo {
	name: string;
	version: string;
	size: number;
	unpackedSize: number;
	entryCount: number;
	files: Array<{ path: string; size: number }>;
}

interface Manifest {
	name: string;
	version: string;
	license?: string;
	author?: { name?: string; email?: string } | string;
	repository?: { type?: string; url?: string };
	homepage?: string;
	bugs?: { url?: string };
	keywords?: string[];
	engines?: Record<string, string>;
	dependencies?: Record<string, string>;
	n8n: { n8nNodesApiVersion: number; nodes: string[]; credentials: string[] };
	[key: string]: unknown;
}

function npm(args: string[]): string {
	const env = { ...process.env };
	for (const key of Object.keys(env)) if (key.toLowerCase().startsWith('npm_config_')) delete env[key];
	const result = spawnSync(NPM, args, { cwd: ROOT, encoding: 'utf8', env, maxBuffer: 32 * 1024 * 1024 });
	if (result.status !== 0) throw new Error(`npm ${args.join(' ')} failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
	return result.stdout;
}

let pack: PackInfo;
let files: string[];
// eslint-disable-next-line @typescript-eslint/no-require-imports
const manifest = require(path.join(ROOT, 'package.json')) as Manifest;

beforeAll(() => {
	if (process.env.E2E_PREBUILT !== '1') npm(['run', 'build']);
	const output = npm(['pack', '--dry-run', '--json', '--ignore-scripts']);
	pack = (JSON.parse(output.slice(output.indexOf('['))) as PackInfo[])[0];
	files = pack.files.map((file) => file.path).sort();
	process.stderr.write(
		`[package] ${pack.name}@${pack.version}: ${pack.entryCount} files, ${(pack.size / 1024).toFixed(1)} kB packed, ` +
			`${(pack.unpackedSize / 1024).toFixed(1)} kB unpacked\n`,
	);
}, 180_000);

describe('npm pack contents', () => {
	it('packs only dist/**, package.json, README.md, LICENSE and CHANGELOG.md', () => {
		const outside = files.filter((file) => !file.startsWith('dist/') && !['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md'].includes(file));
		expect(outside).toEqual([]);
		for (const file of ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md']) expect(files).toContain(file);
	});

	it("has every node and credential named in package.json's n8n section, with its icons and codex", () => {
		expect(manifest.n8n.n8nNodesApiVersion).toBe(1);
		const entries = [...manifest.n8n.nodes, ...manifest.n8n.credentials];
		expect(manifest.n8n.nodes.length).toBeGreaterThanOrEqual(2);
		expect(manifest.n8n.credentials.length).toBeGreaterThanOrEqual(1);
		for (const entry of entries) expect(files).toContain(entry);
		for (const node of manifest.n8n.nodes) {
			// The codex file sits next to the node as <Name>.node.json (n8n reads it for categories and docs links).
			expect(files).toContain(node.replace(/\.js$/, '.json'));
			const dir = path.posix.dirname(node);
			expect(files.filter((file) => file.startsWith(`${dir}/`) && file.endsWith('.svg')).length).toBeGreaterThan(0);
		}
		const icons = files.filter((file) => file.endsWith('.svg'));
		expect(icons.length).toBeGreaterThanOrEqual(2);
	});

	it('the icons the built node and credential descriptions name are in the package', () => {
		const named: string[] = [];
		for (const entry of [...manifest.n8n.nodes, ...manifest.n8n.credentials]) {
			// eslint-disable-next-line @typescript-eslint/no-require-imports
			const module = require(path.join(ROOT, entry)) as Record<string, new () => { description?: { icon?: unknown }; icon?: unknown }>;
			for (const Exported of Object.values(module)) {
				if (typeof Exported !== 'function') continue;
				const instance = new Exported();
				const icon = instance.description?.icon ?? instance.icon;
				const variants = typeof icon === 'string' ? [icon] : icon && typeof icon === 'object' ? Object.values(icon as Record<string, string>) : [];
				for (const variant of variants) {
					if (typeof variant !== 'string' || !variant.startsWith('file:')) continue;
					named.push(path.posix.join(path.posix.dirname(entry), variant.slice('file:'.length)));
				}
			}
		}
		expect(named.length).toBeGreaterThanOrEqual(2);
		for (const icon of named) expect(files).toContain(path.posix.normalize(icon));
	});

	it('has no tests, TypeScript sources, source maps or build info', () => {
		expect(files.filter((file) => /(^|\/)(test|tests|__tests__)\//.test(file) || /\.(test|spec)\.[cm]?[jt]s$/.test(file))).toEqual([]);
		expect(files.filter((file) => /\.[cm]?ts$/.test(file) && !file.endsWith('.d.ts'))).toEqual([]);
		expect(files.filter((file) => file.endsWith('.map'))).toEqual([]);
		expect(files.filter((file) => file.includes('tsbuildinfo'))).toEqual([]);
		expect(files.filter((file) => file.startsWith('dist/test') || file.includes('emulator'))).toEqual([]);
	});

	it('metadata: MIT license with an author and contact, engines, n8n keywords, two pinned runtime dependencies, one GitHub repository for provenance', () => {
		expect(manifest.license).toBe('MIT');
		expect(typeof manifest.author === 'string' ? manifest.author : manifest.author?.name).toBeTruthy();
		expect(manifest.engines?.node).toMatch(/^>=\d+/);
		expect(manifest.keywords).toContain('n8n-community-node-package');
		expect(manifest.name.startsWith('n8n-nodes-')).toBe(true);
		// ioredis only for queue mode (transport/pacing/sharedBudget.ts), at n8n 2.40.7's own version.
		expect(Object.entries(manifest.dependencies ?? {})).toEqual([
			['@azure/msal-node', expect.stringMatching(/^\d+\.\d+\.\d+$/)],
			['ioredis', '5.3.2'],
		]);
		// npm provenance checks that `repository` is the GitHub repository whose workflow publishes; homepage and
		// bugs point into that same repository, so none of them can drift to another.
		const repository = /^git\+https:\/\/github\.com\/([\w.-]+\/[\w.-]+)\.git$/.exec(String(manifest.repository?.url))?.[1];
		expect(repository).toBeDefined();
		expect(manifest.homepage).toBe(`https://github.com/${repository}#readme`);
		expect(manifest.bugs?.url).toBe(`https://github.com/${repository}/issues`);
		expect(typeof manifest.author === 'object' ? manifest.author.email : undefined).toMatch(/^[^@\s]+@[^@\s]+$/);
	});

	it('stays small', () => {
		// Measured 2026-12-01: about 91 kB packed. A jump means something unintended got in.
		expect(pack.size).toBeLessThan(400 * 1024);
	});
});
