import { cancellationOf, throwIfCancelled } from './cancellation';

/**
 * Downloads in flight in this n8n process. Each one holds a socket, a decompressor and, in n8n's
 * memory binary mode, the whole file until the item is done; with 100 items at once that would
 * be 100 files. A download waits here for a slot (a stopped execution stops waiting) and gives it
 * back when its body has been read or refused.
 */
export const MAX_DOWNLOADS_IN_FLIGHT = 4;

class DownloadSlots {
	private free: number;
	private readonly queue: Array<() => void> = [];

	constructor(capacity: number) {
		this.free = capacity;
	}

	async take(signal?: AbortSignal): Promise<() => void> {
		throwIfCancelled(signal);
		if (this.free > 0) {
			this.free--;
		} else {
			await new Promise<void>((resolve, reject) => {
				const granted = () => {
					signal?.removeEventListener('abort', stopWaiting);
					resolve();
				};
				const stopWaiting = () => {
					this.queue.splice(this.queue.indexOf(granted), 1);
					reject(cancellationOf(signal as AbortSignal));
				};
				signal?.addEventListener('abort', stopWaiting, { once: true });
				this.queue.push(granted);
			});
		}
		let released = false;
		return () => {
			if (released) return;
			released = true;
			const next = this.queue.shift();
			if (next) next();
			else this.free++;
		};
	}
}

export const downloadsInFlight = new DownloadSlots(MAX_DOWNLOADS_IN_FLIGHT);
