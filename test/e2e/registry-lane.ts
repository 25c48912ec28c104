/**
 * The registry lane (issue 16): this package installed, updated and uninstalled through n8n's own
 * Community Nodes installer, from an npm registry, as a user does it in Settings -> Community
 * Nodes. Everything n8n does goes through its REST API, with the editor's calls:
 *
 *  1. verdaccio (scripts/lib/verdaccio.cjs) on a free port with its own storage; the packed
 *     package published to it (the version in package.json), and nothing else of ours;
 *  2. `n8n start` (own user folder, ports, emulator) with N8N_COMMUNITY_PACKAGES_ENABLED=true and
 *     N8N_COMMUNITY_PACKAGES_REGISTRY at verdaccio; owner set up as trigger-lane.ts does;
 *  3. install: `POST /rest/community-packages { name, version }` (the Install button). n8n 2.40
 *     runs `npm pack <name>@<version> --registry=<registry>` and `npm install` of its
 *     dependencies from the same registry, then loads the package without a restart;
 *     `/types/nodes.json` and `/types/credentials.json` (what the editor reads) are read;
 *  4. a credential (`POST /rest/credentials`, the emulator's full-access app) and a workflow
 *     (`POST /rest/workflows`: Manual Trigger -> Incident Get Many, limit 2) are saved and run with
 *     `POST /rest/workflows/:id/run`; the execution is read back when it has finished;
 *  5. a newer prerelease (same files, version rewritten in a copy of the tarball) is published,
 *     `PATCH /rest/community-packages { name, version }` (the Update button); the installed version
 *     is read from n8n and from the package's folder; the same saved workflow and credential run;
 *  6. `DELETE /rest/community-packages?name=` (Uninstall); the node types are gone.
 *
 * A custom registry is a licensed feature in n8n 2.40 (`feat:communityNodes:customRegistry`;
 * without it the install answers FeatureNotLicensedError, recorded in `unlicensedInstall`). n8n's own
 * end-to-end test mode (E2E_TESTS=true) serves `PATCH /rest/e2e/feature`, which turns it on; nothing
 * else of that mode is used. With the default registry (registry.npmjs.org), what users have, the
 * installer takes the same path.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import type { RunningEmulator } from '../../scripts/lib/emulator.cjs';
import * as host from '../../scripts/lib/n8n-host.cjs';
import type { N8nRest } from '../../scripts/lib/n8n-rest.cjs';
import * as verdaccio from '../../scripts/lib/verdaccio.cjs';
import type { RunData } from './harness';
import { launchN8nServer, signInWhenReady } from './n8nServer';
import { CREDENTIAL_TYPE, NODE_TYPE, emulatorSecretData } from './workflows';

export const PACKAGE_NAME = 'n8n-nodes-microsoft-365-defender';
export const CUSTOM_REGISTRY_FEATURE = 'feat:communityNodes:customRegistry';
export const GET_INCIDENTS = 'Get Incidents';

const OWNER = { email: 'e2e.registry@example.com', firstName: 'E2E', lastName: 'Registry', password: 'E2e-registry-password-1' };

export interface InstalledPackage {
	packageName: string;
	installedVersion: string;
	installedNodes?: Array<{ name: string; type: string; latestVersion?: number }>;
	failedLoading?: boolean;
	[key: string]: unknown;
}

export interface TypesSnapshot {
	/** Node type names of this package in /types/nodes.json. */
	nodes: string[];
	/** Whether /types/credentials.json has the package's credential type. */
	credential: boolean;
}

export interface LaneRun {
	executionId?: string;
	status?: string;
	/** The items Incident Get Many put out. */
	items: Array<Record<string, unknown>>;
	error?: string;
}

export interface RegistryRun {
	error?: string;
	versions: { first: string; next: string };
	registryUrl?: string;
	/** Install answer before the custom-registry feature is on (n8n's license check). */
	unlicensedInstall?: { status: number; message: string };
	install?: { status: number; body?: InstalledPackage; message?: string };
	afterInstall?: { types: TypesSnapshot; listed: InstalledPackage[]; folderVersion?: string };
	credentialId?: string;
	workflowId?: string;
	firstRun?: LaneRun;
	/** `updateAvailable` of the package in GET /rest/community-packages after the newer version was published. */
	updateOffered?: string;
	update?: { status: number; body?: InstalledPackage; message?: string };
	afterUpdate?: { types: TypesSnapshot; listed: InstalledPackage[]; folderVersion?: string };
	secondRun?: LaneRun;
	uninstall?: { status: number; message?: string };
	afterUninstall?: { types: TypesSnapshot; listed: InstalledPackage[] };
	timings: Record<string, number>;
	output: string;
	verdaccioOutput: string;
	userFolder: string;
}

function log(message: string): void {
	process.stderr.write(`[e2e] registry: ${message}\n`);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The next patch version's first test prerelease: 0.1.0 -> 0.1.1-test.0. */
export function nextTestVersion(version: string): string {
	const match = /^(\d+)\.(\d+)\.(\d+)/.exec(version);
	if (!match) throw new Error(`Not a semver version: ${version}`);
	return `${match[1]}.${match[2]}.${Number(match[3]) + 1}-test.0`;
}

function messageOf(json: unknown, text: string): string {
	const message = (json as { message?: unknown } | undefined)?.message;
	return typeof message === 'string' ? message : text.slice(0, 1000);
}

async function typesSnapshot(rest: N8nRest): Promise<TypesSnapshot> {
	const nodes = await rest.call('GET', '/types/nodes.json');
	const credentials = await rest.call('GET', '/types/credentials.json');
	if (nodes.status !== 200 || !Array.isArray(nodes.json)) throw new Error(`GET /types/nodes.json answered ${nodes.status}: ${nodes.text.slice(0, 300)}`);
	if (credentials.status !== 200 || !Array.isArray(credentials.json)) throw new Error(`GET /types/credentials.json answered ${credentials.status}`);
	const names = [...new Set((nodes.json as Array<{ name: string }>).map((node) => node.name).filter((name) => name.startsWith(`${PACKAGE_NAME}.`)))];
	return { nodes: names.sort(), credential: (credentials.json as Array<{ name: string }>).some((credential) => credential.name === CREDENTIAL_TYPE) };
}

async function listed(rest: N8nRest): Promise<InstalledPackage[]> {
	const response = await rest.call('GET', '/rest/community-packages');
	if (response.status !== 200) throw new Error(`GET /rest/community-packages answered ${response.status}: ${response.text.slice(0, 500)}`);
	return (response.data as InstalledPackage[]) ?? [];
}

function folderVersion(userFolder: string): string | undefined {
	try {
		const manifest = path.join(userFolder, '.n8n', 'nodes', 'node_modules', PACKAGE_NAME, 'package.json');
		return (JSON.parse(readFileSync(manifest, 'utf8')) as { version?: string }).version;
	} catch {
		return undefined;
	}
}

async function runAndRead(rest: N8nRest, workflowId: string, isAlive: () => boolean): Promise<LaneRun> {
	const runStarted = Date.now();
	const { executionId } = await rest.runWorkflow(workflowId);
	log(`execution ${executionId} started in ${((Date.now() - runStarted) / 1000).toFixed(1)} s`);
	const deadline = Date.now() + 90_000;
	for (;;) {
		const [summary] = (await rest.executions(workflowId)).filter((execution) => execution.id === executionId);
		if (summary && !['new', 'running', 'waiting'].includes(summary.status)) break;
		if (!isAlive()) throw new Error('n8n exited while a workflow ran');
		if (Date.now() > deadline) throw new Error(`Execution ${executionId} did not finish within 90 s`);
		await sleep(250);
	}
	const execution = await rest.execution(executionId);
	const data = execution.data as RunData['data'] | undefined;
	const nodeRun = data?.resultData.runData[GET_INCIDENTS]?.[0];
	return {
		executionId,
		status: execution.status,
		items: (nodeRun?.data?.main?.[0] ?? []).map((item) => item.json),
		error: nodeRun?.error?.message ?? data?.resultData.error?.message,
	};
}

export interface RegistryLaneOptions {
	/** The packed package (its version is the first one published). */
	tarball: string;
	/** A temp folder of this run: verdaccio's config and storage, n8n's user folder. */
	root: string;
	emulator: RunningEmulator;
}

export async function runRegistryLane({ tarball, root, emulator }: RegistryLaneOptions): Promise<RegistryRun> {
	const { info } = emulator;
	const userFolder = path.join(root, 'n8n-registry');
	mkdirSync(userFolder, { recursive: true });
	const firstVersion = (JSON.parse(readManifest(tarball)) as { version: string }).version;
	const result: RegistryRun = { versions: { first: firstVersion, next: nextTestVersion(firstVersion) }, timings: {}, output: '', verdaccioOutput: '', userFolder };
	const started = Date.now();
	const mark = (label: string) => {
		result.timings[label] = Date.now() - started;
		log(`${label}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
	};
	let registry: Awaited<ReturnType<typeof verdaccio.startVerdaccio>> | undefined;
	let n8n: ReturnType<typeof host.startN8n> | undefined;
	try {
		await verdaccio.ensureVerdaccio({ quiet: true });
		const registryPort = await host.freePort();
		registry = await verdaccio.startVerdaccio({ workDir: path.join(root, 'verdaccio'), port: registryPort, packageName: PACKAGE_NAME });
		result.registryUrl = registry.url;
		verdaccio.publishTarball(registry.url, tarball);
		// Packed now, published after the first run: the same files under a newer version.
		const nextTarball = verdaccio.repackWithVersion(tarball, result.versions.next, { destination: path.join(root, 'next') });
		mark('verdaccio started, first version published');

		const server = await launchN8nServer(userFolder, info.caCertPath, {
			N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
			N8N_COMMUNITY_PACKAGES_REGISTRY: registry.url.replace(/\/$/, ''),
			N8N_REINSTALL_MISSING_PACKAGES: 'false',
			// n8n lists installed packages with `npm outdated` in its nodes folder, without a
			// --registry argument: npm's own setting points that at the same registry (otherwise it
			// asks registry.npmjs.org, which does not have these versions, and takes ~70 s here).
			npm_config_registry: registry.url,
			// Only for PATCH /rest/e2e/feature (the custom-registry license feature), see above.
			E2E_TESTS: 'true',
		});
		n8n = server.n8n;
		const { rest } = server;
		const alive = () => server.n8n.isAlive();
		await signInWhenReady(server, OWNER);
		mark('n8n started, owner set up');

		const unlicensed = await rest.call('POST', '/rest/community-packages', { name: PACKAGE_NAME, version: firstVersion });
		result.unlicensedInstall = { status: unlicensed.status, message: messageOf(unlicensed.json, unlicensed.text) };
		const feature = await rest.call('PATCH', '/rest/e2e/feature', { feature: CUSTOM_REGISTRY_FEATURE, enabled: true });
		if (feature.status !== 200) throw new Error(`PATCH /rest/e2e/feature answered ${feature.status}: ${feature.text.slice(0, 300)}`);

		// --- install ------------------------------------------------------------------------------
		const install = await rest.call('POST', '/rest/community-packages', { name: PACKAGE_NAME, version: firstVersion });
		result.install = { status: install.status, body: install.status === 200 ? (install.data as InstalledPackage) : undefined, message: messageOf(install.json, install.text) };
		mark(`install answered ${install.status}`);
		if (install.status !== 200) throw new Error(`Install through n8n failed (${install.status}): ${result.install.message}`);
		result.afterInstall = { types: await typesSnapshot(rest), listed: await listed(rest), folderVersion: folderVersion(userFolder) };
		mark('types and package list read');

		// --- credential + workflow, run -------------------------------------------------------------
		const credential = await rest.call('POST', '/rest/credentials', {
			name: 'Defender (registry lane)',
			type: CREDENTIAL_TYPE,
			data: emulatorSecretData(info),
		});
		const credentialId = (credential.data as { id?: string } | undefined)?.id;
		if (credential.status !== 200 || !credentialId) throw new Error(`POST /rest/credentials answered ${credential.status}: ${credential.text.slice(0, 500)}`);
		result.credentialId = credentialId;
		const workflow = await rest.call('POST', '/rest/workflows', {
			name: 'Registry lane: incidents',
			active: false,
			nodes: [
				{ id: 'reg-trigger', name: 'When clicking Execute workflow', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
				{
					id: 'reg-incidents',
					name: GET_INCIDENTS,
					type: NODE_TYPE,
					typeVersion: 1,
					position: [220, 0],
					parameters: { resource: 'incident', operation: 'getAll', returnAll: false, limit: 2 },
					credentials: { [CREDENTIAL_TYPE]: { id: credentialId, name: 'Defender (registry lane)' } },
				},
			],
			connections: { 'When clicking Execute workflow': { main: [[{ node: GET_INCIDENTS, type: 'main', index: 0 }]] } },
			settings: { executionOrder: 'v1' },
		});
		const workflowId = (workflow.data as { id?: string } | undefined)?.id;
		if (workflow.status !== 200 || !workflowId) throw new Error(`POST /rest/workflows answered ${workflow.status}: ${workflow.text.slice(0, 500)}`);
		result.workflowId = workflowId;
		mark('credential and workflow saved');
		result.firstRun = await runAndRead(rest, workflowId, alive);
		mark(`first run ${result.firstRun.status}`);

		// --- update -----------------------------------------------------------------------------
		verdaccio.publishTarball(registry.url, nextTarball);
		// What the Community Nodes page reads to offer "Update".
		result.updateOffered = (await listed(rest)).find((entry) => entry.packageName === PACKAGE_NAME)?.updateAvailable as string | undefined;
		mark(`newer version published; n8n offers update to ${result.updateOffered ?? 'nothing'}`);
		const update = await rest.call('PATCH', '/rest/community-packages', { name: PACKAGE_NAME, version: result.versions.next });
		result.update = { status: update.status, body: update.status === 200 ? (update.data as InstalledPackage) : undefined, message: messageOf(update.json, update.text) };
		mark(`update answered ${update.status}`);
		if (update.status !== 200) throw new Error(`Update through n8n failed (${update.status}): ${result.update.message}`);
		result.afterUpdate = { types: await typesSnapshot(rest), listed: await listed(rest), folderVersion: folderVersion(userFolder) };
		result.secondRun = await runAndRead(rest, workflowId, alive);
		mark(`second run ${result.secondRun.status}`);

		// --- uninstall ----------------------------------------------------------------------------
		const uninstall = await rest.call('DELETE', `/rest/community-packages?name=${encodeURIComponent(PACKAGE_NAME)}`);
		result.uninstall = { status: uninstall.status, message: messageOf(uninstall.json, uninstall.text) };
		mark(`uninstall answered ${uninstall.status}`);
		result.afterUninstall = { types: await typesSnapshot(rest), listed: await listed(rest) };
	} catch (error) {
		result.error = error instanceof Error ? error.message : String(error);
		log(`failed: ${result.error}`);
	} finally {
		if (n8n) {
			await n8n.stop({ timeoutMs: 15_000 });
			result.output = n8n.output();
		}
		if (registry) {
			result.verdaccioOutput = registry.output();
			await registry.stop();
		}
		mark('stopped');
	}
	if (result.error) {
		log(`n8n start output (last 3000 characters):\n${result.output.slice(-3000)}`);
		log(`verdaccio output (last 3000 characters):\n${result.verdaccioOutput.slice(-3000)}`);
	}
	return result;
}

/** package.json of a packed tarball, as text. */
export function readManifest(tarball: string): string {
	return execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' });
}
