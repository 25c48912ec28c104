/**
 * Compatibility lane: the package inside the last n8n 1.x (1.123.81), on the Node that runs the
 * tests (Node 20 here; n8n 1.x needs >= 20.19), installed once into `.n8n-host-1x/`
 * (scripts/lib/n8n-host.cjs, host `HOST_1X`). The README promises n8n 1.x support; this lane
 * checks the main paths, not every operation (n8n.test.ts does that on n8n 2.x):
 *
 *  - the packed package installed into a fresh user folder's `.n8n/nodes`, as a community package;
 *  - `n8n export:nodes`: the node, the trigger and the credential type load;
 *  - one workflow, independent branches from a Manual Trigger, run with `n8n execute --rawOutput`:
 *    incident get many and get by id, alert update, advanced hunting, device get many (Defender for
 *    Endpoint), and one expected failure with Continue On Fail.
 *
 * If something in the package breaks on 1.x, the failing assertion carries n8n's own error text.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import * as emulatorLib from '../../scripts/lib/emulator.cjs';
import type { LoggedRequest, RunningEmulator } from '../../scripts/lib/emulator.cjs';
import * as host from '../../scripts/lib/n8n-host.cjs';
import { startTestProxy, type ProxyLogEntry } from '../emulator/proxy';
import { exitStatus, fetchToken, graphGet, nodeErrorOf, outputOf, proxyEnv, type RunData, type WorkflowRun } from './harness';
import { proxiedTargets } from './proxy-check';
import { CREDENTIAL_TYPE, NODE_TYPE, TRIGGER_TYPE, WorkflowBuilder, emulatorSecretData, type WorkflowNode } from './workflows';

const n8n1x = host.createHost(host.HOST_1X);
const PACKAGE_NAME = 'n8n-nodes-microsoft-365-defender';
const PREBUILT = process.env.E2E_PREBUILT === '1';
const KEEP = process.env.E2E_KEEP === '1';

const CREDENTIAL = { id: 'e2e1xCredFull001', name: 'Defender e2e 1.x (full access)' };
const WORKFLOW_ID = 'e2e1xWfBranches1';
/** Incident get many (Graph) and device get many (Defender for Endpoint), run with HTTPS_PROXY set. */
const PROXY_WORKFLOW_ID = 'e2e1xWfViaProxy1';
const MISSING_INCIDENT = '999999001';
const HUNTING_QUERY = 'DeviceProcessEvents | take 5';

const B = {
	incidents: 'Incidents: get many (3)',
	incident: 'Incident: get by id',
	alertUpdate: 'Alert: update',
	hunting: 'Hunting: take 5',
	devices: 'Devices: get many (2)',
	devicesSimplified: 'Devices: get many (2), node version 1.1',
	missing: 'Incident: missing (continue on fail)',
} as const;
const PROXIED = { incidents: 'Via proxy: incidents', devices: 'Via proxy: devices' } as const;

interface Lane {
	emulator: RunningEmulator;
	root: string;
	incidentId: string;
	alertId: string;
	run: WorkflowRun;
	nodeTypes: Array<Record<string, unknown>>;
	exportOutput: string;
	requests: LoggedRequest[];
	alertAfter: Record<string, unknown>;
	installedVersion?: string;
	/** The proxy workflow's `n8n execute` with HTTPS_PROXY/HTTP_PROXY at the test proxy, NO_PROXY unset. */
	proxied: { run: WorkflowRun; proxyLog: ProxyLogEntry[] };
}

let lane: Lane | undefined;
let setupError: unknown;

function log(message: string): void {
	process.stderr.write(`[e2e 1x] ${message}\n`);
}

function defender(name: string, parameters: Record<string, unknown>, continueOnFail = false): Omit<WorkflowNode, 'id' | 'position'> {
	return {
		name,
		type: NODE_TYPE,
		typeVersion: 1,
		parameters,
		credentials: { [CREDENTIAL_TYPE]: CREDENTIAL },
		...(continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
	};
}

const byId = (value: string) => ({ __rl: true, mode: 'id', value });

function buildWorkflow(incidentId: string, alertId: string) {
	return new WorkflowBuilder(WORKFLOW_ID, 'e2e 1.x: main operations')
		.branch(defender(B.incidents, { resource: 'incident', operation: 'getAll', returnAll: false, limit: 3 }))
		.branch(defender(B.incident, { resource: 'incident', operation: 'get', incidentId: byId(incidentId), options: {} }))
		.branch(
			defender(B.alertUpdate, {
				resource: 'alert',
				operation: 'update',
				alertId: byId(alertId),
				updateFields: { status: 'inProgress', classification: 'truePositive', determination: 'malware' },
			}),
		)
		.branch(defender(B.hunting, { resource: 'advancedHunting', operation: 'runQuery', query: HUNTING_QUERY, timespan: '', output: 'rows' }))
		.branch(defender(B.devices, { resource: 'device', operation: 'getAll', returnAll: false, limit: 2, filters: {} }))
		.branch({ ...defender(B.devicesSimplified, { resource: 'device', operation: 'getAll', returnAll: false, limit: 2, filters: {} }), typeVersion: 1.1 })
		.branch(defender(B.missing, { resource: 'incident', operation: 'get', incidentId: byId(MISSING_INCIDENT), options: {} }, true))
		.build();
}

function buildProxyWorkflow() {
	return new WorkflowBuilder(PROXY_WORKFLOW_ID, 'e2e 1.x: Graph and Defender for Endpoint through an HTTPS proxy')
		.branch(defender(PROXIED.incidents, { resource: 'incident', operation: 'getAll', returnAll: false, limit: 2 }))
		.branch(defender(PROXIED.devices, { resource: 'device', operation: 'getAll', returnAll: false, limit: 2, filters: {} }))
		.build();
}

async function timed<T>(label: string, work: () => Promise<T> | T): Promise<T> {
	const started = Date.now();
	try {
		return await work();
	} finally {
		log(`${label}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
	}
}

async function setupLane(): Promise<Lane> {
	const started = Date.now();
	await timed(`ensure n8n ${n8n1x.N8N_VERSION} host (Node ${n8n1x.NODE_VERSION})`, () => n8n1x.ensureHost());
	const tlsDir = emulatorLib.DEFAULT_TLS_DIR;
	emulatorLib.ensureTlsCertificate(tlsDir);
	const root = mkdtempSync(path.join(tmpdir(), 'defender-e2e-1x-'));
	log(`work folder ${root}${KEEP ? ' (kept: E2E_KEEP=1)' : ''}`);
	const emulator = await timed('start emulator', () => emulatorLib.startEmulator({ tlsDir, stateFile: path.join(root, 'emulator-state.json') }));
	const proxy = await startTestProxy();
	try {
		const { info } = emulator;
		const caCertPath = info.caCertPath;
		const [[incident], [alert]] = await Promise.all([emulator.admin.ids('incidents', 1), emulator.admin.ids('alerts', 1)]);
		if (!incident || !alert) throw new Error('The emulator has no incident or alert to work on');

		const base = path.join(root, 'n8n-1x');
		mkdirSync(base, { recursive: true });
		const installed = await timed('pack + install package', () => host.installPackage(base, { build: !PREBUILT }));
		const credential = { ...CREDENTIAL, type: CREDENTIAL_TYPE, data: emulatorSecretData(info, 'full', { rateLimits: 'off' }) };
		const baseEnv = n8n1x.n8nEnv(base, { caCertPath });
		await timed('import credential + workflow', async () => {
			await n8n1x.importJson('credentials', [credential], baseEnv);
			await n8n1x.importJson('workflow', [buildWorkflow(incident.id, alert.id), buildProxyWorkflow()], baseEnv);
		});
		// export:nodes and the proxied run get copies of the user folder: two n8n processes never share a SQLite file.
		const exportFolder = path.join(root, 'n8n-1x-export');
		const proxyFolder = path.join(root, 'n8n-1x-proxy');
		cpSync(path.join(base, '.n8n'), path.join(exportFolder, '.n8n'), { recursive: true });
		cpSync(path.join(base, '.n8n'), path.join(proxyFolder, '.n8n'), { recursive: true });
		await emulator.admin.clearRequests().catch(() => undefined);
		const nodesFile = path.join(root, 'nodes.json');
		const [result, exported, proxiedResult] = await timed('n8n execute + export:nodes + execute via proxy (parallel)', () =>
			Promise.all([
				n8n1x.runN8n(['execute', `--id=${WORKFLOW_ID}`, '--rawOutput'], n8n1x.n8nEnv(base, { caCertPath }), {
					timeoutMs: 240_000,
					stdoutFile: path.join(base, `execute-${WORKFLOW_ID}.out`),
				}),
				n8n1x.runN8n(['export:nodes', `--output=${nodesFile}`], n8n1x.n8nEnv(exportFolder, { caCertPath })),
				n8n1x.runN8n(['execute', `--id=${PROXY_WORKFLOW_ID}`, '--rawOutput'], n8n1x.n8nEnv(proxyFolder, { caCertPath, ...proxyEnv(proxy.url) }), {
					timeoutMs: 240_000,
					stdoutFile: path.join(proxyFolder, `execute-${PROXY_WORKFLOW_ID}.out`),
				}),
			]),
		);
		const proxiedRun = host.parseExecuteOutput(proxiedResult.stdout) as RunData | undefined;
		log(`n8n execute via proxy: exit ${proxiedResult.code ?? proxiedResult.signal}, run ${proxiedRun?.status ?? 'not printed'}, ${(proxiedResult.durationMs / 1000).toFixed(1)} s`);
		if (!proxiedRun) log(`n8n execute via proxy printed no run JSON.\nstdout:\n${proxiedResult.stdout.slice(-3000)}\nstderr:\n${proxiedResult.stderr.slice(-3000)}`);
		const run = host.parseExecuteOutput(result.stdout) as RunData | undefined;
		log(`n8n execute: exit ${result.code ?? result.signal}, run ${run?.status ?? 'not printed'}, ${(result.durationMs / 1000).toFixed(1)} s`);
		if (!run) log(`n8n execute printed no run JSON.\nstdout:\n${result.stdout.slice(-3000)}\nstderr:\n${result.stderr.slice(-3000)}`);
		const nodeTypes = existsSync(nodesFile) ? (JSON.parse(readFileSync(nodesFile, 'utf8')) as Array<Record<string, unknown>>) : [];
		const requests = await emulator.admin.requests();
		const token = await fetchToken(info, info.apps.full.clientId, String(info.apps.full.clientSecret));
		const alertAfter = await graphGet(info, token, `/v1.0/security/alerts_v2/${alert.id}`);
		log(`lane setup done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
		return {
			emulator,
			root,
			incidentId: incident.id,
			alertId: alert.id,
			run: { result, run, userFolder: base },
			nodeTypes,
			exportOutput: `exit ${exported.code ?? exported.signal}\n${exported.stdout.slice(-3000)}\n${exported.stderr.slice(-3000)}`,
			requests,
			alertAfter,
			installedVersion: installed.version,
			proxied: { run: { result: proxiedResult, run: proxiedRun, userFolder: proxyFolder }, proxyLog: [...proxy.log] },
		};
	} catch (error) {
		log(`emulator stderr:\n${emulator.stderr().slice(-3000)}`);
		await emulator.stop();
		throw error;
	} finally {
		await proxy.close();
	}
}

beforeAll(async () => {
	try {
		lane = await setupLane();
	} catch (error) {
		setupError = error;
		throw error;
	}
}, 20 * 60_000);

afterAll(async () => {
	if (!lane) return;
	await lane.emulator.stop();
	if (!KEEP) rmSync(lane.root, { recursive: true, force: true });
}, 60_000);

function ctx(): Lane {
	if (!lane) throw new Error(`n8n 1.x lane setup failed: ${setupError instanceof Error ? setupError.message : String(setupError)}`);
	return lane;
}

/** The lines where n8n says it could not load something of this package (empty when all loaded). */
function loadProblems(output: string): string[] {
	return output
		.split('\n')
		.filter((line) => /error|cannot|failed|not a function|is not defined/i.test(line) && /defender|n8n-nodes-microsoft/i.test(line));
}

describe(`the package in n8n ${host.HOST_1X.n8nVersion} on Node ${process.versions.node}`, () => {
	it('n8n loads the node, the trigger and the credential', () => {
		const { nodeTypes, exportOutput, run } = ctx();
		expect(loadProblems(`${exportOutput}\n${run.result.stdout}\n${run.result.stderr}`)).toEqual([]);
		const names = nodeTypes.map((type) => type.name);
		if (!names.includes(NODE_TYPE) || !names.includes(TRIGGER_TYPE)) {
			throw new Error(`n8n 1.x did not load the package's nodes (${nodeTypes.length} node types exported). export:nodes said:\n${exportOutput}`);
		}
		const node = nodeTypes.find((type) => type.name === NODE_TYPE) as { displayName: string; version: number[]; credentials: Array<{ name: string }> };
		expect(node.displayName).toBe('Microsoft 365 Defender');
		expect(node.version).toEqual([1, 1.1]);
		expect(node.credentials.map((credential) => credential.name)).toEqual([CREDENTIAL_TYPE]);
		const trigger = nodeTypes.find((type) => type.name === TRIGGER_TYPE) as { credentials: Array<{ name: string }> };
		expect(trigger.credentials.map((credential) => credential.name)).toEqual([CREDENTIAL_TYPE]);
		// The credential type loaded: a node using it ran and authenticated (the token requests below).
		expect(ctx().requests.some((request) => request.api === 'token' && request.status === 200)).toBe(true);
	});

	it('runs the workflow to success with `n8n execute`', () => {
		const { run } = ctx();
		const error = run.run?.data.resultData.error;
		if (error || exitStatus(run) !== 0) {
			throw new Error(`n8n 1.x run failed (exit ${exitStatus(run)}): ${error?.message ?? ''} ${error?.description ?? ''}\n${run.result.stdout.slice(-2000)}\n${run.result.stderr.slice(-2000)}`);
		}
		expect(run.run?.status).toBe('success');
		expect(Object.keys(run.run?.data.resultData.runData ?? {}).sort()).toEqual(['Start', ...Object.values(B)].sort());
	});

	it('incident get many honours the limit', () => {
		const items = outputOf(ctx().run, B.incidents);
		expect(items).toHaveLength(3);
		expect(new Set(items.map((item) => item.id)).size).toBe(3);
		const list = ctx().requests.filter((request) => request.method === 'GET' && /\/security\/incidents(\?|$)/.test(request.path));
		expect(list.length).toBeGreaterThanOrEqual(1);
		expect(list.every((request) => request.status === 200)).toBe(true);
	});

	it('incident get returns the incident asked for', () => {
		const [incident, ...rest] = outputOf(ctx().run, B.incident);
		expect(rest).toHaveLength(0);
		expect(String(incident.id)).toBe(ctx().incidentId);
	});

	it('alert update changes the alert in the emulator', () => {
		const [alert] = outputOf(ctx().run, B.alertUpdate);
		expect(String(alert.id)).toBe(ctx().alertId);
		expect(alert.status).toBe('inProgress');
		expect(ctx().alertAfter).toMatchObject({ id: ctx().alertId, status: 'inProgress', classification: 'truePositive', determination: 'malware' });
	});

	it('advanced hunting returns one item per row', () => {
		const rows = outputOf(ctx().run, B.hunting);
		expect(rows).toHaveLength(5);
		for (const row of rows) expect(Object.keys(row).length).toBeGreaterThan(0);
		const hunts = ctx().requests.filter((request) => request.method === 'POST' && /runHuntingQuery/.test(request.path));
		expect(hunts.map((request) => request.status)).toEqual([200]);
	});

	it('device get many goes to Defender for Endpoint and honours the limit', () => {
		const devices = outputOf(ctx().run, B.devices);
		expect(devices).toHaveLength(2);
		for (const device of devices) expect(typeof device.id).toBe('string');
		const machines = ctx().requests.filter((request) => request.api === 'mde' && /\/api\/machines/.test(request.path));
		expect(machines.length).toBeGreaterThanOrEqual(1);
	});

	it('node version 1.1 simplifies (its displayOptions work in n8n 1.x); version 1 keeps every field', () => {
		const full = outputOf(ctx().run, B.devices);
		const simple = outputOf(ctx().run, B.devicesSimplified);
		expect(simple.map((device) => device.id)).toEqual(full.map((device) => device.id));
		expect(full[0]).toEqual(expect.objectContaining({ agentVersion: expect.any(String), ipAddresses: expect.any(Array) }));
		expect(simple[0].agentVersion).toBeUndefined();
		expect(simple[0].ipAddresses).toBeUndefined();
		expect(simple[0]).toMatchObject({ computerDnsName: full[0].computerDnsName, healthStatus: full[0].healthStatus });
	});

	it('a failing node with Continue On Fail passes its error on as an item', () => {
		const { run } = ctx();
		expect(nodeErrorOf(run, B.missing)).toBeUndefined();
		const items = outputOf(run, B.missing);
		expect(items).toHaveLength(1);
		expect(JSON.stringify(items[0])).toMatch(new RegExp(`${MISSING_INCIDENT}.*not found|not found.*${MISSING_INCIDENT}|404`, 'i'));
	});

	describe('through an HTTPS proxy (HTTPS_PROXY and HTTP_PROXY set, no NO_PROXY)', () => {
		it('the run succeeds', () => {
			const { run } = ctx().proxied;
			const error = run.run?.data.resultData.error;
			if (error || exitStatus(run) !== 0) {
				throw new Error(`n8n 1.x run via the proxy failed (exit ${exitStatus(run)}): ${error?.message ?? ''} ${error?.description ?? ''}\n${run.result.stdout.slice(-2000)}\n${run.result.stderr.slice(-2000)}`);
			}
			expect(run.run?.status).toBe('success');
			expect(outputOf(run, PROXIED.incidents)).toHaveLength(2);
			expect(outputOf(run, PROXIED.devices)).toHaveLength(2);
		});

		it('the token request goes through the proxy (CONNECT to the login host)', () => {
			const targets = proxiedTargets(ctx().proxied.proxyLog, ctx().emulator.info);
		if (targets.login === 0) throw new Error(`No CONNECT to the login host ${ctx().emulator.info.loginHost}; the proxy saw ${targets.targets.join(', ') || 'nothing'}`);
		});

		it('Graph and Defender for Endpoint calls go through the proxy', () => {
			const targets = proxiedTargets(ctx().proxied.proxyLog, ctx().emulator.info);
			expect({ graph: targets.graph > 0, mde: targets.mde > 0 }).toEqual({ graph: true, mde: true });
		});
	});

	it('is the packed package, installed as a community package', () => {
		const installed = JSON.parse(readFileSync(path.join(ctx().run.userFolder, '.n8n', 'nodes', 'node_modules', PACKAGE_NAME, 'package.json'), 'utf8')) as { version: string };
		expect(installed.version).toBe(ctx().installedVersion);
	});
});
