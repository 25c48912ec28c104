/**
 * n8n in queue mode (issue 14): Redis and PostgreSQL from Debian's packages on free ports
 * (scripts/lib/queue-services.cjs), n8n 2.40.7 `n8n start` as the main process and two `n8n worker`
 * processes, each with the package installed the way the other lanes install it (packed, then
 * `npm install` into the user folder's .n8n/nodes; the folder copied to the workers, as the main
 * harness copies its folders), one encryption key, the emulator at Microsoft's documented limits.
 *
 *  1. budget phase: one webhook workflow ("get these incidents") started N times at once through
 *     the main process; the workers run it (concurrency 1 each, so the executions spread over
 *     both). With the shared budget the emulator sees no 429 and nothing before Retry-After, and
 *     the run takes as long as the documented limit needs; the same set-up with
 *     N8N_DEFENDER_SHARED_RATE_BUDGET=false is the baseline (npm run bench -- --queue);
 *  2. trigger: the polling trigger is published on the main process (its state in PostgreSQL)
 *     before the budget phase; a new incident added after the activation poll comes out of one
 *     execution (on a worker), once: no further execution by the end of phase 3, a poll later;
 *  0. live response (issue 20): 30 Run Script sessions, two executions of 15 started at once (one
 *     per worker), each waiting for its sessions; the devices hold them running, so Microsoft's 25
 *     running at once is reached (after two windows of its 10 starts a minute) and only the shared
 *     session gate in Redis keeps the other 5 back (each worker alone has room for 15). Runs first:
 *     its Defender for Endpoint calls are a window old by the kill phase, which needs that minute's
 *     budget to itself;
 *  3. worker killed: two executions of a Defender for Endpoint action workflow (antivirus scans;
 *     the first alone more than a minute's budget) run on the two workers; once the budget is
 *     spent and both are waiting, the worker of the first is killed (SIGKILL). The second finishes all
 *     its scans within the shared budget; no device is scanned twice.
 */
import { randomUUID } from 'node:crypto';
import { cpSync, mkdirSync } from 'node:fs';
import path from 'node:path';

import * as emulatorLib from '../../scripts/lib/emulator.cjs';
import type { LoggedRequest, RunningEmulator } from '../../scripts/lib/emulator.cjs';
import * as host from '../../scripts/lib/n8n-host.cjs';
import type { ExecutionSummary, N8nRest } from '../../scripts/lib/n8n-rest.cjs';
import * as queueServices from '../../scripts/lib/queue-services.cjs';
import { windowsDeviceIds } from './harness';
import { launchN8nServer, signInWhenReady, type N8nServer } from './n8nServer';
import { activationPollDone } from './trigger-lane';
import {
	CREDENTIAL_TYPE,
	NODE_TYPE,
	T,
	WORKFLOW_IDS,
	WorkflowBuilder,
	buildTriggerCredential,
	buildTriggerWorkflow,
	byId,
	emulatorSecretData,
	n8nNode,
	type E2ECredential,
} from './workflows';

export interface QueueLaneOptions {
	root: string;
	tarball: string;
	/** The budget phase: executions started at once, incident gets each. */
	gets: { executions: number; perExecution: number };
	/** false: every process keeps its own budget (N8N_DEFENDER_SHARED_RATE_BUDGET=false), the baseline. */
	sharedBudget?: boolean;
	/** The trigger and worker-kill phases (the CI lane); the benchmark runs the budget phase alone. */
	withTriggerAndKill?: boolean;
	log?: (message: string) => void;
}

export interface LaneExecution {
	id: string;
	status: string;
	startedAt?: string;
	stoppedAt?: string | null;
	/** Which worker ran it, from the workers' logs ("Worker started execution <id>"). */
	worker?: string;
}

export interface BudgetPhase {
	executions: LaneExecution[];
	/** From the first webhook call to the last execution's end. */
	seconds: number;
	gets: { total: number; ok: number; throttled: number; early: number };
	requests: LoggedRequest[];
}

export interface TriggerPhase {
	insertedId?: string;
	executions: LaneExecution[];
	/** Incident ids the trigger workflow's executions emitted. */
	emitted: string[];
}

export interface KillPhase {
	killedWorker?: string;
	killedAfterScans: number;
	first?: LaneExecution;
	second?: LaneExecution;
	/** Scans the second execution's devices got (all should, once), and every device's scan count. */
	scansPerDevice: Record<string, number>;
	secondDevices: string[];
	secondItems: number;
	throttled: number;
	early: number;
	seconds: number;
}

export interface LiveResponsePhase {
	executions: LaneExecution[];
	/** Sessions running once 25 had started, a few seconds later (the others held back). */
	runningAtPeak: number;
	/** Start calls the emulator answered 201, and 429s. */
	started: number;
	throttled: number;
	/** The emulator's count: the most sessions that ran at once, starts refused for the 25. */
	stats: { maxRunningSessions: number; refusedForSessions: number; refusedForRate: number };
	seconds: number;
}

export interface QueueLaneRun {
	error?: string;
	liveResponse?: LiveResponsePhase;
	budget?: BudgetPhase;
	trigger?: TriggerPhase;
	kill?: KillPhase;
	workerNames: string[];
	/** The shared-budget keys found in n8n's Redis after the run. */
	redisBudgetKeys: string[];
	mainOutput: string;
	workerOutputs: Record<string, string>;
	timings: Record<string, number>;
}

const OWNER = { email: 'queue.owner@example.com', firstName: 'Queue', lastName: 'Owner', password: 'Queue-owner-password-1' };
const CREDENTIAL = { id: 'queueCredFull001', name: 'Defender queue lane (documented limits)' } as const;
export const QUEUE_WORKFLOW_IDS = { gets: 'queueWfGets00001', scans: 'queueWfScans0001', liveResponse: 'queueWfLiveResp1' } as const;
export const QUEUE_NODES = { gets: 'Incident: get', scans: 'Device: antivirus scan', liveResponse: 'Live response: run script' } as const;
const WEBHOOK_PATHS = { gets: 'queue-lane-gets', scans: 'queue-lane-scans', liveResponse: 'queue-lane-live-response' } as const;
/** Two executions of 15 sessions: 30, more than Microsoft's 25 running at once. */
export const LIVE_RESPONSE_SESSIONS = 30;
/**
 * Scans of the execution whose worker is killed: more than Defender for Endpoint's 100 calls a
 * minute on its own, so it is still running (waiting for the next window) when its worker is
 * killed, however the starts of the two executions fall; with fewer it could finish before the
 * lane saw it run (it did on a loaded CI machine).
 */
const FIRST_SCANS = 110;
/** Scans of the execution that runs on: the budget's next window. */
const SECOND_SCANS = 60;
export const SCAN_COMMENT = 'queue lane: scan';
const WORKERS = ['worker-1', 'worker-2'];
const FINISHED = (status: string) => !['new', 'running', 'waiting'].includes(status);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value !== undefined) return value;
		if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs / 1000} s waiting for ${what}`);
		await sleep(1000);
	}
}

function credential(info: emulatorLib.EmulatorInfo): E2ECredential {
	return { id: CREDENTIAL.id, name: CREDENTIAL.name, type: CREDENTIAL_TYPE, data: emulatorSecretData(info, 'full', { rateLimits: 'documented' }) };
}

/** Webhook (answers at once) -> Split Out the ids in the body -> one Defender node per item. */
function webhookWorkflow(id: string, name: string, webhookPath: string, idsField: string, node: Record<string, unknown>) {
	const workflow = new WorkflowBuilder(id, name)
		.startWith(n8nNode('Webhook', 'webhook', 2, { httpMethod: 'POST', path: webhookPath, responseMode: 'onReceived', options: {} }))
		.branch(n8nNode('Split', 'splitOut', 1, { fieldToSplitOut: `body.${idsField}`, include: 'noOtherFields', options: { destinationFieldName: 'id' } }), {
			name: String(node.name),
			type: NODE_TYPE,
			typeVersion: 1,
			parameters: node.parameters as Record<string, unknown>,
			credentials: { [CREDENTIAL_TYPE]: { id: CREDENTIAL.id, name: CREDENTIAL.name } },
		})
		.build();
	// Without a webhookId n8n registers the path under the workflow id and node name, not as given.
	Object.assign(workflow.nodes[0], { webhookId: randomUUID() });
	return workflow;
}

function laneWorkflows() {
	return [
		webhookWorkflow(QUEUE_WORKFLOW_IDS.gets, 'queue lane: get incidents', WEBHOOK_PATHS.gets, 'incidentIds', {
			name: QUEUE_NODES.gets,
			parameters: { resource: 'incident', operation: 'get', incidentId: byId('={{ $json.id }}'), options: {} },
		}),
		webhookWorkflow(QUEUE_WORKFLOW_IDS.scans, 'queue lane: scan devices', WEBHOOK_PATHS.scans, 'deviceIds', {
			name: QUEUE_NODES.scans,
			parameters: {
				resource: 'responseAction',
				operation: 'runAntivirusScan',
				deviceId: byId('={{ $json.id }}'),
				scanType: 'Quick',
				comment: SCAN_COMMENT,
				waitForCompletion: false,
				options: {},
			},
		}),
		webhookWorkflow(QUEUE_WORKFLOW_IDS.liveResponse, 'queue lane: live response', WEBHOOK_PATHS.liveResponse, 'deviceIds', {
			name: QUEUE_NODES.liveResponse,
			parameters: {
				resource: 'liveResponse',
				operation: 'runScript',
				deviceId: byId('={{ $json.id }}'),
				scriptName: 'list-processes.sh',
				comment: 'queue lane: live response',
				waitForCompletion: true,
				// 25 sessions checked every 20 s: 75 of Defender for Endpoint's 100 calls a minute.
				pollIntervalSeconds: 20,
				waitTimeoutSeconds: 600,
				options: {},
			},
		}),
		buildTriggerWorkflow(),
	];
}

const isIncidentGet = (request: LoggedRequest) => request.method === 'GET' && /^\/v1\.0\/security\/incidents\/[^/?]+(\?|$)/.test(request.path);
const isScan = (request: LoggedRequest) => request.method === 'POST' && /^\/api\/machines\/[^/]+\/runAntivirusScan$/i.test(request.path);
const deviceOfScan = (request: LoggedRequest) => decodeURIComponent(request.path.split('/')[3]);

/**
 * Starts a run through the main process's production webhook. A just-published workflow's webhook
 * is registered a moment after the publish call returns; until then n8n answers 404.
 */
async function postWebhook(port: number, webhookPath: string, body: unknown): Promise<void> {
	const deadline = Date.now() + 60_000;
	for (;;) {
		const response = await fetch(`http://localhost:${port}/webhook/${webhookPath}`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify(body),
		});
		if (response.status === 200) return;
		const text = await response.text();
		if (response.status !== 404 || Date.now() > deadline) throw new Error(`POST /webhook/${webhookPath} answered ${response.status}: ${text.slice(0, 500)}`);
		await sleep(1000);
	}
}

/** The executions of a workflow once `count` of them exist and all have finished. */
async function finishedExecutions(rest: N8nRest, workflowId: string, count: number, timeoutMs: number): Promise<ExecutionSummary[]> {
	return await waitFor(`${count} finished execution(s) of ${workflowId}`, timeoutMs, async () => {
		const executions = await rest.executions(workflowId);
		return executions.length >= count && executions.every((execution) => FINISHED(execution.status)) ? executions : undefined;
	});
}

/** Which worker logged "Worker started execution <id>". */
function workerOf(executionId: string, workers: Map<string, host.RunningN8n>): string | undefined {
	for (const [name, worker] of workers) if (new RegExp(`Worker started execution ${executionId} `).test(worker.output())) return name;
	return undefined;
}

function laneExecution(summary: ExecutionSummary, workers: Map<string, host.RunningN8n>): LaneExecution {
	return { id: String(summary.id), status: summary.status, startedAt: summary.startedAt, stoppedAt: summary.stoppedAt, worker: workerOf(String(summary.id), workers) };
}

/**
 * Where the lane's executions are, for a failure message: each execution's status and worker, what
 * the main process enqueued, and each worker's state and last job lines.
 */
async function placementReport(server: N8nServer, workers: Map<string, host.RunningN8n>): Promise<string> {
	const lines: string[] = [];
	for (const workflowId of [...Object.values(QUEUE_WORKFLOW_IDS), WORKFLOW_IDS.trigger]) {
		const executions = await server.rest.executions(workflowId).catch((error: Error) => error);
		lines.push(
			`executions of ${workflowId}: ${
				executions instanceof Error ? executions.message : executions.map((execution) => `${execution.id} ${execution.status} on ${workerOf(String(execution.id), workers) ?? '-'}`).join(', ') || 'none'
			}`,
		);
	}
	const jobLines = (output: string) => output.split('\n').filter((line) => /execution \d+|job \d+|error/i.test(line)).slice(-8);
	lines.push(`main (${server.n8n.isAlive() ? 'alive' : 'exited'}): ${jobLines(server.n8n.output()).join(' | ')}`);
	for (const [name, worker] of workers) lines.push(`${name} (${worker.isAlive() ? 'alive' : 'exited'}): ${jobLines(worker.output()).join(' | ')}`);
	return lines.join('\n');
}

function countEarly(requests: LoggedRequest[]): number {
	return requests.filter((request) => request.early === true).length;
}

async function budgetPhase(server: N8nServer, emulator: RunningEmulator, workers: Map<string, host.RunningN8n>, options: QueueLaneOptions): Promise<BudgetPhase> {
	const { executions, perExecution } = options.gets;
	const ids = ((await emulator.admin.ids('incidents', executions * perExecution)) as Array<{ id: string }>).map((incident) => incident.id);
	if (ids.length < executions * perExecution) throw new Error(`The emulator has ${ids.length} incidents; the lane needs ${executions * perExecution}`);
	await emulator.admin.clearRequests();
	const started = Date.now();
	await Promise.all(
		Array.from({ length: executions }, (_, index) => postWebhook(server.port, WEBHOOK_PATHS.gets, { incidentIds: ids.slice(index * perExecution, (index + 1) * perExecution) })),
	);
	// The longest a correct run takes at Graph's 150 calls a minute, with room for a slow machine.
	const bound = (Math.ceil((executions * perExecution) / 150) * 61 + 120) * 1000;
	// Without the shared budget the 429s and what the budgets learn from them take longer.
	const summaries = await finishedExecutions(server.rest, QUEUE_WORKFLOW_IDS.gets, executions, options.sharedBudget === false ? 4 * bound : bound);
	const ended = Math.max(...summaries.map((summary) => Date.parse(String(summary.stoppedAt))));
	const requests = (await emulator.admin.requests()).filter((request) => Date.parse(String(request.time)) >= started - 5);
	const gets = requests.filter(isIncidentGet);
	return {
		executions: summaries.map((summary) => laneExecution(summary, workers)),
		seconds: (ended - started) / 1000,
		gets: {
			total: gets.length,
			ok: gets.filter((request) => request.status === 200).length,
			throttled: requests.filter((request) => request.status === 429).length,
			early: countEarly(requests),
		},
		requests,
	};
}

/**
 * Publishes the trigger on the main process, waits for its activation poll and adds a new
 * incident; the next minute's poll should emit it (checked by triggerOutcome, a few minutes later).
 */
async function startTrigger(server: N8nServer, emulator: RunningEmulator): Promise<string> {
	await emulator.admin.clearRequests();
	await server.rest.activateWorkflow(WORKFLOW_IDS.trigger);
	await waitFor('the activation poll', 60_000, async () => (activationPollDone(await emulator.admin.requests()) ? true : undefined));
	const added = (await emulator.admin.addIncident({
		displayName: 'queue lane: new incident for the trigger',
		severity: 'high',
		alerts: [{ title: 'queue lane: alert of the new incident', severity: 'high' }],
	})) as { incident: { id: string } };
	return added.incident.id;
}

/** The trigger workflow's executions so far and the incidents they emitted. */
async function triggerOutcome(server: N8nServer, workers: Map<string, host.RunningN8n>, insertedId: string): Promise<TriggerPhase> {
	const summaries = await finishedExecutions(server.rest, WORKFLOW_IDS.trigger, 1, 30_000);
	const emitted: string[] = [];
	for (const summary of summaries) {
		const full = await server.rest.execution(String(summary.id));
		const items = (full.data as { resultData?: { runData?: Record<string, Array<{ data?: { main?: Array<Array<{ json: { id?: string } }>> } }>> } })?.resultData?.runData?.[T.received]?.[0]
			?.data?.main?.[0] ?? [];
		emitted.push(...items.map((item) => String(item.json.id)));
	}
	return { insertedId, executions: summaries.map((summary) => laneExecution(summary, workers)), emitted };
}

async function killPhase(server: N8nServer, emulator: RunningEmulator, workers: Map<string, host.RunningN8n>, windows: string[]): Promise<KillPhase> {
	const { rest } = server;
	const firstDevices = windows.slice(0, FIRST_SCANS);
	const secondDevices = windows.slice(FIRST_SCANS, FIRST_SCANS + SECOND_SCANS);
	await emulator.admin.clearRequests();
	const started = Date.now();
	const running = async (count: number) => {
		try {
			return await waitFor(`${count} running scan execution(s) on a worker`, 120_000, async () => {
				const executions = (await rest.executions(QUEUE_WORKFLOW_IDS.scans)).filter((execution) => execution.status === 'running');
				const placed = executions.map((execution) => laneExecution(execution, workers)).filter((execution) => execution.worker);
				return placed.length >= count ? placed : undefined;
			});
		} catch (error) {
			throw new Error(`${(error as Error).message}\n${await placementReport(server, workers)}`);
		}
	};
	await postWebhook(server.port, WEBHOOK_PATHS.scans, { deviceIds: firstDevices });
	const [first] = await running(1);
	// Concurrency 1: the other worker takes the second execution.
	await postWebhook(server.port, WEBHOOK_PATHS.scans, { deviceIds: secondDevices });
	const both = await running(2);
	const second = both.find((execution) => execution.id !== first.id);
	// Defender for Endpoint's minute budget (100) is spent and both executions wait for the next window.
	const scansSoFar = await waitFor('the first minute of scans', 60_000, async () => {
		const scans = (await emulator.admin.requests()).filter(isScan);
		return scans.length >= 100 ? scans.length : undefined;
	});
	const killedWorker = first.worker;
	const victim = killedWorker ? workers.get(killedWorker) : undefined;
	victim?.child.kill('SIGKILL');
	await victim?.exited;
	const secondDone = await waitFor('the second scan execution to finish', 180_000, async () => {
		const found = (await rest.executions(QUEUE_WORKFLOW_IDS.scans)).find((execution) => String(execution.id) === second?.id);
		return found && FINISHED(found.status) ? found : undefined;
	});
	const full = await rest.execution(String(secondDone.id));
	const secondItems =
		(full.data as { resultData?: { runData?: Record<string, Array<{ data?: { main?: Array<unknown[]> } }>> } })?.resultData?.runData?.[QUEUE_NODES.scans]?.[0]?.data?.main?.[0]?.length ?? 0;
	// Long enough for a re-run of the killed execution to show, had n8n started one.
	await sleep(10_000);
	const requests = await emulator.admin.requests();
	const scansPerDevice: Record<string, number> = {};
	for (const scan of requests.filter(isScan)) scansPerDevice[deviceOfScan(scan)] = (scansPerDevice[deviceOfScan(scan)] ?? 0) + 1;
	const firstNow = (await rest.executions(QUEUE_WORKFLOW_IDS.scans)).find((execution) => String(execution.id) === first.id);
	return {
		killedWorker,
		killedAfterScans: scansSoFar,
		first: firstNow ? laneExecution(firstNow, workers) : first,
		second: laneExecution(secondDone, workers),
		scansPerDevice,
		secondDevices,
		secondItems,
		throttled: requests.filter((request) => request.status === 429).length,
		early: countEarly(requests),
		seconds: (Date.parse(String(secondDone.stoppedAt)) - started) / 1000,
	};
}

const isSessionStart = (request: LoggedRequest) => request.method === 'POST' && /^\/api\/machines\/[^/]+\/runliveresponse$/i.test(request.path);

async function liveResponsePhase(server: N8nServer, emulator: RunningEmulator, workers: Map<string, host.RunningN8n>, devices: string[]): Promise<LiveResponsePhase> {
	const { rest } = server;
	// The devices keep their sessions running until the lane lets them finish.
	await emulator.admin.call('PUT', '/mde/liveResponse', { pendingMs: 0, inProgressMs: null });
	const runningSessions = async () =>
		((await emulator.admin.machineActions()) as Array<{ id: string; type: string; status: string }>).filter(
			(action) => action.type === 'LiveResponse' && (action.status === 'Pending' || action.status === 'InProgress'),
		);
	const started = Date.now();
	const half = LIVE_RESPONSE_SESSIONS / 2;
	await Promise.all([0, 1].map((index) => postWebhook(server.port, WEBHOOK_PATHS.liveResponse, { deviceIds: devices.slice(index * half, (index + 1) * half) })));
	// 10 starts a minute: the 25th comes in the third window (about 122 s).
	await waitFor('25 live response sessions running', 240_000, async () => ((await runningSessions()).length >= 25 ? true : undefined));
	// Room for a 26th start, had the gate not held it: the third window has 5 more starts.
	await sleep(8_000);
	const peak = await runningSessions();
	// The devices finish: the held sessions start, and end at once.
	await emulator.admin.call('PUT', '/mde/liveResponse', { inProgressMs: 500 });
	for (const action of peak) await emulator.admin.call('POST', `/mde/machineActions/${action.id}/status`, { status: 'Succeeded' });
	const summaries = await finishedExecutions(rest, QUEUE_WORKFLOW_IDS.liveResponse, 2, 180_000);
	const requests = await emulator.admin.requests();
	return {
		executions: summaries.map((summary) => laneExecution(summary, workers)),
		runningAtPeak: peak.length,
		started: requests.filter((request) => isSessionStart(request) && request.status === 201).length,
		throttled: requests.filter((request) => request.status === 429).length,
		stats: (await emulator.admin.call('GET', '/mde/liveResponse/stats')) as LiveResponsePhase['stats'],
		seconds: (Date.now() - started) / 1000,
	};
}

async function redisBudgetKeys(redisPort: number): Promise<string[]> {
	const { default: Redis } = await import('ioredis');
	const client = new Redis({ host: '127.0.0.1', port: redisPort, lazyConnect: true });
	try {
		await client.connect();
		return await client.keys('n8n:defender-rate-budget:*');
	} finally {
		client.disconnect();
	}
}

export async function runQueueLane(options: QueueLaneOptions): Promise<QueueLaneRun> {
	const log = options.log ?? ((message: string) => process.stderr.write(`[e2e] queue: ${message}\n`));
	const timings: Record<string, number> = {};
	const timed = async <R>(label: string, work: () => Promise<R>): Promise<R> => {
		const started = Date.now();
		try {
			return await work();
		} finally {
			timings[label] = (Date.now() - started) / 1000;
			log(`${label}: ${timings[label].toFixed(1)} s`);
		}
	};
	const result: QueueLaneRun = { workerNames: WORKERS, redisBudgetKeys: [], mainOutput: '', workerOutputs: {}, timings };
	const stops: Array<() => Promise<unknown>> = [];
	const workers = new Map<string, host.RunningN8n>();
	let server: N8nServer | undefined;
	try {
		const tlsDir = emulatorLib.DEFAULT_TLS_DIR;
		emulatorLib.ensureTlsCertificate(tlsDir);
		const totalGets = options.gets.executions * options.gets.perExecution;
		const [redis, postgres, emulator] = await timed('redis + postgres + emulator', () =>
			Promise.all([
				queueServices.startRedis(),
				queueServices.startPostgres(),
				emulatorLib.startEmulator({
					tlsDir,
					stateFile: path.join(options.root, 'emulator-state.json'),
					strictLimits: true,
					extraArgs: ['--incidents', String(Math.max(60, totalGets)), '--machines', String(Math.ceil((FIRST_SCANS + SECOND_SCANS) * 1.8))],
				}),
			]),
		);
		stops.push(() => redis.stop(), () => postgres.stop(), () => emulator.stop());
		const queueEnv = {
			...queueServices.queueModeEnv({ redis, postgres }),
			...(options.sharedBudget === false ? { N8N_DEFENDER_SHARED_RATE_BUDGET: 'false' } : {}),
		};
		const caCertPath = emulator.info.caCertPath;
		// Read now: this call counts against Defender for Endpoint's minute, which must be the node's alone in the kill phase.
		const scanDevices = options.withTriggerAndKill ? await windowsDeviceIds(emulator.info, FIRST_SCANS + SECOND_SCANS) : [];
		const mainFolder = path.join(options.root, 'main');
		mkdirSync(mainFolder, { recursive: true });
		await timed('install package', async () => host.installPackage(mainFolder, { tarball: options.tarball }));
		const workerFolders = WORKERS.map((name) => path.join(options.root, name));
		for (const folder of workerFolders) cpSync(path.join(mainFolder, '.n8n'), path.join(folder, '.n8n'), { recursive: true });
		const mainEnv = host.n8nEnv(mainFolder, { caCertPath, ...queueEnv });
		await timed('import (PostgreSQL migrations first)', async () => {
			await host.importJson('credentials', [credential(emulator.info), buildTriggerCredential(emulator.info)], mainEnv);
			await host.importJson('workflow', laneWorkflows(), mainEnv);
		});
		await timed('n8n main + 2 workers ready', async () => {
			server = await launchN8nServer(mainFolder, caCertPath, queueEnv);
			WORKERS.forEach((name, index) => {
				const env = host.n8nEnv(workerFolders[index], { caCertPath, ...queueEnv });
				workers.set(name, host.startN8n(env, { logFile: path.join(workerFolders[index], 'n8n-worker.log'), command: ['worker', '--concurrency=1'] }));
			});
			await signInWhenReady(server, OWNER);
			await waitFor('both workers ready', 300_000, async () => {
				for (const [name, worker] of workers) if (!worker.isAlive()) throw new Error(`${name} exited:\n${worker.output().slice(-3000)}`);
				return [...workers.values()].every((worker) => worker.output().includes('n8n worker is now ready')) ? true : undefined;
			});
		});
		const main = server as N8nServer | undefined;
		if (!main) throw new Error('n8n main did not start');
		await main.rest.activateWorkflow(QUEUE_WORKFLOW_IDS.gets);
		await main.rest.activateWorkflow(QUEUE_WORKFLOW_IDS.scans);
		if (options.withTriggerAndKill) {
			await main.rest.activateWorkflow(QUEUE_WORKFLOW_IDS.liveResponse);
			result.liveResponse = await timed('live response phase', () => liveResponsePhase(main, emulator, workers, scanDevices.slice(0, LIVE_RESPONSE_SESSIONS)));
			log(`live response phase: ${result.liveResponse.started} sessions, ${result.liveResponse.runningAtPeak} running at the peak, emulator ${JSON.stringify(result.liveResponse.stats)}`);
		}
		// The trigger's minute of waiting for its next poll overlaps the budget phase.
		const insertedId = options.withTriggerAndKill ? await timed('trigger published, activation poll seen', () => startTrigger(main, emulator)) : undefined;
		result.budget = await timed('budget phase', () => budgetPhase(main, emulator, workers, options));
		log(`budget phase: ${result.budget.gets.ok}/${result.budget.gets.total} gets ok, ${result.budget.gets.throttled} x 429, ${result.budget.gets.early} early, ${result.budget.seconds} s`);
		if (insertedId) {
			// n8n polls every minute, at a random second; the execution then waits for a free worker.
			await timed('trigger execution', () => finishedExecutions(main.rest, WORKFLOW_IDS.trigger, 1, 150_000));
			// The kill phase takes more than a minute: another poll, which must not emit the incident again.
			result.kill = await timed('kill phase', () => killPhase(main, emulator, workers, scanDevices));
			result.trigger = await triggerOutcome(main, workers, insertedId);
		}
		result.redisBudgetKeys = await redisBudgetKeys(redis.port);
	} catch (error) {
		result.error = error instanceof Error ? (error.stack ?? error.message) : String(error);
		log(`failed: ${result.error}`);
	} finally {
		result.mainOutput = server?.n8n.output() ?? '';
		for (const [name, worker] of workers) result.workerOutputs[name] = worker.output();
		await Promise.all([server?.n8n.stop(), ...[...workers.values()].map((worker) => worker.stop())]);
		for (const stop of stops.reverse()) await stop().catch(() => undefined);
	}
	if (result.error) {
		log(`main output (last 3000 characters):\n${result.mainOutput.slice(-3000)}`);
		for (const [name, output] of Object.entries(result.workerOutputs)) log(`${name} output (last 2000 characters):\n${output.slice(-2000)}`);
	}
	return result;
}
