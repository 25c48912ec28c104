import { readFileSync } from 'node:fs';
import path from 'node:path';

import { hintForAadCode } from '../../nodes/Microsoft365Defender/transport/auth/aadErrors';

/** The README's Troubleshooting table lists every Entra ID code the node has a hint for, with that hint. */
describe('README Troubleshooting', () => {
	const root = path.resolve(__dirname, '..', '..');
	const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
	const section = readme.slice(readme.indexOf('\n## Troubleshooting'), readme.indexOf('\n## ', readme.indexOf('\n## Troubleshooting') + 5));
	const source = readFileSync(path.join(root, 'nodes', 'Microsoft365Defender', 'transport', 'auth', 'aadErrors.ts'), 'utf8');
	const codes = [...source.matchAll(/^\t(\d{4,9}):/gm)].map((match) => Number(match[1]));

	it('has a row per AADSTS code with the node\'s own hint', () => {
		expect(codes.length).toBeGreaterThan(15);
		for (const code of codes) {
			const row = section.split('\n').find((line) => line.startsWith(`| AADSTS${code} |`));
			expect({ code, row: row?.replace(/\\\|/g, '|') }).toEqual({ code, row: `| AADSTS${code} | ${hintForAadCode(code)} |` });
		}
	});

	it('the table of contents links every section', () => {
		const contents = readme.split('\n').find((line) => line.startsWith('**Contents:**')) ?? '';
		for (const heading of readme.split('\n').filter((line) => line.startsWith('## ')).map((line) => line.slice(3))) {
			expect({ heading, listed: contents.includes(`[${heading}](#`) }).toEqual({ heading, listed: true });
		}
	});
});
