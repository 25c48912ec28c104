import type { ICredentialDataDecryptedObject, IDataObject, INode } from 'n8n-workflow';

import type { Emulator, LoggedRequest } from '../emulator';
import { defenderNode, runWorkflow, type WorkflowRun } from './harness';

/** Helpers shared by the operatorControl*.test.ts files (issue "Operator control"). */

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `predicate` every `intervalMs` until it holds or `timeoutMs` passes; says whether it held. */
export async function waitUntil(predicate: () => boolean, timeoutMs: number, intervalMs = 20): Promise<boolean> {
	const deadline = Date.now() + timeoutMs;
	while (!predicate()) {
		if (Date.now() >= deadline) return false;
		await sleep(intervalMs);
	}
	return true;
}

export type Settled = { run?: WorkflowRun; thrown?: unknown; at: number };

/** The settled run, or 'still running' when it has not settled within `ms`. */
export async function settledWithin(settled: Promise<Settled>, ms: number): Promise<Settled | 'still running'> {
	let timer: NodeJS.Timeout | undefined;
	const timeout = new Promise<'still running'>((resolve) => (timer = setTimeout(() => resolve('still running'), Math.max(0, ms))));
	try {
		return await Promise.race([settled, timeout]);
	} finally {
		clearTimeout(timer);
	}
}

/**
 * Starts one Defender node over the input items through WorkflowExecute, and gives the function
 * that stops the execution as n8n's Stop button does.
 */
export function startCancellableRun(
	parameters: INode['parameters'],
	options: { credentials: Record<string, ICredentialDataDecryptedObject>; credentialId?: string; input?: IDataObject[] },
): { settled: Promise<Settled>; cancel: () => number; node: INode } {
	let cancelExecution: (() => void) | undefined;
	const node = defenderNode(parameters, { credentialId: options.credentialId });
	const settled = runWorkflow({
		nodes: [node],
		credentials: options.credentials,
		input: options.input,
		onStarted: (cancel) => (cancelExecution = cancel),
	}).then(
		(run): Settled => ({ run, at: Date.now() }),
		(thrown: unknown): Settled => ({ thrown, at: Date.now() }),
	);
	return {
		settled,
		node,
		/** Cancels and returns the time of the cancel. */
		cancel: () => {
			if (!cancelExecution) throw new Error('The harness did not hand out a cancel function (runWorkflow onStarted)');
			const at = Date.now();
			cancelExecution();
			return at;
		},
	};
}

export const arrivedAt = (entry: LoggedRequest) => Date.parse(entry.time);

export function mdeRequests(emulator: Emulator, filter: (entry: LoggedRequest) => boolean = () => true): LoggedRequest[] {
	return emulator.requestLog({ api: 'mde' }).filter(filter);
}

/** Compact description of log entries for failure messages. */
export const describeEntries = (entries: LoggedRequest[], since: number) =>
	entries.map((entry) => `${entry.method} ${entry.path} ${entry.status} at +${arrivedAt(entry) - since} ms`);
