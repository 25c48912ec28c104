import { sleep, type IExecuteFunctions, type ILoadOptionsFunctions, type IPollFunctions } from 'n8n-workflow';

/** The execution was stopped (or a wait reached its deadline) before the work was done. */
export class ExecutionCancelledError extends Error {
	constructor(message = 'The execution was stopped; no further requests were sent.') {
		super(message);
		this.name = 'ExecutionCancelledError';
	}
}

type Context = IExecuteFunctions | ILoadOptionsFunctions | IPollFunctions;

/** The execution's cancel signal, where the host gives one (n8n 1.x and 2.x do for nodes). */
export function cancelSignalOf(context: Context): AbortSignal | undefined {
	const getSignal = (context as Partial<IExecuteFunctions>).getExecutionCancelSignal;
	return typeof getSignal === 'function' ? getSignal.call(context) : undefined;
}

/** One signal that fires when any of the given ones does. */
export function anySignal(...signals: Array<AbortSignal | undefined>): AbortSignal | undefined {
	const present = signals.filter((signal): signal is AbortSignal => signal !== undefined);
	if (present.length <= 1) return present[0];
	// AbortSignal.any is in Node >= 20.3; the @types/node this builds with predates it.
	return (AbortSignal as unknown as { any(signals: AbortSignal[]): AbortSignal }).any(present);
}

export function throwIfCancelled(signal: AbortSignal | undefined): void {
	if (signal?.aborted) throw cancellationOf(signal);
}

/** What to throw for an aborted signal: its own reason when it carries one of ours (a deadline). */
export function cancellationOf(signal: AbortSignal): Error {
	return signal.reason instanceof ExecutionCancelledError ? signal.reason : new ExecutionCancelledError();
}

/** A sleep that ends early, rejecting, when the signal fires. */
export async function sleepUnlessCancelled(ms: number, signal?: AbortSignal): Promise<void> {
	throwIfCancelled(signal);
	if (ms <= 0) return;
	await new Promise<void>((resolve, reject) => {
		const onAbort = () => reject(cancellationOf(signal as AbortSignal));
		signal?.addEventListener('abort', onAbort, { once: true });
		// n8n-workflow 2.x ends its timer when the signal fires; 1.x's sleep takes no signal, so there the timer runs out unheard.
		sleep(ms, signal).then(
			() => {
				signal?.removeEventListener('abort', onAbort);
				resolve();
			},
			() => undefined,
		);
	});
}

/**
 * Runs `action` once `ms` have passed, unless the returned function is called first. For
 * timeouts, leases and idle timers, which must not keep n8n's process alive on their own: the
 * timer behind AbortSignal.timeout does not.
 */
export function afterDelay(ms: number, action: () => void): () => void {
	const elapsed = AbortSignal.timeout(ms);
	elapsed.addEventListener('abort', action, { once: true });
	return () => elapsed.removeEventListener('abort', action);
}

/** Settles like `work`, or rejects as soon as the signal fires (the work itself is left to finish). */
export async function unlessCancelled<T>(work: Promise<T>, signal?: AbortSignal): Promise<T> {
	if (!signal) return await work;
	throwIfCancelled(signal);
	let onAbort: () => void = () => {};
	const aborted = new Promise<never>((_, reject) => {
		onAbort = () => reject(cancellationOf(signal));
		signal.addEventListener('abort', onAbort, { once: true });
	});
	try {
		return await Promise.race([work, aborted]);
	} finally {
		signal.removeEventListener('abort', onAbort);
	}
}
