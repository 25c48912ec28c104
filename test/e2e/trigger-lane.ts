/**
 * The polling trigger in a real n8n (issue 5): `n8n start` on its own port, the trigger workflow
 * published through n8n's REST API (as the editor's Publish button does), against a second
 * emulator (so no other run's incidents or updates reach it). A new incident added to that
 * emulator must come out of the workflow, alone.
 *
 *  1. before n8n starts, an incident created two minutes ago is added: inside the trigger's
 *     look-back window, but older than the activation, so it must never be emitted;
 *  2. `n8n start` (own N8N_PORT and task-broker port); owner account set up on the fresh instance;
 *     the workflow is published (n8n runs the activation poll then);
 *  3. once that poll has reached the emulator (its request log), a new incident is added and
 *     `onActivated` is called: the harness starts the other runs then, so that n8n's start-up
 *     does not compete with them for the CPU;
 *  4. the workflow's executions are read from the REST API until one has finished, or ~100 s have
 *     passed (n8n polls every minute, at a random second);
 *  5. n8n is stopped with SIGTERM and its exit recorded.
 */

import type { LoggedRequest, RunningEmulator } from '../../scripts/lib/emulator.cjs';
import * as host from '../../scripts/lib/n8n-host.cjs';
import type { ExecutionSummary } from '../../scripts/lib/n8n-rest.cjs';
import type { RunData } from './harness';
import { launchN8nServer, signInWhenReady } from './n8nServer';

export interface TriggerExecution {
	summary: ExecutionSummary;
	run: RunData['data'] | undefined;
	/** The nodes of the workflow as the execution ran it. */
	workflowNodes: Array<{ name: string; type: string }>;
}

export interface TriggerRun {
	/** Set when the lane could not complete (the tests report it). */
	error?: string;
	workflowId: string;
	/** Added before n8n started, created 2 minutes earlier: inside the look-back window. */
	preexisting?: { id: string; createdDateTime: string };
	/** Added after the activation poll. */
	inserted?: { id: string; alertIds: string[]; addedAt: string };
	/** The emulator's request log when the new incident was added. */
	requestsBeforeInsert: LoggedRequest[];
	/** The emulator's request log at the end. */
	requests: LoggedRequest[];
	executions: TriggerExecution[];
	/** Seconds from adding the incident to seeing its execution finished. */
	secondsToExecution?: number;
	stop?: { code: number | null; signal: NodeJS.Signals | null };
	output: string;
	userFolder: string;
}

const OWNER = { email: 'e2e.owner@example.com', firstName: 'E2E', lastName: 'Owner', password: 'E2e-owner-password-1' };
const EXECUTION_WAIT_MS = 100_000;

function log(message: string): void {
	process.stderr.write(`[e2e] trigger: ${message}\n`);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const isIncidentPoll = (request: LoggedRequest) =>
	request.method === 'GET' && /^\/v1\.0\/security\/incidents(\?|$)/.test(request.path);

/**
 * The activation poll has read its window (the last request of a first poll, after Microsoft's
 * "now"): an incident added after this is not part of what existed at activation.
 */
export const activationPollDone = (requests: LoggedRequest[]) =>
	requests.some((request) => isIncidentPoll(request) && request.status === 200 && /createdDateTime ge /.test(decodeURIComponent(request.path.replace(/\+/g, ' '))));

async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>, isAlive: () => boolean): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value !== undefined) return value;
		if (!isAlive()) throw new Error(`n8n exited while waiting for ${what}`);
		if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs / 1000} s waiting for ${what}`);
		await sleep(1000);
	}
}

export async function runTriggerLane(
	userFolder: string,
	workflowId: string,
	emulator: RunningEmulator,
	{ onActivated = () => undefined }: { onActivated?: () => void } = {},
): Promise<TriggerRun> {
	const result: TriggerRun = { workflowId, requestsBeforeInsert: [], requests: [], executions: [], output: '', userFolder };
	const { admin, info } = emulator;
	let n8n: host.RunningN8n | undefined;
	try {
		const before = (await admin.addIncident({
			displayName: 'e2e: incident from before the activation',
			severity: 'high',
			createdDateTime: new Date(Date.now() - 2 * 60_000).toISOString(),
			alerts: [{ title: 'e2e: alert from before the activation', severity: 'high' }],
		})) as { incident: { id: string; createdDateTime: string } };
		result.preexisting = { id: before.incident.id, createdDateTime: before.incident.createdDateTime };

		await admin.clearRequests();
		const server = await launchN8nServer(userFolder, info.caCertPath);
		n8n = server.n8n;
		const { rest } = server;
		const alive = () => server.n8n.isAlive();
		const answeredAfter = await signInWhenReady(server, OWNER);
		log(`n8n start answered on port ${server.port} after ${answeredAfter.toFixed(1)} s`);
		// `import:workflow` leaves workflows unpublished; n8n runs one poll while publishing, which
		// sets the trigger's starting point.
		await rest.activateWorkflow(workflowId);

		result.requestsBeforeInsert = await waitFor(
			'the activation poll',
			60_000,
			async () => {
				const requests = await admin.requests();
				return activationPollDone(requests) ? requests : undefined;
			},
			alive,
		);
		const added = (await admin.addIncident({
			displayName: 'e2e: new incident for the trigger',
			severity: 'high',
			alerts: [{ title: 'e2e: alert of the new incident', severity: 'high' }],
		})) as { incident: { id: string }; alerts: Array<{ id: string }> };
		const addedAt = Date.now();
		result.inserted = { id: added.incident.id, alertIds: added.alerts.map((alert) => alert.id), addedAt: new Date(addedAt).toISOString() };
		log(`added incident ${added.incident.id}; waiting for n8n's next poll (every minute)`);
		onActivated();

		const finished = await waitFor(
			'an execution of the trigger workflow',
			EXECUTION_WAIT_MS,
			async () => {
				const executions = await rest.executions(workflowId);
				const done = executions.filter((execution) => !['new', 'running', 'waiting'].includes(execution.status));
				return done.length > 0 && done.length === executions.length ? executions : undefined;
			},
			alive,
		);
		result.secondsToExecution = Math.round((Date.now() - addedAt) / 100) / 10;
		log(`${finished.length} execution(s) after ${result.secondsToExecution} s`);
		for (const summary of finished) {
			const full = await rest.execution(summary.id);
			const workflowData = full.workflowData as { nodes?: Array<{ name: string; type: string }> } | undefined;
			result.executions.push({ summary, run: full.data as RunData['data'] | undefined, workflowNodes: workflowData?.nodes ?? [] });
		}
	} catch (error) {
		result.error = error instanceof Error ? error.message : String(error);
		log(`failed: ${result.error}`);
	} finally {
		onActivated();
		if (n8n) {
			result.stop = await n8n.stop();
			result.output = n8n.output();
		}
		result.requests = await admin.requests().catch(() => []);
	}
	if (result.error) log(`n8n start output (last 3000 characters):\n${result.output.slice(-3000)}`);
	return result;
}
