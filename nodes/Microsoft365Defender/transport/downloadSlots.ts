import { SessionGate } from './pacing/sessionGate';

/**
 * Downloads in flight in this n8n process. Each one holds a socket, a decompressor and, in n8n's
 * memory binary mode, the whole file until the item is done; with 100 items at once that would
 * be 100 files. A download waits here for a slot (a stopped execution stops waiting) and gives it
 * back when its body has been read or refused: the same first-come gate that counts live response
 * sessions, held per process.
 */
export const MAX_DOWNLOADS_IN_FLIGHT = 4;

export const downloadsInFlight = new SessionGate(MAX_DOWNLOADS_IN_FLIGHT);
