/**
 * The browser lane (issue 15, browser-lane.ts): the real n8n 2.40.7 editor in Debian's Chromium,
 * driven with playwright-core, against the emulator. The steps run in order on one page: each
 * `it` leaves the editor where the next one starts.
 *
 * BROWSER_SCREENSHOTS=<dir> writes the README's screenshots (`npm run screenshots` sets docs/).
 * E2E_KEEP=1 keeps the work folder (with every step's screenshot in shots/).
 * BROWSER_LANE_TARBALL=<file.tgz> runs the lane on that tarball instead of packing this package
 * (how a broken package is shown to fail the lane).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import * as host from '../../scripts/lib/n8n-host.cjs';
import {
	choose,
	column,
	fillParam,
	open,
	optionsOf,
	outputTable,
	param,
	searchList,
	setLocatorMode,
	shoot,
	shownParams,
	signIn,
	startBrowserStack,
	type BrowserStack,
} from './browser-lane';

const PREBUILT = process.env.E2E_PREBUILT === '1';
const KEEP = process.env.E2E_KEEP === '1';
const DOCS = process.env.BROWSER_SCREENSHOTS ? path.resolve(process.env.BROWSER_SCREENSHOTS) : undefined;

const DIALOG = '[data-test-id="credential-edit-dialog"]';
const NDV = '[data-test-id="ndv"]';
const CREDENTIAL_FIELDS = ['environment', 'mdeRegion', 'loginHost', 'graphUrl', 'mdeUrl', 'tenantId', 'clientId', 'authentication', 'clientSecret', 'privateKey', 'certificate'];
const WAIT_FIELDS = ['waitForCompletion', 'pollIntervalSeconds', 'waitTimeoutSeconds'];
// nodes/Microsoft365Defender/transport/auth/aadErrors.ts, the hint for AADSTS7000215.
const WRONG_SECRET_HINT = 'The client secret is wrong. Paste the secret\'s "Value"';
const TRIAGE_ID = 'demoTriageHigh001';

/** The little of the DOM the page functions use (the test tsconfig has no DOM lib). */
interface PageDom {
	innerText: string;
	querySelector(selector: string): PageDom | null;
	querySelectorAll(selector: string): ArrayLike<PageDom>;
}

let root: string;
let stack: BrowserStack;
let failed = false;

beforeAll(async () => {
	const started = Date.now();
	await host.ensureHost({ quiet: true });
	root = mkdtempSync(path.join(tmpdir(), 'defender-browser-'));
	process.stderr.write(`[e2e] browser: work folder ${root}${KEEP ? ' (kept: E2E_KEEP=1)' : ''}\n`);
	const tarball = process.env.BROWSER_LANE_TARBALL ? path.resolve(process.env.BROWSER_LANE_TARBALL) : undefined;
	stack = await startBrowserStack({ root, build: !PREBUILT && !tarball, tarball, docsDir: DOCS });
	process.stderr.write(`[e2e] browser: ready in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}, 300_000);

afterAll(async () => {
	await stack?.stop();
	if (failed || KEEP) process.stderr.write(`[e2e] browser: step screenshots kept in ${path.join(root, 'shots')}\n`);
	else if (root) rmSync(root, { recursive: true, force: true });
});

/** A step: on failure its screenshot is kept (shots/<name>-failed.png) before the error is rethrown. */
function step(name: string, work: () => Promise<void>, timeoutMs = 90_000): void {
	it(
		name,
		async () => {
			try {
				await work();
			} catch (error) {
				failed = true;
				await stack?.page.screenshot({ path: path.join(root, 'shots', `${name.replace(/\W+/g, '-').slice(0, 60)}-failed.png`) }).catch(() => undefined);
				throw error;
			}
		},
		timeoutMs,
	);
}

describe('in the n8n 2.40.7 editor (Chromium, playwright-core)', () => {
	step('signs in at /signin', async () => {
		expect(await signIn(stack)).toMatch(/^\/home/);
	});

	step('the credential dialog shows the fields of the chosen Environment and Authentication', async () => {
		const { page } = stack;
		await open(stack, '/home/credentials/create', '[data-test-id="new-credential-type-select"] input');
		await page.locator('[data-test-id="new-credential-type-select"] input').fill('Defender');
		await page.locator('[data-test-id="new-credential-type-select-option"]').filter({ hasText: 'Microsoft 365 Defender API' }).click();
		await page.locator('[data-test-id="new-credential-type-button"]').click();
		await param(stack, DIALOG, 'environment').waitFor({ state: 'visible' });

		// Global (the default): the region, no custom endpoints; a client secret.
		expect(await shownParams(stack, DIALOG, CREDENTIAL_FIELDS)).toEqual(['environment', 'mdeRegion', 'tenantId', 'clientId', 'authentication', 'clientSecret']);
		expect(await optionsOf(stack, DIALOG, 'environment')).toEqual([
			'China (21Vianet)',
			'Custom Endpoints',
			'Global (Commercial)',
			'US Government DoD',
			'US Government GCC',
			'US Government GCC High',
		]);
		await choose(stack, DIALOG, 'environment', 'Custom Endpoints');
		const custom = await shownParams(stack, DIALOG, CREDENTIAL_FIELDS);
		await choose(stack, DIALOG, 'authentication', 'Certificate');
		const certificate = await shownParams(stack, DIALOG, CREDENTIAL_FIELDS);
		// Back to Client Secret before any assertion, so that the next steps start from it either way.
		await choose(stack, DIALOG, 'authentication', 'Client Secret');
		const secret = await shownParams(stack, DIALOG, CREDENTIAL_FIELDS);
		expect(custom).toEqual(['environment', 'loginHost', 'graphUrl', 'mdeUrl', 'tenantId', 'clientId', 'authentication', 'clientSecret']);
		expect(certificate).toEqual(['environment', 'loginHost', 'graphUrl', 'mdeUrl', 'tenantId', 'clientId', 'authentication', 'privateKey', 'certificate']);
		expect(secret).toEqual(custom);
		await shoot(stack, 'credential-fields');
	});

	step('Save with a wrong secret (the secret ID) tests it and shows the AADSTS7000215 hint', async () => {
		const { page } = stack;
		const info = stack.emulator.info;
		const app = info.apps.full;
		await fillParam(stack, DIALOG, 'loginHost', info.loginHost);
		await fillParam(stack, DIALOG, 'graphUrl', info.graphUrl);
		await fillParam(stack, DIALOG, 'mdeUrl', info.mdeUrl);
		await fillParam(stack, DIALOG, 'tenantId', info.tenantId);
		await fillParam(stack, DIALOG, 'clientId', app.clientId);
		expect(typeof app.secretId).toBe('string');
		await fillParam(stack, DIALOG, 'clientSecret', String(app.secretId));
		await page.locator('[data-test-id="credential-save-button"]').click();
		const details = page.locator(DIALOG).getByText('More details');
		await details.waitFor({ state: 'visible', timeout: 60_000 });
		await details.click();
		const hint = page.locator(DIALOG).getByText(WRONG_SECRET_HINT);
		await hint.waitFor({ state: 'visible' });
		expect(await page.locator(DIALOG).innerText()).toContain('AADSTS7000215');
		await shoot(stack, 'credential-wrong-secret');
	});

	step('Save with the right secret says "Connection tested successfully"', async () => {
		const { page } = stack;
		await fillParam(stack, DIALOG, 'clientSecret', String(stack.emulator.info.apps.full.clientSecret));
		await page.locator('[data-test-id="credential-save-button"]').click();
		const success = page.locator(`${DIALOG} [data-test-id="credentials-config-container-test-success"]`);
		await success.waitFor({ state: 'visible', timeout: 60_000 });
		expect(await success.innerText()).toContain('Connection tested successfully');
		expect(await page.locator(DIALOG).getByText(WRONG_SECRET_HINT).count()).toBe(0);
		await shoot(stack, 'credential-tested', 'credential-dialog');
		await page.keyboard.press('Escape');
	});

	step('the nodes panel finds the trigger by "Defender"; Fetch Test Event shows an incident', async () => {
		const { page } = stack;
		await open(stack, '/workflow/new', '[data-test-id="canvas-add-button"]');
		await page.locator('[data-test-id="canvas-add-button"]').click();
		await page.locator('[data-test-id="node-creator-search-bar"]').fill('Defender');
		await page.locator('[data-test-id="node-creator-item-name"]').filter({ hasText: /^Microsoft 365 Defender$/ }).first().click();
		const triggers = page.locator('[data-test-id="node-creator"]');
		for (const name of ['On new alert', 'On new incident', 'On updated alert', 'On updated incident']) {
			await triggers.getByText(name, { exact: true }).waitFor({ state: 'visible' });
		}
		await triggers.getByText('On new incident', { exact: true }).click();
		await page.locator(`${NDV} [data-test-id="node-execute-button"]`).first().waitFor({ state: 'visible' });
		expect(await page.locator(`${NDV} [data-test-id="node-execute-button"]`).first().innerText()).toContain('Fetch Test Event');
		await page.locator(`${NDV} [data-test-id="node-execute-button"]`).first().click();
		const table = await outputTable(stack);
		expect(table.rows.length).toBeGreaterThan(0);
		expect(column(table, '@odata.type')[0]).toBe('#microsoft.graph.security.incident');
		expect(column(table, 'id')[0]).toMatch(/^\d+$/);
		await shoot(stack, 'trigger-test-event');
		await page.locator('[data-test-id="ndv-close-button"]').click();
	});

	step('the nodes panel lists the node\'s actions by "Defender" (User and Email too); "Get an incident" opens with Resource and Operation set', async () => {
		const { page } = stack;
		await page.locator('[data-test-id="node-creator-plus-button"]').click();
		await page.locator('[data-test-id="node-creator-search-bar"]').fill('Defender');
		await page.locator('[data-test-id="node-creator-item-name"]').filter({ hasText: /^Microsoft 365 Defender$/ }).first().click();
		const creator = page.locator('[data-test-id="node-creator"]');
		// Account and mailbox containment (User, Email) are listed with the rest.
		const containment = ["Revoke a user's sessions", "Dismiss a user's risk", 'Remediate emails'];
		for (const action of ['Run an advanced hunting query', 'Get an alert', 'Get many incidents', 'Get an incident', ...containment]) {
			await creator.getByText(action, { exact: true }).waitFor({ state: 'visible' });
		}
		// The panel lists the node and its trigger as one entry with the trigger's description, which opens with the node's own.
		await creator.getByText(/^Triage incidents and alerts, hunt with KQL/).first().waitFor({ state: 'visible' });
		await shoot(stack, 'nodes-panel', 'nodes-panel');
		await creator.getByText('Get an incident', { exact: true }).click();
		await param(stack, NDV, 'resource').waitFor({ state: 'visible' });
		expect(await param(stack, NDV, 'resource').locator('input').inputValue()).toBe('Incident');
		expect(await param(stack, NDV, 'operation').locator('input').inputValue()).toBe('Get');
		expect(await optionsOf(stack, NDV, 'resource')).toEqual(
			expect.arrayContaining(['Advanced Hunting', 'Alert', 'Device', 'Incident', 'Indicator', 'Machine Action', 'Response Action']),
		);
		expect(await optionsOf(stack, NDV, 'operation')).toEqual(expect.arrayContaining(['Add Comment', 'Get', 'Get Many', 'Update']));
		// A node added now is version 1.1: Simplify is offered and on.
		await param(stack, NDV, 'simplify').waitFor({ state: 'visible' });
		expect(await param(stack, NDV, 'simplify').locator('.is-checked, [aria-checked="true"]').count()).toBeGreaterThan(0);
		// Simplify above Options, as in n8n's own nodes.
		const simplifyBox = await param(stack, NDV, 'simplify').boundingBox();
		const optionsBox = await stack.page.locator(NDV).getByText('Options', { exact: true }).first().boundingBox();
		expect(simplifyBox && optionsBox && simplifyBox.y < optionsBox.y).toBe(true);
	});

	step('the incident locator\'s "From list" search finds an incident; Execute step shows it in the output table', async () => {
		const { page } = stack;
		const all = await searchList(stack, 'incidentId');
		expect(all.length).toBeGreaterThan(1);
		const found = await searchList(stack, 'incidentId', 'Mimikatz');
		expect(found.length).toBeGreaterThan(0);
		expect(found.length).toBeLessThan(all.length);
		for (const item of found) expect(item).toContain('Mimikatz');
		await page.locator('[data-test-id="rlc-item"]:visible').first().click();
		await page.locator(`${NDV} [data-test-id="node-execute-button"]`).first().click();
		const table = await outputTable(stack);
		expect(table.rows).toHaveLength(1);
		expect(column(table, 'displayName')[0]).toContain('Mimikatz');
		// What the README's screenshot shows: Simplify's columns first, no @odata.context.
		expect(table.headers.slice(0, 4)).toEqual(['id', 'displayName', 'severity', 'status']);
		await shoot(stack, 'incident-from-list', 'execution-output');
	});

	step('the incident locator\'s URL mode takes a portal link', async () => {
		const { page } = stack;
		const [incident] = await stack.emulator.admin.ids('incidents', 1);
		await setLocatorMode(stack, 'incidentId', 'By URL');
		const input = page.locator('[data-test-id="resource-locator-incidentId"] [data-test-id="rlc-input"]');
		expect(await input.getAttribute('placeholder')).toBe('https://security.microsoft.com/incidents/2972395');
		await input.fill(`https://security.microsoft.com/incidents/${incident.id}?tid=${stack.emulator.info.tenantId}`);
		await page.locator(`${NDV} [data-test-id="node-execute-button"]`).first().click();
		await page.waitForFunction(
			(id) => {
				const table = (globalThis as unknown as { document: PageDom }).document.querySelector('[data-test-id="output-panel"] table');
				return !!table && table.innerText.includes(`incidents/${id}?`);
			},
			incident.id,
			{ timeout: 60_000 },
		);
		const table = await outputTable(stack);
		expect(column(table, 'id')).toEqual([String(incident.id)]);
		await shoot(stack, 'incident-by-url');
	});

	step('Device / Get: the device locator\'s "From list" search narrows the list', async () => {
		await choose(stack, NDV, 'resource', 'Device');
		expect(await param(stack, NDV, 'operation').locator('input').inputValue()).toBe('Get');
		const all = await searchList(stack, 'deviceId');
		expect(all.length).toBeGreaterThan(1);
		const term = all[0].split(/[.\s]/)[0].split('-').slice(0, 2).join('-');
		expect(term.length).toBeGreaterThan(3);
		const found = await searchList(stack, 'deviceId', term);
		expect(found.length).toBeGreaterThan(0);
		expect(found.length).toBeLessThan(all.length);
		for (const item of found) expect(item.toLowerCase()).toContain(term.toLowerCase());
		await shoot(stack, 'device-from-list');
		await stack.page.locator('[data-test-id="rlc-item"]:visible').first().click();
	});

	step('Response Action / Isolate shows Wait for Completion, and its interval and timeout when it is on', async () => {
		await choose(stack, NDV, 'resource', 'Response Action');
		expect(await optionsOf(stack, NDV, 'operation')).toEqual(expect.arrayContaining(['Isolate', 'Release From Isolation', 'Run Antivirus Scan', 'Offboard']));
		await choose(stack, NDV, 'operation', 'Isolate');
		expect(await shownParams(stack, NDV, WAIT_FIELDS)).toEqual(['waitForCompletion']);
		await param(stack, NDV, 'waitForCompletion').locator('.el-switch').click();
		expect(await shownParams(stack, NDV, WAIT_FIELDS)).toEqual(WAIT_FIELDS);
		expect(await param(stack, NDV, 'pollIntervalSeconds').locator('input').inputValue()).toBe('15.0');
		await shoot(stack, 'response-action-wait', 'response-action');
		await stack.page.locator('[data-test-id="ndv-close-button"]').click();
	});

	step('a node added from the panel is named by its short action ("Isolate a device")', async () => {
		const { page } = stack;
		await page.locator('[data-test-id="node-creator-plus-button"]').click();
		await page.locator('[data-test-id="node-creator-search-bar"]').fill('Defender');
		await page.locator('[data-test-id="node-creator-item-name"]').filter({ hasText: /^Microsoft 365 Defender$/ }).first().click();
		await page.locator('[data-test-id="node-creator"]').getByText('Isolate a device', { exact: true }).click();
		await param(stack, NDV, 'operation').waitFor({ state: 'visible' });
		expect(await param(stack, NDV, 'operation').locator('input').inputValue()).toBe('Isolate');
		await page.locator('[data-test-id="ndv-close-button"]').click();
		const names = await page.locator('[data-test-id="canvas-node"]').evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-node-name')));
		expect(names).toContain('Isolate a device');
	});

	step('a demo playbook on the canvas runs with Execute workflow', async () => {
		const { page } = stack;
		const triage = stack.demoWorkflows.find((workflow) => workflow.id === TRIAGE_ID);
		expect(triage).toBeDefined();
		await open(stack, `/workflow/${TRIAGE_ID}`, '[data-test-id="canvas-node"]');
		const names = await page.locator('[data-test-id="canvas-node"]').evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-node-name')));
		expect(names.sort()).toEqual(triage!.nodes.map((node) => node.name).sort());
		await page.locator('[data-test-id="execute-workflow-button"]').click();
		await page.waitForFunction(
			(count) => (globalThis as unknown as { document: PageDom }).document.querySelectorAll('[data-test-id="canvas-node-status-success"]').length >= count,
			triage!.nodes.length,
			{ timeout: 60_000 },
		);
		await page.locator('[data-test-id="zoom-to-fit"]').click();
		await page.waitForTimeout(600);
		await shoot(stack, 'playbook-canvas', 'playbook-canvas');
	});
});
