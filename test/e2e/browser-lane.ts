/**
 * The browser lane (issue 15, browser.test.ts): the real n8n 2.40.7 editor driven in Debian's
 * Chromium (/usr/bin/chromium) with playwright-core (no browser download), the way a user meets
 * the package:
 *
 *  1. the emulator (scripts/lib/emulator.cjs) on random ports, and the packed package installed
 *     into a fresh user folder as harness.ts does it (`npm install --omit=peer <tarball>` into
 *     `<user folder>/.n8n/nodes`);
 *  2. `n8n import:credentials` (the demo credential, filled in for the emulator) and
 *     `n8n import:workflow` (demo/workflows/*.json) before `n8n start`; the owner is set up
 *     through the REST API (n8nServer.ts);
 *  3. Chromium signs in at /signin and browser.test.ts drives the editor step by step.
 *
 * BROWSER_SCREENSHOTS=<dir> (what `npm run screenshots` sets, to docs/) writes the screenshots the
 * README shows; every run also keeps step screenshots in its work folder (`shots/`), which a
 * failing run names in its output.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';

import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

import * as demo from '../../scripts/lib/demo.cjs';
import type { DemoWorkflow } from '../../scripts/lib/demo.cjs';
import * as emulatorLib from '../../scripts/lib/emulator.cjs';
import type { RunningEmulator } from '../../scripts/lib/emulator.cjs';
import * as host from '../../scripts/lib/n8n-host.cjs';
import { launchN8nServer, signInWhenReady, type N8nServer } from './n8nServer';

export const CHROMIUM = process.env.BROWSER_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
	'--no-sandbox',
	'--headless',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];
/** The little of the DOM the page functions below use (the test tsconfig has no DOM lib). */
interface Dom {
	innerText: string;
	offsetParent: unknown;
	children: ArrayLike<Dom>;
	querySelector(selector: string): Dom | null;
	querySelectorAll(selector: string): ArrayLike<Dom>;
}

export const VIEWPORT = { width: 1280, height: 800 };
export const OWNER = { email: 'e2e.browser@example.com', firstName: 'E2E', lastName: 'Browser', password: 'E2e-browser-password-1' };

export interface BrowserStack {
	root: string;
	emulator: RunningEmulator;
	server: N8nServer;
	baseUrl: string;
	browser: Browser;
	context: BrowserContext;
	page: Page;
	demoWorkflows: DemoWorkflow[];
	/** Where step screenshots go (always), and the docs folder (BROWSER_SCREENSHOTS) if set. */
	shotsDir: string;
	docsDir?: string;
	timings: Record<string, number>;
	stop(): Promise<void>;
}

function log(message: string): void {
	process.stderr.write(`[e2e] browser: ${message}\n`);
}

async function timed<T>(timings: Record<string, number>, label: string, work: () => Promise<T> | T): Promise<T> {
	const started = Date.now();
	try {
		return await work();
	} finally {
		timings[label] = Date.now() - started;
		log(`${label}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
	}
}

export async function startBrowserStack(options: { root: string; build: boolean; tarball?: string; docsDir?: string }): Promise<BrowserStack> {
	const { root } = options;
	const timings: Record<string, number> = {};
	if (!existsSync(CHROMIUM)) {
		throw new Error(`${CHROMIUM} is missing: install Debian's Chromium (apt-get install -y chromium; .ci/run does it in CI)`);
	}
	const tlsDir = emulatorLib.DEFAULT_TLS_DIR;
	emulatorLib.ensureTlsCertificate(tlsDir);
	const folder = path.join(root, 'n8n-browser');
	mkdirSync(folder, { recursive: true });
	const shotsDir = path.join(root, 'shots');
	mkdirSync(shotsDir, { recursive: true });
	if (options.docsDir) mkdirSync(options.docsDir, { recursive: true });

	const [emulator] = await Promise.all([
		timed(timings, 'start emulator', () => emulatorLib.startEmulator({
				tlsDir,
				stateFile: path.join(root, 'emulator-state.json'),
				// tsx compiles the emulator on start: on a loaded machine (a CI run and a benchmark next to
				// this one) that has taken over 60 s.
				startTimeoutMs: 180_000,
			})),
		timed(timings, 'pack + install package', () => host.installPackage(folder, { build: options.build, tarball: options.tarball })),
	]);
	let server: N8nServer | undefined;
	let browser: Browser | undefined;
	try {
		const info = emulator.info;
		const caCertPath = info.caCertPath;
		const env = host.n8nEnv(folder, { caCertPath });
		const demoWorkflows = demo.demoWorkflows();
		await timed(timings, 'import credential + workflows', async () => {
			await host.importJson('credentials', demo.demoCredentials(info), env);
			await host.importJson('workflow', demoWorkflows, env);
		});
		// Chromium starts while n8n boots.
		const launched = timed(timings, 'launch chromium', () => chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS }));
		server = await launchN8nServer(folder, caCertPath);
		const started = server;
		await timed(timings, 'n8n start + owner', () => signInWhenReady(started, OWNER));
		browser = await launched;
		const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1, locale: 'en-US' });
		context.setDefaultTimeout(20_000);
		const page = await context.newPage();
		const baseUrl = `http://localhost:${server.port}`;
		const openBrowser = browser;
		return {
			root,
			emulator,
			server,
			baseUrl,
			browser,
			context,
			page,
			demoWorkflows,
			shotsDir,
			docsDir: options.docsDir,
			timings,
			async stop() {
				await openBrowser.close().catch(() => undefined);
				await started.n8n.stop({ timeoutMs: 10_000 }).catch(() => undefined);
				await emulator.stop();
			},
		};
	} catch (error) {
		await browser?.close().catch(() => undefined);
		await server?.n8n.stop({ timeoutMs: 10_000 }).catch(() => undefined);
		log(`n8n output:\n${server?.n8n.output().slice(-3000) ?? ''}`);
		await emulator.stop();
		throw error;
	}
}

/** A screenshot of the page: always into the work folder, and into docs/ when asked (`docsName`). */
export async function shoot(stack: BrowserStack, name: string, docsName?: string): Promise<void> {
	const file = path.join(stack.shotsDir, `${name}.png`);
	await stack.page.screenshot({ path: file });
	if (docsName && stack.docsDir) {
		await stack.page.screenshot({ path: path.join(stack.docsDir, `${docsName}.png`) });
		log(`wrote ${path.relative(host.ROOT, path.join(stack.docsDir, `${docsName}.png`))}`);
	}
}

/** Opens an editor route (the SPA never fires `load` while it polls; wait for a selector instead). */
export async function open(stack: BrowserStack, route: string, readySelector: string): Promise<void> {
	await stack.page.goto(stack.baseUrl + route, { waitUntil: 'commit', timeout: 60_000 });
	await stack.page.locator(readySelector).first().waitFor({ state: 'visible', timeout: 60_000 });
}

export async function signIn(stack: BrowserStack): Promise<string> {
	const { page } = stack;
	// A leave-page prompt of an unsaved workflow would otherwise cancel the next navigation.
	page.on('dialog', (dialog) => void dialog.accept().catch(() => undefined));
	await open(stack, '/signin', '[data-test-id="emailOrLdapLoginId"] input');
	await page.locator('[data-test-id="emailOrLdapLoginId"] input').fill(OWNER.email);
	await page.locator('[data-test-id="password"] input').fill(OWNER.password);
	await page.locator('[data-test-id="form-submit-button"]').click();
	await page.waitForURL((url) => !url.pathname.startsWith('/signin'), { timeout: 60_000 });
	return new URL(page.url()).pathname;
}

/** A parameter's element (`parameter-input-<name>`) inside a container (the credential dialog, the node panel). */
export function param(stack: BrowserStack, scope: string, name: string) {
	return stack.page.locator(`${scope} [data-test-id="parameter-input-${name}"]`);
}

/** Picks an option of an options parameter by its visible name. */
export async function choose(stack: BrowserStack, scope: string, name: string, option: string): Promise<void> {
	await param(stack, scope, name).click();
	const item = stack.page.locator('.el-select-dropdown__item:visible').filter({ hasText: option }).first();
	await item.click();
	await stack.page.waitForTimeout(300);
}

/** The option names an options parameter offers (first line of each: the description follows). */
export async function optionsOf(stack: BrowserStack, scope: string, name: string): Promise<string[]> {
	await param(stack, scope, name).click();
	const items = stack.page.locator('.el-select-dropdown__item:visible');
	await items.first().waitFor({ state: 'visible' });
	const texts = await items.allInnerTexts();
	await stack.page.keyboard.press('Escape');
	await stack.page.waitForTimeout(200);
	return texts.map((text) => text.split('\n')[0].trim());
}

/** Which of `names` are shown as parameters in `scope` right now. */
export async function shownParams(stack: BrowserStack, scope: string, names: string[]): Promise<string[]> {
	const shown: string[] = [];
	for (const name of names) if (await param(stack, scope, name).isVisible()) shown.push(name);
	return shown;
}

export async function fillParam(stack: BrowserStack, scope: string, name: string, value: string): Promise<void> {
	await param(stack, scope, name).locator('input, textarea').first().fill(value);
}

/** Opens a resource locator's "From list" dropdown, types a search and returns the items shown. */
export async function searchList(stack: BrowserStack, locatorName: string, term?: string): Promise<string[]> {
	const { page } = stack;
	await page.locator(`[data-test-id="resource-locator-${locatorName}"] [data-test-id="rlc-input"]`).click();
	const items = page.locator('[data-test-id="rlc-item"]:visible');
	await items.first().waitFor({ state: 'visible', timeout: 30_000 }).catch(() => undefined);
	if (term !== undefined) {
		await page.locator('[data-test-id="rlc-search"]:visible').fill(term);
		// n8n runs the list search (debounced) and shows loading placeholders until it answers:
		// wait until the list shows only items with the term (or give up and return what is shown).
		await page
			.waitForFunction(
				(wanted) => {
					const dom = (globalThis as unknown as { document: Dom }).document;
					const shown = Array.from(dom.querySelectorAll('[data-test-id="rlc-item"]')).filter((element) => element.offsetParent !== null);
					return shown.length > 0 && shown.every((element) => element.innerText.toLowerCase().includes(wanted));
				},
				term.toLowerCase(),
				{ timeout: 30_000 },
			)
			.catch(() => undefined);
	}
	return (await items.allInnerTexts()).map((text) => text.trim());
}

export async function setLocatorMode(stack: BrowserStack, locatorName: string, mode: 'From list' | 'By ID' | 'By URL'): Promise<void> {
	await stack.page.locator(`[data-test-id="resource-locator-${locatorName}"] [data-test-id="rlc-mode-selector"]`).click();
	await stack.page.locator('.el-select-dropdown__item:visible').filter({ hasText: mode }).first().click();
	await stack.page.waitForTimeout(300);
}

/** The output panel's table: header names and the cells of every row. */
export async function outputTable(stack: BrowserStack): Promise<{ headers: string[]; rows: string[][] }> {
	const table = stack.page.locator('[data-test-id="output-panel"] [data-test-id="ndv-data-container"] table').first();
	await table.waitFor({ state: 'visible', timeout: 60_000 });
	return table.evaluate((node) => {
		const element = node as unknown as Dom;
		return {
			headers: Array.from(element.querySelector(':scope > thead > tr')?.children ?? []).map((cell) => cell.innerText.trim()),
			rows: Array.from(element.querySelectorAll(':scope > tbody > tr')).map((row) => Array.from(row.children).map((cell) => cell.innerText.trim())),
		};
	});
}

/** The value of column `header` in each row of the output table. */
export function column(table: { headers: string[]; rows: string[][] }, header: string): string[] {
	const index = table.headers.indexOf(header);
	if (index < 0) throw new Error(`The output table has no "${header}" column: ${table.headers.join(', ')}`);
	return table.rows.map((row) => row[index]);
}
