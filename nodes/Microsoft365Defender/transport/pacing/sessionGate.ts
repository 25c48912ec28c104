import { processCache } from '../../runtime';
import { cancellationOf, throwIfCancelled } from '../cancellation';

/**
 * Microsoft runs at most 25 live response sessions at once per tenant and answers 429 to the
 * 26th (defender-endpoint/api/run-live-response.md, "Limitations"). A rate budget counts calls,
 * not sessions that last minutes, so the sessions this process keeps running are counted here:
 * a session takes a place before it is started and gives it back once it is over (or no longer
 * watched), and the next one waits for a free place instead of being refused.
 */
export const MAX_LIVE_RESPONSE_SESSIONS = 25;

export class SessionGate {
	private running = 0;
	private readonly waiting: Array<() => void> = [];

	constructor(readonly capacity: number) {}

	get inUse(): number {
		return this.running;
	}

	/** Waits for a place; the function returned gives it back (calling it twice gives back one place). */
	async enter(signal?: AbortSignal): Promise<() => void> {
		throwIfCancelled(signal);
		if (this.running >= this.capacity) {
			await new Promise<void>((resolve, reject) => {
				const admit = () => {
					signal?.removeEventListener('abort', onAbort);
					resolve();
				};
				const onAbort = () => {
					const index = this.waiting.indexOf(admit);
					if (index >= 0) this.waiting.splice(index, 1);
					reject(cancellationOf(signal as AbortSignal));
				};
				signal?.addEventListener('abort', onAbort, { once: true });
				this.waiting.push(admit);
			});
		} else {
			this.running++;
		}
		let left = false;
		return () => {
			if (left) return;
			left = true;
			const next = this.waiting.shift();
			// The place passes straight to the next session, so a newcomer cannot overtake it.
			if (next) next();
			else this.running--;
		};
	}
}

const gates = processCache<SessionGate>('liveResponseSessions');

/** One gate per app and tenant, as Microsoft counts the sessions. */
export function liveResponseGate(tenantId: string, clientId: string): SessionGate {
	return gates.getOrCreate(`${tenantId.trim().toLowerCase()}|${clientId.trim().toLowerCase()}`, () => new SessionGate(MAX_LIVE_RESPONSE_SESSIONS));
}
