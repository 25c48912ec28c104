import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { FINAL_MACHINE_ACTION_STATUSES } from '../../descriptions/mde';
import { cancelSignalOf, sleepUnlessCancelled } from '../../transport/cancellation';
import { toNodeError } from '../../transport/errors';
import { apiPath } from '../../transport/paths';
import { mdeRequest, withoutContext } from '../defenderForEndpoint';

export const waitFields: INodeProperties[] = [
	{
		displayName: 'Wait for Completion',
		name: 'waitForCompletion',
		type: 'boolean',
		default: false,
		description: 'Whether to check the action until it has Succeeded, Failed, Timed Out or been Cancelled (or the timeout below passes). Without it the node returns the new action, usually Pending.',
	},
	{
		displayName: 'Check Every (Seconds)',
		name: 'pollIntervalSeconds',
		type: 'number',
		typeOptions: { minValue: 1, numberPrecision: 1 },
		default: 15,
		description: 'Seconds between checks of the action. Each check is one call against the Defender for Endpoint limit of 100 calls per minute.',
		displayOptions: { show: { waitForCompletion: [true] } },
	},
	{
		displayName: 'Timeout (Seconds)',
		name: 'waitTimeoutSeconds',
		type: 'number',
		typeOptions: { minValue: 1, numberPrecision: 1 },
		default: 600,
		description: 'Stop waiting after this many seconds; the output then says the wait timed out and gives the last status. The action itself goes on.',
		displayOptions: { show: { waitForCompletion: [true] } },
	},
];

export interface WaitSettings {
	intervalMs: number;
	timeoutMs: number;
}

export function readWaitSettings(this: IExecuteFunctions, itemIndex: number): WaitSettings | undefined {
	if (!(this.getNodeParameter('waitForCompletion', itemIndex, false) as boolean)) return undefined;
	const interval = Number(this.getNodeParameter('pollIntervalSeconds', itemIndex, 15));
	const timeout = Number(this.getNodeParameter('waitTimeoutSeconds', itemIndex, 600));
	for (const [label, value] of [['Check Every (Seconds)', interval], ['Timeout (Seconds)', timeout]] as const) {
		if (!Number.isFinite(value) || value <= 0) {
			throw new NodeOperationError(this.getNode(), `${label} must be a positive number of seconds, not ${value}.`, { itemIndex });
		}
	}
	return { intervalMs: interval * 1000, timeoutMs: timeout * 1000 };
}

export function isFinalStatus(status: unknown): boolean {
	return FINAL_MACHINE_ACTION_STATUSES.includes(String(status));
}

/**
 * Checks the machine action every interval until its status is final or the timeout passes.
 * Returns the action as last seen, with a `wait` object saying how it ended. A check that has
 * to queue for the rate budget is given up at the deadline too, so the wait keeps its timeout.
 */
export async function waitForMachineAction(
	this: IExecuteFunctions,
	action: IDataObject,
	settings: WaitSettings,
	itemIndex: number,
	/** Told each status the wait sees, e.g. so Stop knows whether the action has ended. */
	onCheck?: (action: IDataObject) => void,
): Promise<IDataObject> {
	const id = String(action.id ?? '');
	const started = Date.now();
	const cancel = cancelSignalOf(this);
	// Node's own timer signal: no timer of ours to clear, and n8n's scanner allows it.
	const deadline = { signal: AbortSignal.timeout(settings.timeoutMs) };
	let current = action;
	let checks = 0;
	try {
		while (!isFinalStatus(current.status) && !deadline.signal.aborted) {
			const remaining = settings.timeoutMs - (Date.now() - started);
			if (remaining <= 0) break;
			await sleepUnlessCancelled(Math.min(settings.intervalMs, remaining), cancel);
			if (deadline.signal.aborted) break;
			current = await mdeRequest.call(this, {
				method: 'GET',
				path: apiPath`/api/machineactions/${id}`,
				permission: 'Machine.Read.All',
				itemIndex,
				signal: deadline.signal,
			});
			onCheck?.(current);
			checks++;
		}
	} catch (error) {
		if (cancel?.aborted) {
			throw new NodeOperationError(this.getNode(), `The execution was stopped while waiting for machine action ${id}; the action itself goes on.`, { itemIndex });
		}
		// A check still queued (or in flight) at the deadline ends the wait as timed out.
		if (!deadline.signal.aborted) throw toNodeError(this.getNode(), error, itemIndex);
	}
	const completed = isFinalStatus(current.status);
	return {
		...withoutContext(current),
		wait: {
			completed,
			finalStatus: completed ? current.status : null,
			timedOut: !completed,
			lastStatus: current.status,
			waitedSeconds: Math.round((Date.now() - started) / 100) / 10,
			checks,
		},
	};
}
