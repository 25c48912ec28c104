import { NodeApiError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { cancelSignalOf } from '../../transport/cancellation';
import { mdeRequest } from '../defenderForEndpoint';
import { machineActionPath } from '../machineAction/common';
import { isFinalStatus } from '../responseAction/wait';

/**
 * Stop ends what the execution started: a live response session this execution started and is
 * watching is cancelled through the machine action cancel API
 * (defender-endpoint/api/cancel-machine-action.md: "Cancel an already launched machine action that
 * isn't yet in final state"; Machine.LiveResponse is one of its permissions) when the execution is
 * stopped or times out (n8n aborts the same signal for both). Without it a script goes on running
 * on the device, and a session for an offline device stays queued for up to three days.
 *
 * The cancel goes out although the execution's signal has fired (it has its own deadline), once
 * per session, and never for a session the last check saw finished.
 */
const CANCEL_DEADLINE_MS = 10_000;

export type StopOutcome = 'cancelled' | 'alreadyEnded' | 'failed';

export class CancelOnStop {
	private status: unknown;
	private released = false;
	private cancelling?: Promise<StopOutcome>;
	private readonly signal?: AbortSignal;
	private readonly onAbort = () => this.stop();

	constructor(
		private readonly context: IExecuteFunctions,
		private readonly session: IDataObject,
		private readonly itemIndex: number,
	) {
		this.status = session.status;
		this.signal = cancelSignalOf(context);
		if (this.signal?.aborted) this.stop();
		else this.signal?.addEventListener('abort', this.onAbort, { once: true });
	}

	/** The status the wait saw last. */
	observe(action: IDataObject): void {
		this.status = action.status;
	}

	/** The node no longer answers for the session (it ended, or the node stopped watching on its own timeout). */
	release(): void {
		this.released = true;
		this.signal?.removeEventListener('abort', this.onAbort);
	}

	/** What Stop did to the session, once the cancel is settled; undefined when nothing was sent. */
	async outcome(): Promise<StopOutcome | undefined> {
		return await this.cancelling;
	}

	private stop(): void {
		if (this.released || this.cancelling || isFinalStatus(this.status)) return;
		this.cancelling = this.cancel();
	}

	private async cancel(): Promise<StopOutcome> {
		const { context, itemIndex } = this;
		const id = String(this.session.id);
		const device = String(this.session.computerDnsName ?? this.session.machineId ?? '');
		try {
			await mdeRequest.call(context, {
				method: 'POST',
				path: machineActionPath(id, 'cancel'),
				body: { Comment: `n8n execution ${context.getExecutionId()} was stopped: its live response session is cancelled.` },
				permission: 'Machine.LiveResponse',
				itemIndex,
				outlivesExecution: true,
				signal: AbortSignal.timeout(CANCEL_DEADLINE_MS),
			});
			context.logger.info(`Microsoft 365 Defender: the execution was stopped; live response session ${id} on ${device} was cancelled`);
			return 'cancelled';
		} catch (error) {
			// 400: the session reached a final state between the last check and Stop.
			if (error instanceof NodeApiError && error.httpCode === '400') {
				context.logger.info(`Microsoft 365 Defender: the execution was stopped; live response session ${id} on ${device} had already ended`);
				return 'alreadyEnded';
			}
			context.logger.warn(
				`Microsoft 365 Defender: the execution was stopped, but live response session ${id} on ${device} could not be cancelled (${(error as Error).message}); cancel it in the Defender portal or with Machine Action → Cancel`,
			);
			return 'failed';
		}
	}
}
