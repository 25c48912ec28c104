/**
 * End-to-end harness: a real n8n 2.40.7 (running on its own Node 24, see scripts/lib/n8n-host.cjs)
 * with this package installed the way users install a community package, talking to the Defender
 * emulator over HTTPS.
 *
 * One setup runs everything, with as few n8n process starts as possible:
 *  1. start the emulators (child processes: the main one, and one only the trigger workflow uses)
 *     and install the packed package into a temp user folder;
 *  2. `n8n import:credentials` + `n8n import:workflow` once, then copy the user folder so the
 *     runs below never share a SQLite file; add the containment playbook's incidents;
 *  3. the trigger lane (trigger-lane.ts: `n8n start`, publish, wait for the minute poll) first;
 *     once it is activated, in parallel with it: `n8n execute` of each other workflow (distinct
 *     task-broker ports), `n8n export:nodes` (the node types as n8n loaded them), the control
 *     lane (control-lane.ts: its own `n8n start` and emulator; Stop and a cross-origin redirect
 *     through the REST API) and the proxy workflow with HTTPS_PROXY at the test proxy;
 *  4. read the emulators' request logs and state and the SQLite files for the assertions.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import * as demo from '../../scripts/lib/demo.cjs';
import type { DemoWorkflow } from '../../scripts/lib/demo.cjs';
import * as emulatorLib from '../../scripts/lib/emulator.cjs';
import type { EmulatorInfo, LoggedRequest, RunningEmulator } from '../../scripts/lib/emulator.cjs';
import * as host from '../../scripts/lib/n8n-host.cjs';
import type { N8nResult } from '../../scripts/lib/n8n-host.cjs';
import { startTestProxy, type ProxyLogEntry } from '../emulator/proxy';
import { seedContainment, type ContainmentSeed } from './containment';
import { EXAMPLE_LANES, exampleFiles, examplesCredential, forE2E, seedExamples, type ExampleWorkflow, type ResponseSeed } from './examples';
import { runControlLane, type ControlRun } from './control-lane';
import {
	buildCredentialLaneCredentials,
	buildCredentialLaneWorkflows,
	CREDENTIAL_LANE_TOKEN_LIFETIME_SECONDS,
	credentialLaneEnv,
	MANAGED_IDENTITY_CREDENTIAL,
	microsoftStandInRoutes,
	runCredentialLane,
	type CredentialLaneRun,
} from './credential-lane';
import { runTriggerLane, type TriggerRun } from './trigger-lane';
import {
	CONTROL_WORKFLOW_IDS,
	STOP_SCAN_DEVICES,
	buildControlCredential,
	buildCredentials,
	buildProxyWorkflow,
	buildRedirectWorkflow,
	buildStopScansWorkflow,
	buildTriggerCredential,
	buildTriggerWorkflow,
	buildWorkflows,
	type E2ECredential,
} from './workflows';

export interface NodeRun {
	executionStatus?: string;
	error?: { message?: string; description?: string; httpCode?: string; [key: string]: unknown };
	data?: { main?: Array<Array<{ json: Record<string, unknown> }> | null> };
}

export interface RunData {
	data: {
		resultData: {
			runData: Record<string, NodeRun[]>;
			error?: { message?: string; description?: string; [key: string]: unknown };
			lastNodeExecuted?: string;
		};
	};
	status?: string;
	finished?: boolean;
	mode?: string;
	storedAt?: string;
}

export interface WorkflowRun {
	result: N8nResult;
	run: RunData | undefined;
	userFolder: string;
}

export interface E2EContext {
	emulator: RunningEmulator;
	info: EmulatorInfo;
	root: string;
	credentials: E2ECredential[];
	runs: { operations: WorkflowRun; expiredFails: WorkflowRun; readOnlyFails: WorkflowRun; containment: WorkflowRun };
	/** The incidents and devices the containment playbook starts from. */
	containment: ContainmentSeed;
	/** The trigger workflow under `n8n start`, against its own emulator. */
	trigger: TriggerRun;
	triggerEmulator: RunningEmulator;
	/** Operator control under `n8n start` (control-lane.ts), against its own strict-limits emulator. */
	control: ControlRun;
	controlEmulator: RunningEmulator;
	/** Managed identity, workload identity federation, encrypted key, permission report and two tenants, in the control lane's n8n (credential-lane.ts). */
	credentialLane?: CredentialLaneRun;
	credentialEmulator: RunningEmulator;
	/** The federated token file the credential lane rotates (AZURE_FEDERATED_TOKEN_FILE of that n8n). */
	federatedTokenFile: string;
	/** The devices the stop workflow scans (Windows devices of the control emulator, in order). */
	stopDeviceIds: string[];
	/** `n8n execute` with HTTPS_PROXY/HTTP_PROXY pointing at the test proxy (and NO_PROXY unset). */
	proxied: { run: WorkflowRun; proxyLog: ProxyLogEntry[]; proxyUrl: string; env: Record<string, string | undefined> };
	/** Defender for Endpoint state of the main emulator after the runs. */
	mde: { machineActions: Array<Record<string, unknown>>; indicators: Array<Record<string, unknown>> };
	/** The workflows in demo/ (what `npm start` imports), run against the emulator. */
	demoRuns: Array<{ workflow: DemoWorkflow; run: WorkflowRun }>;
	/** The playbooks in examples/ (as imported, see examples.ts), run against an emulator of their own. */
	exampleRuns: Array<{ file: string; workflow: ExampleWorkflow; run: WorkflowRun }>;
	examplesEmulator: RunningEmulator;
	/** The examples emulator's request log and Defender for Endpoint state after the runs. */
	examples: {
		requests: LoggedRequest[];
		machineActions: Array<Record<string, unknown>>;
		indicators: Array<Record<string, unknown>>;
		storageRequests: Awaited<ReturnType<RunningEmulator['admin']['storageRequests']>>;
		/** Entra ID users' containment and the email remediations, after the runs. */
		accounts: Awaited<ReturnType<RunningEmulator['admin']['accountsAndMail']>>;
		phishingAlertId: string;
	} & ResponseSeed;
	nodeTypes: Array<Record<string, unknown>>;
	requests: LoggedRequest[];
	foreignUrl: string;
	installedPackageDir: string;
	userFolders: string[];
	/** CONNECTs the Microsoft stand-in proxy of the credential lane saw (refused ones too). */
	standInLog: ProxyLogEntry[];
	timings: Record<string, number>;
}

export const DEMO_TRIAGE = 'Triage new high-severity incidents';
export const DEMO_HUNT = 'Hunt for a process across devices';

const PREBUILT = process.env.E2E_PREBUILT === '1';
const KEEP = process.env.E2E_KEEP === '1';

function log(message: string): void {
	process.stderr.write(`[e2e] ${message}\n`);
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

/**
 * The proxy settings of a user behind an HTTPS proxy: HTTPS_PROXY and HTTP_PROXY set, nothing
 * excluded (the emulator listens on localhost, which a NO_PROXY would typically list), and no
 * lower-case variants from the calling shell that would take precedence.
 */
export function proxyEnv(proxyUrl: string): Record<string, string | undefined> {
	return { HTTPS_PROXY: proxyUrl, HTTP_PROXY: proxyUrl, https_proxy: undefined, http_proxy: undefined, NO_PROXY: undefined, no_proxy: undefined };
}

async function execute(userFolder: string, workflowId: string, caCertPath: string, extraEnv: Record<string, string | undefined> = {}): Promise<WorkflowRun> {
	const env = host.n8nEnv(userFolder, { caCertPath, ...extraEnv });
	const result = await host.runN8n(['execute', `--id=${workflowId}`, '--rawOutput'], env, {
		timeoutMs: 240_000,
		stdoutFile: path.join(userFolder, `execute-${workflowId}.out`),
	});
	const run = host.parseExecuteOutput(result.stdout) as RunData | undefined;
	log(`n8n execute ${workflowId}: exit ${result.code ?? result.signal}, run ${run?.status ?? 'not printed'}, ${(result.durationMs / 1000).toFixed(1)} s`);
	if (!run) {
		log(`n8n execute ${workflowId} printed no run JSON (exit ${result.code}).\nstdout:\n${result.stdout.slice(-3000)}\nstderr:\n${result.stderr.slice(-3000)}`);
	}
	return { result, run, userFolder };
}

/**
 * The exit code of an `n8n execute`. Twice in about fifteen suite runs on a shared machine the
 * process ended by a signal after it had printed the complete run; that says nothing about this
 * package, so then the code n8n gives for that run's status is used and a warning printed.
 */
export function exitStatus(run: WorkflowRun): number | string {
	const { code, signal } = run.result;
	if (code !== null) return code;
	if (run.run?.status) {
		log(`WARNING: n8n execute ended by ${signal} after printing a complete run (status ${run.run.status})`);
		return run.run.status === 'success' ? 0 : 1;
	}
	return String(signal);
}

/** The items a node put on its first output in its first run. */
export function outputOf(run: WorkflowRun, nodeName: string): Array<Record<string, unknown>> {
	const nodeRuns = run.run?.data.resultData.runData[nodeName];
	if (!nodeRuns?.length) {
		throw new Error(`Node "${nodeName}" did not run. Nodes that ran: ${Object.keys(run.run?.data.resultData.runData ?? {}).join(', ')}`);
	}
	const first = nodeRuns[0];
	if (first.error) throw new Error(`Node "${nodeName}" failed: ${first.error.message} ${first.error.description ?? ''}`);
	return (first.data?.main?.[0] ?? []).map((item) => item.json);
}

export function nodeErrorOf(run: WorkflowRun, nodeName: string): NonNullable<NodeRun['error']> | undefined {
	return run.run?.data.resultData.runData[nodeName]?.[0]?.error;
}

export async function setupE2E(): Promise<E2EContext> {
	const timings: Record<string, number> = {};
	const started = Date.now();
	await timed(timings, 'ensure n8n host', () => host.ensureHost());
	const tlsDir = emulatorLib.DEFAULT_TLS_DIR;
	await timed(timings, 'tls certificate', () => emulatorLib.ensureTlsCertificate(tlsDir));

	const root = mkdtempSync(path.join(tmpdir(), 'defender-e2e-'));
	log(`work folder ${root}${KEEP ? ' (kept: E2E_KEEP=1)' : ''}`);
	// A second emulator serves only the trigger workflow: no other run adds or changes its incidents.
	// A third, with strict (documented) limits and enough Windows devices, serves the operator
	// control lane (stop, redirect): its latency and redirect faults reach no other run.
	const emulators = await timed(timings, 'start emulators', () =>
		Promise.allSettled([
			emulatorLib.startEmulator({ tlsDir, stateFile: path.join(root, 'emulator-state.json') }),
			emulatorLib.startEmulator({ tlsDir, stateFile: path.join(root, 'emulator-trigger-state.json') }),
			emulatorLib.startEmulator({
				tlsDir,
				stateFile: path.join(root, 'emulator-control-state.json'),
				strictLimits: true,
				extraArgs: ['--machines', String(Math.ceil(STOP_SCAN_DEVICES * 1.6))],
			}),
			emulatorLib.startEmulator({ tlsDir, stateFile: path.join(root, 'emulator-examples-state.json') }),
			emulatorLib.startEmulator({
				tlsDir,
				stateFile: path.join(root, 'emulator-credential-state.json'),
				extraArgs: ['--token-lifetime', String(CREDENTIAL_LANE_TOKEN_LIFETIME_SECONDS)],
			}),
		]),
	);
	const [emulator, triggerEmulator, controlEmulator, examplesEmulator, credentialEmulator] = emulators.map((outcome) => (outcome.status === 'fulfilled' ? outcome.value : undefined));
	if (!emulator || !triggerEmulator || !controlEmulator || !examplesEmulator || !credentialEmulator) {
		await Promise.all([emulator?.stop(), triggerEmulator?.stop(), controlEmulator?.stop(), examplesEmulator?.stop(), credentialEmulator?.stop()]);
		const failed = emulators.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
		throw failed?.reason ?? new Error('An emulator did not start');
	}
	const proxy = await startTestProxy();
	const standIn = await startTestProxy({ routes: microsoftStandInRoutes(credentialEmulator.info), refuseUnrouted: true });
	try {
		const info = emulator.info;
		const caCertPath = info.caCertPath;
		const stopDeviceIds = await windowsDeviceIds(controlEmulator.info, STOP_SCAN_DEVICES);

		const base = path.join(root, 'n8n-a');
		mkdirSync(base, { recursive: true });
		await timed(timings, 'pack + install package', () => host.installPackage(base, { build: !PREBUILT }));

		// The login server is not one of the credential's APIs: the credential must refuse to send
		// its token there. The marker in the path lets the request log show that nothing arrived.
		const foreignUrl = `${info.loginUrl.replace(/\/$/, '')}/e2e-foreign-host-probe`;
		const credentials: E2ECredential[] = [
			...buildCredentials(info, tlsDir),
			buildTriggerCredential(triggerEmulator.info),
			...demo.demoCredentials(info),
			buildControlCredential(controlEmulator.info),
			examplesCredential(examplesEmulator.info),
			...buildCredentialLaneCredentials(credentialEmulator.info),
		];
		const workflows = {
			...buildWorkflows(info, foreignUrl, MANAGED_IDENTITY_CREDENTIAL),
			trigger: buildTriggerWorkflow(),
			stopScans: buildStopScansWorkflow(stopDeviceIds),
			redirect: buildRedirectWorkflow(controlEmulator.info),
			proxy: buildProxyWorkflow(),
		};
		const credentialLaneWorkflows = buildCredentialLaneWorkflows(credentialEmulator.info);
		const federatedTokenFile = path.join(root, 'azure-identity-token');
		let credentialLane: CredentialLaneRun | undefined;
		const demoWorkflows = demo.demoWorkflows();
		const examples = exampleFiles().map(({ file, workflow }) => ({ file, workflow: forE2E(workflow) }));
		const baseEnv = host.n8nEnv(base, { caCertPath });
		await timed(timings, 'import credentials', () => host.importJson('credentials', credentials, baseEnv));
		await timed(timings, 'import workflows', () => host.importJson('workflow', [...Object.values(workflows), ...Object.values(credentialLaneWorkflows), ...demoWorkflows, ...examples.map((example) => example.workflow)], baseEnv));

		const folders = ['n8n-b', 'n8n-c', 'n8n-d', 'n8n-trigger', 'n8n-control', 'n8n-proxy', ...EXAMPLE_LANES.map((_, lane) => `n8n-examples-${lane}`)].map((name) => path.join(root, name));
		for (const folder of folders) cpSync(path.join(base, '.n8n'), path.join(folder, '.n8n'), { recursive: true });
		const [folderB, folderC, folderD, folderTrigger, folderControl, folderProxy, ...exampleFolders] = folders;
		const unlaned = examples.filter((example) => !EXAMPLE_LANES.flat().includes(example.workflow.id));
		if (unlaned.length > 0) throw new Error(`examples/ has workflows in no lane of EXAMPLE_LANES (test/e2e/examples.ts): ${unlaned.map((example) => example.file).join(', ')}`);
		const examplesSeed = await seedExamples(examplesEmulator.admin);

		const containment = await seedContainment(emulator.admin);
		await emulator.admin.clearRequests().catch(() => undefined);
		const nodesFile = path.join(root, 'nodes.json');
		// The trigger lane first: its n8n start gets the CPU to itself, and its wait for n8n's minute
		// poll (up to 60 s) overlaps the other runs.
		let triggerActivated: () => void = () => undefined;
		const activated = new Promise<void>((resolve) => (triggerActivated = resolve));
		const triggerLane = timed(timings, 'trigger lane', () =>
			runTriggerLane(folderTrigger, workflows.trigger.id, triggerEmulator, { onActivated: () => triggerActivated() }),
		);
		await timed(timings, 'trigger lane: n8n start + activation', () => activated);
		// Four more lanes in parallel; runs within a lane share a user folder, so they go one after the other.
		const demoNamed = (name: string) => {
			const found = demoWorkflows.find((workflow) => workflow.name === name);
			if (!found) throw new Error(`demo/workflows has no workflow named "${name}"`);
			return found;
		};
		const demoTriage = demoNamed(DEMO_TRIAGE);
		const demoHunt = demoNamed(DEMO_HUNT);
		const proxied = proxyEnv(proxy.url);
		const operationsRun = execute(base, workflows.operations.id, caCertPath);
		const proxiedRunning = execute(folderProxy, CONTROL_WORKFLOW_IDS.proxy, caCertPath, proxied);
		const [operations, [expiredFails, containmentRun], [readOnlyFails, demoHuntRun], [, demoTriageRun], trigger, control, proxiedRun] = await timed(timings, 'n8n runs (parallel)', () =>
			Promise.all([
				operationsRun,
				(async () => [await execute(folderB, workflows.expiredFails.id, caCertPath), await execute(folderB, workflows.containment.id, caCertPath)] as const)(),
				(async () => [await execute(folderC, workflows.readOnlyFails.id, caCertPath), await execute(folderC, demoHunt.id, caCertPath)] as const)(),
				(async () => [
					await host.runN8nChecked(['export:nodes', `--output=${nodesFile}`], host.n8nEnv(folderD, { caCertPath })),
					await execute(folderD, demoTriage.id, caCertPath),
				] as const)(),
				triggerLane,
				// Its own n8n start; started with the runs (not next to the trigger lane's start, which
				// only delayed the activation: measured 33 s instead of 12 s on two CPUs).
				timed(timings, 'control lane', () =>
					runControlLane(folderControl, controlEmulator, {
						env: credentialLaneEnv(credentialEmulator.info, federatedTokenFile, standIn.url),
						run: async (server) => {
							credentialLane = await timed(timings, 'credential lane (in the control lane)', () =>
								runCredentialLane(server.rest, credentialEmulator, federatedTokenFile, () => server.n8n.isAlive()),
							);
						},
					}),
				),
				proxiedRunning,
			]),
		);
		// The playbooks run after the lanes above: their n8n boots would otherwise pile onto the
		// control lane's n8n start, which has a health deadline, on a two-CPU machine.
		const exampleLaneRuns = await timed(timings, 'examples (two lanes)', () =>
			Promise.all(
				EXAMPLE_LANES.map(async (ids, lane) => {
					const runs: Array<[string, WorkflowRun]> = [];
					for (const id of ids) if (examples.some((example) => example.workflow.id === id)) runs.push([id, await execute(exampleFolders[lane], id, caCertPath)]);
					return runs;
				}),
			),
		);
		const exampleRunsById = new Map(exampleLaneRuns.flat());
		const nodeTypes = JSON.parse(readFileSync(nodesFile, 'utf8')) as Array<Record<string, unknown>>;
		const requests = await emulator.admin.requests();
		const mde = { machineActions: await emulator.admin.machineActions(), indicators: await emulator.admin.indicators() };
		const examplesState = {
			requests: await examplesEmulator.admin.requests(),
			machineActions: await examplesEmulator.admin.machineActions(),
			indicators: await examplesEmulator.admin.indicators(),
			storageRequests: await examplesEmulator.admin.storageRequests(),
			accounts: await examplesEmulator.admin.accountsAndMail(),
		};

		log(`setup done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
		return {
			emulator,
			info,
			root,
			credentials,
			runs: { operations, expiredFails, readOnlyFails, containment: containmentRun },
			containment,
			trigger,
			triggerEmulator,
			control,
			controlEmulator,
			credentialLane,
			credentialEmulator,
			federatedTokenFile,
			stopDeviceIds,
			proxied: { run: proxiedRun, proxyLog: [...proxy.log], proxyUrl: proxy.url, env: proxied },
			mde,
			demoRuns: [
				{ workflow: demoTriage, run: demoTriageRun },
				{ workflow: demoHunt, run: demoHuntRun },
			],
			exampleRuns: examples.map((example) => ({ ...example, run: exampleRunsById.get(example.workflow.id) as WorkflowRun })),
			examplesEmulator,
			examples: { ...examplesState, ...examplesSeed },
			nodeTypes,
			requests,
			foreignUrl,
			installedPackageDir: path.join(base, '.n8n', 'nodes', 'node_modules', 'n8n-nodes-microsoft-365-defender'),
			userFolders: [base, ...folders],
			standInLog: [...standIn.log],
			timings,
		};
	} catch (error) {
		log(`emulator stderr:\n${emulator.stderr().slice(-3000)}`);
		await Promise.all([emulator.stop(), triggerEmulator.stop(), controlEmulator.stop(), examplesEmulator.stop(), credentialEmulator.stop()]);
		throw error;
	} finally {
		await Promise.all([proxy.close(), standIn.close()]);
	}
}

export async function teardownE2E(context: E2EContext | undefined): Promise<void> {
	if (!context) return;
	await Promise.all([context.emulator.stop(), context.triggerEmulator.stop(), context.controlEmulator.stop(), context.examplesEmulator.stop(), context.credentialEmulator.stop()]);
	if (!KEEP) rmSync(context.root, { recursive: true, force: true });
}

/** Every file of n8n's SQLite database in a user folder (the -wal/-shm files too, if left over). */
export function databaseFiles(userFolder: string): string[] {
	const dir = path.join(userFolder, '.n8n');
	if (!existsSync(dir)) return [];
	return readdirSync(dir)
		.filter((name) => name.startsWith('database.sqlite'))
		.map((name) => path.join(dir, name));
}

/** Fetches an access token from the emulator, the same way the credential does (client credentials). */
export async function fetchToken(info: EmulatorInfo, clientId: string, clientSecret: string, scope = 'https://graph.microsoft.com/.default'): Promise<string> {
	const body = new URLSearchParams({
		client_id: clientId,
		client_secret: clientSecret,
		grant_type: 'client_credentials',
		scope,
	}).toString();
	const response = await emulatorLib.request(`${info.loginUrl.replace(/\/$/, '')}/${info.tenantId}/oauth2/v2.0/token`, {
		method: 'POST',
		body,
		headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
		ca: readFileSync(info.caCertPath),
	});
	const token = (response.json as { access_token?: string } | undefined)?.access_token;
	if (!token) throw new Error(`No token from the emulator (${response.status}): ${response.text}`);
	return token;
}

/** GET on the emulator's Graph with a token (outside n8n): reads back what a run changed. */
export async function graphGet(info: EmulatorInfo, token: string, route: string): Promise<Record<string, unknown>> {
	const response = await emulatorLib.request(`${info.graphUrl.replace(/\/$/, '')}${route}`, {
		headers: { Authorization: `Bearer ${token}` },
		ca: readFileSync(info.caCertPath),
	});
	if (response.status !== 200) throw new Error(`GET ${route} answered ${response.status}: ${response.text}`);
	return response.json as Record<string, unknown>;
}

/**
 * The first `count` Windows devices of an emulator (a scan is refused on Linux and macOS), read
 * from its Defender for Endpoint API outside n8n.
 */
export async function windowsDeviceIds(info: EmulatorInfo, count: number): Promise<string[]> {
	const full = info.apps.full;
	const token = await fetchToken(info, full.clientId, String(full.clientSecret), 'https://api.securitycenter.microsoft.com/.default');
	const response = await emulatorLib.request(`${info.mdeUrl.replace(/\/$/, '')}/api/machines`, {
		headers: { Authorization: `Bearer ${token}` },
		ca: readFileSync(info.caCertPath),
	});
	if (response.status !== 200) throw new Error(`GET /api/machines answered ${response.status}: ${response.text}`);
	const machines = ((response.json as { value?: Array<{ id: string; osPlatform?: string }> }).value ?? []).filter((machine) =>
		String(machine.osPlatform ?? '').startsWith('Windows'),
	);
	if (machines.length < count) throw new Error(`The control emulator has ${machines.length} Windows devices; the stop test needs ${count}`);
	return machines.slice(0, count).map((machine) => machine.id);
}
