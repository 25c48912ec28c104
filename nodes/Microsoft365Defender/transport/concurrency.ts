import { cancellationOf } from './cancellation';

/**
 * Runs `worker` for indexes 0..count-1 with at most `limit` running at once, starting them in
 * order. After the first failure, or once `signal` fires, no new index starts; the failure (or
 * the cancellation) is rethrown once the running ones have settled.
 */
export async function forEachConcurrently(
	count: number,
	limit: number,
	worker: (index: number) => Promise<void>,
	signal?: AbortSignal,
): Promise<void> {
	let next = 0;
	let failed = false;
	let failure: unknown;
	const lane = async () => {
		while (!failed && next < count) {
			if (signal?.aborted) {
				failed = true;
				failure = cancellationOf(signal);
				break;
			}
			const index = next++;
			try {
				await worker(index);
			} catch (error) {
				if (!failed) {
					failed = true;
					failure = error;
				}
			}
		}
	};
	const lanes = Math.max(1, Math.min(Math.floor(limit) || 1, count));
	await Promise.all(Array.from({ length: lanes }, lane));
	if (failed) throw failure;
}
