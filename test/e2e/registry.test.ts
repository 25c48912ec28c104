/**
 * The registry lane (issue 16, registry-lane.ts): the package published to a local verdaccio,
 * installed, updated and uninstalled by a real n8n 2.40.7 through its Community Nodes REST calls,
 * with a saved credential and workflow running before and after the update.
 *
 * REGISTRY_LANE_TARBALL=<file.tgz> runs the lane on that tarball instead of packing this
 * package (how a broken package is shown to fail the lane).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import * as emulatorLib from '../../scripts/lib/emulator.cjs';
import type { RunningEmulator } from '../../scripts/lib/emulator.cjs';
import * as host from '../../scripts/lib/n8n-host.cjs';
import { CUSTOM_REGISTRY_FEATURE, PACKAGE_NAME, runRegistryLane, type RegistryRun } from './registry-lane';
import { CREDENTIAL_TYPE, NODE_TYPE, TRIGGER_TYPE } from './workflows';

const PREBUILT = process.env.E2E_PREBUILT === '1';
const KEEP = process.env.E2E_KEEP === '1';

let root: string;
let emulator: RunningEmulator | undefined;
let lane: RegistryRun;

beforeAll(async () => {
	const started = Date.now();
	await host.ensureHost({ quiet: true });
	root = mkdtempSync(path.join(tmpdir(), 'defender-registry-'));
	process.stderr.write(`[e2e] registry: work folder ${root}${KEEP ? ' (kept: E2E_KEEP=1)' : ''}\n`);
	const tlsDir = emulatorLib.DEFAULT_TLS_DIR;
	emulatorLib.ensureTlsCertificate(tlsDir);
	emulator = await emulatorLib.startEmulator({ tlsDir, stateFile: path.join(root, 'emulator-state.json') });
	const tarball = process.env.REGISTRY_LANE_TARBALL
		? path.resolve(process.env.REGISTRY_LANE_TARBALL)
		: host.packPackage({ build: !PREBUILT, destination: path.join(root, 'pack') });
	lane = await runRegistryLane({ tarball, root, emulator });
	process.stderr.write(`[e2e] registry: lane done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}, 480_000);

afterAll(async () => {
	await emulator?.stop();
	if (root && !KEEP) rmSync(root, { recursive: true, force: true });
});

const ourNodes = [NODE_TYPE, TRIGGER_TYPE].sort();

describe('installed through n8n Community Nodes from a registry (n8n 2.40.7, verdaccio)', () => {
	it('the lane ran to the end', () => {
		expect(lane.error).toBeUndefined();
	});

	it('n8n refuses a custom registry without its license feature (why the lane turns it on)', () => {
		expect(lane.unlicensedInstall?.status).toBeGreaterThanOrEqual(400);
		expect(lane.unlicensedInstall?.message ?? '').toMatch(/licen[cs]e|plan|feature/i);
		expect(CUSTOM_REGISTRY_FEATURE).toBe('feat:communityNodes:customRegistry');
	});

	it('install (POST /rest/community-packages) loads both nodes and the credential without a restart', () => {
		expect(lane.install?.status).toBe(200);
		expect(lane.install?.body?.packageName).toBe(PACKAGE_NAME);
		expect(lane.install?.body?.installedVersion).toBe(lane.versions.first);
		expect((lane.install?.body?.installedNodes ?? []).map((node) => node.type).sort()).toEqual(ourNodes);
		expect(lane.afterInstall?.types.nodes).toEqual(expect.arrayContaining(ourNodes));
		expect(lane.afterInstall?.types.credential).toBe(true);
		const listed = lane.afterInstall?.listed.find((entry) => entry.packageName === PACKAGE_NAME);
		expect(listed?.installedVersion).toBe(lane.versions.first);
		expect(listed?.failedLoading).toBe(false);
		expect(lane.afterInstall?.folderVersion).toBe(lane.versions.first);
	});

	it('a saved credential and workflow (Manual Trigger -> Incident Get Many, limit 2) run', () => {
		expect(lane.credentialId).toBeTruthy();
		expect(lane.firstRun?.error).toBeUndefined();
		expect(lane.firstRun?.status).toBe('success');
		expect(lane.firstRun?.items).toHaveLength(2);
		for (const item of lane.firstRun?.items ?? []) expect(typeof item.id).toBe('string');
	});

	it('update (PATCH /rest/community-packages) installs the newer version', () => {
		expect(lane.versions.next).toMatch(/-test\.0$/);
		expect(lane.updateOffered).toBe(lane.versions.next);
		expect(lane.update?.status).toBe(200);
		expect(lane.update?.body?.installedVersion).toBe(lane.versions.next);
		expect(lane.afterUpdate?.folderVersion).toBe(lane.versions.next);
		const listed = lane.afterUpdate?.listed.find((entry) => entry.packageName === PACKAGE_NAME);
		expect(listed?.installedVersion).toBe(lane.versions.next);
		expect(listed?.failedLoading).toBe(false);
		expect(lane.afterUpdate?.types.nodes).toEqual(expect.arrayContaining(ourNodes));
		expect(lane.afterUpdate?.types.credential).toBe(true);
	});

	it('the same saved credential and workflow still run after the update', () => {
		expect(lane.secondRun?.error).toBeUndefined();
		expect(lane.secondRun?.status).toBe('success');
		expect(lane.secondRun?.items).toHaveLength(2);
		expect(lane.secondRun?.items.map((item) => item.id)).toEqual(lane.firstRun?.items.map((item) => item.id));
	});

	it('uninstall (DELETE /rest/community-packages) removes the node types', () => {
		expect(lane.uninstall?.status).toBe(200);
		expect(lane.afterUninstall?.listed.find((entry) => entry.packageName === PACKAGE_NAME)).toBeUndefined();
		expect(lane.afterUninstall?.types.nodes).toEqual([]);
		expect(lane.afterUninstall?.types.credential).toBe(false);
		expect(CREDENTIAL_TYPE).toBe('microsoft365DefenderApi');
	});
});
