/**
 * Operator control under `n8n start` (the "Operator control" issue), against an emulator of its own
 * started with strict (Microsoft's documented) limits, the credential's Client-Side Rate Limits at
 * "Microsoft's documented limits". Everything goes through n8n's REST API, as the editor does it:
 *
 *  1. owner set up and logged in (as trigger-lane.ts does);
 *  2. redirect: the emulator's Graph answers the next call with a 302 to a recording server of
 *     another origin; the HTTP Request node (4.2, predefined credential type) workflow is run with
 *     the editor's "Execute workflow" call and read back when it has finished;
 *  3. stop: the scan workflow (60 devices, one Run Antivirus Scan POST each) is run the same way;
 *     once the emulator's request log shows the first scan POST, the execution is stopped with the
 *     editor's Stop call; then 5 s later the emulator's request log and n8n's record of the
 *     execution are read. Defender for Endpoint calls get 400 ms of latency each (a real
 *     machine-action POST often takes longer) and the node scans two devices at a time ("Items
 *     Processed at Once"), so the 60 calls take ~12 s and a Stop that does not reach the node
 *     shows as scans arriving after it.
 *
 * The exact routes (n8n 2.40.7, packages/cli): `POST /rest/workflows/:workflowId/run` with the
 * editor's body `{ workflowId, startNodes: [], triggerToStartFrom: { name } }` (ManualRunDto: a
 * full run from a known trigger), answered `{ data: { executionId } }`; `POST
 * /rest/executions/:id/stop` (no body), answered with the execution's new status.
 */

import type { LoggedRequest, RunningEmulator } from '../../scripts/lib/emulator.cjs';
import * as host from '../../scripts/lib/n8n-host.cjs';
import type { ExecutionSummary, N8nRest } from '../../scripts/lib/n8n-rest.cjs';
import type { RunData } from './harness';
import { startRecordingServer, type RecordedRequest, type RecordingServer } from '../emulator/recorder';
import { launchN8nServer, signInWhenReady, type N8nServer } from './n8nServer';
import { CONTROL_WORKFLOW_IDS } from './workflows';

/** How long the lane watches the emulator after the Stop call. */
export const AFTER_STOP_WATCH_MS = 5_000;
/** Added by the emulator to every Defender for Endpoint call. */
export const MDE_LATENCY_MS = 400;

export interface ControlExecution {
	summary?: ExecutionSummary;
	run?: RunData['data'];
	status?: string;
}

export interface StopResult {
	executionId?: string;
	/** What the stop call answered (status, body). */
	stopResponse?: { status: number; body: unknown };
	/** Epoch ms when the stop call was sent and when it answered. */
	stopSentAt?: number;
	stopAnsweredAt?: number;
	/** Scan POSTs in the emulator's log when the stop was sent. */
	scansBeforeStop?: number;
	/** The emulator's scan POSTs, AFTER_STOP_WATCH_MS after the stop answered. */
	scans: LoggedRequest[];
	/** n8n's record of the execution, AFTER_STOP_WATCH_MS after the stop answered. */
	execution?: ControlExecution;
}

export interface RedirectResult {
	executionId?: string;
	execution?: ControlExecution;
	/** What reached the recording server (the redirect's target). */
	recorded: RecordedRequest[];
	recorderUrl?: string;
	/** The emulator's Graph requests during the run (the redirected one has fault 'redirect'). */
	graphRequests: LoggedRequest[];
}

export interface ControlRun {
	error?: string;
	redirect: RedirectResult;
	stop: StopResult;
	output: string;
	userFolder: string;
	n8nStop?: { code: number | null; signal: NodeJS.Signals | null };
	timings: Record<string, number>;
}

const OWNER = { email: 'e2e.control@example.com', firstName: 'E2E', lastName: 'Operator', password: 'E2e-control-password-1' };

function log(message: string): void {
	process.stderr.write(`[e2e] control: ${message}\n`);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const isScanPost = (request: LoggedRequest) => request.method === 'POST' && /\/api\/machines\/[^/]+\/runAntiVirusScan$/i.test(request.path.split('?')[0]);

/** Epoch ms at which the emulator received a request. */
export const receivedAt = (request: LoggedRequest) => Date.parse(String(request.time));

export async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>, isAlive: () => boolean, intervalMs = 200): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value !== undefined) return value;
		if (!isAlive()) throw new Error(`n8n exited while waiting for ${what}`);
		if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs / 1000} s waiting for ${what}`);
		await sleep(intervalMs);
	}
}

export async function readExecution(rest: N8nRest, id: string): Promise<ControlExecution> {
	const full = await rest.execution(id);
	return { summary: full, run: full.data as RunData['data'] | undefined, status: full.status };
}

/**
 * Another lane may share this n8n start (one n8n boot less in CI): it adds its environment and
 * runs after the stop check, before n8n is stopped.
 */
export interface SharedLane {
	env: Record<string, string>;
	run(server: N8nServer): Promise<void>;
}

export async function runControlLane(userFolder: string, emulator: RunningEmulator, sharedLane?: SharedLane): Promise<ControlRun> {
	const result: ControlRun = {
		redirect: { recorded: [], graphRequests: [] },
		stop: { scans: [] },
		output: '',
		userFolder,
		timings: {},
	};
	const { admin, info } = emulator;
	let n8n: host.RunningN8n | undefined;
	let recorder: RecordingServer | undefined;
	const started = Date.now();
	const mark = (label: string) => (result.timings[label] = Date.now() - started);
	try {
		recorder = await startRecordingServer();
		result.redirect.recorderUrl = recorder.url;
		const server = await launchN8nServer(userFolder, info.caCertPath, sharedLane?.env);
		n8n = server.n8n;
		const { rest } = server;
		const alive = () => server.n8n.isAlive();
		await signInWhenReady(server, OWNER);
		mark('n8n healthy');
		log(`n8n start answered on port ${server.port} after ${((Date.now() - started) / 1000).toFixed(1)} s`);

		// --- redirect ---------------------------------------------------------------------------
		await admin.clearRequests();
		await admin.faults({ api: 'graph', redirectNext: 1, location: `${recorder.url}/e2e-redirect-target`, redirectStatus: 302 });
		const redirectRun = await rest.runWorkflow(CONTROL_WORKFLOW_IDS.redirect);
		result.redirect.executionId = redirectRun.executionId;
		const redirectSummary = await waitFor(
			'the redirect workflow to finish',
			60_000,
			async () => {
				const [execution] = (await rest.executions(CONTROL_WORKFLOW_IDS.redirect)).filter((candidate) => candidate.id === redirectRun.executionId);
				return execution && !['new', 'running', 'waiting'].includes(execution.status) ? execution : undefined;
			},
			alive,
		);
		result.redirect.execution = { ...(await readExecution(rest, redirectSummary.id)), summary: redirectSummary };
		// Whatever the redirect did, it is over now: no further Graph call of this lane is redirected.
		await admin.faults({ api: 'graph', redirectNext: 0 });
		result.redirect.recorded = [...recorder.requests];
		result.redirect.graphRequests = (await admin.requests()).filter((request) => request.api === 'graph');
		mark('redirect done');

		// --- stop -------------------------------------------------------------------------------
		await admin.faults({ api: 'mde', latencyMs: MDE_LATENCY_MS });
		await admin.clearRequests();
		const stopRun = await rest.runWorkflow(CONTROL_WORKFLOW_IDS.stopScans);
		const executionId = stopRun.executionId;
		result.stop.executionId = executionId;
		const firstScans = await waitFor(
			'the first scan POST in the emulator request log',
			60_000,
			async () => {
				const scans = (await admin.requests()).filter(isScanPost);
				return scans.length > 0 ? scans : undefined;
			},
			alive,
			50,
		);
		result.stop.scansBeforeStop = firstScans.length;
		result.stop.stopSentAt = Date.now();
		const stopResponse = await rest.stopExecution(executionId);
		result.stop.stopAnsweredAt = Date.now();
		result.stop.stopResponse = { status: stopResponse.status, body: stopResponse.json };
		log(
			`stop of execution ${executionId} answered ${stopResponse.status} in ${result.stop.stopAnsweredAt - result.stop.stopSentAt} ms ` +
				`(${firstScans.length} scan POST(s) logged before it)`,
		);
		mark('stop answered');
		await sleep(AFTER_STOP_WATCH_MS);
		result.stop.scans = (await admin.requests()).filter(isScanPost);
		result.stop.execution = await readExecution(rest, executionId);
		mark('stop watched');
		const late = result.stop.scans.filter((request) => receivedAt(request) > (result.stop.stopAnsweredAt ?? 0) + 2_000);
		log(`${result.stop.scans.length} scan POSTs in all, ${late.length} more than 2 s after the stop; execution status ${result.stop.execution.status}`);
		if (sharedLane) {
			await sharedLane.run(server);
			mark('shared lane done');
		}
	} catch (error) {
		result.error = error instanceof Error ? error.message : String(error);
		log(`failed: ${result.error}`);
	} finally {
		await admin.faults({ api: 'mde', latencyMs: 0 }).catch(() => undefined);
		if (n8n) {
			// A run that ignored the Stop may still be sending; n8n's shutdown would wait for it.
			result.n8nStop = await n8n.stop({ timeoutMs: 10_000 });
			result.output = n8n.output();
		}
		if (recorder) {
			if (!result.redirect.recorded.length) result.redirect.recorded = [...recorder.requests];
			await recorder.close();
		}
	}
	if (result.error) log(`n8n start output (last 3000 characters):\n${result.output.slice(-3000)}`);
	return result;
}
