import { pipeline, Transform, type Readable } from 'node:stream';

import { NodeApiError, NodeOperationError, type JsonObject } from 'n8n-workflow';

import { anySignal, cancellationOf, cancelSignalOf, ExecutionCancelledError, throwIfCancelled } from './cancellation';
import { downloadsInFlight } from './downloadSlots';
import { apiError, toNodeError } from './errors';
import { fileNameFromDisposition } from './fileName';
import { headerValue, type DefenderContext, type RawResponse } from './types';

/**
 * Downloads from the short-lived links Microsoft hands out for investigation packages and live
 * response results. Those links point at a storage host and carry their own signature, so this
 * path sends nothing of the credential: no Authorization header, no token, no cookies. It never
 * goes through send.ts (which adds the bearer token) and knows nothing of the credential at all.
 * Only https links are fetched, a redirect is followed only to another https URL (and at most a
 * few times), and the execution's cancel signal aborts the download.
 *
 * The body is streamed, never held here: the caller reads it (into n8n's binary data, which in
 * filesystem or S3 mode keeps it off the heap). A size limit is checked against Content-Length
 * before reading and counted while reading, after decompression (the HTTP client inflates gzip,
 * deflate and br), so neither a large file nor a small gzip bomb gets past it. At most a few
 * downloads run at once in the process (downloadSlots.ts).
 */

const MAX_REDIRECTS = 3;
const DOWNLOAD_TIMEOUT_MS = 300_000;
/** Enough of an error answer to find Azure Storage's <Code>. */
const ERROR_BODY_BYTES = 4096;
export const BYTES_PER_MB = 1024 * 1024;

export interface SizeLimit {
	maxBytes: number;
	/** Where the user changes it, for messages: "Request Options → Maximum Download Size (MB)". */
	setting: string;
}

export interface DownloadBody {
	/** The (decompressed) body; it fails, and the connection is closed, once it passes the limit. */
	stream: Readable;
	contentType?: string;
	/** From Content-Disposition, reduced to a safe base name, when the storage host names the file. */
	fileName?: string;
	/** Bytes read so far, after decompression. */
	bytesRead(): number;
}

export interface SignedLinkDownload {
	/** What is downloaded, for messages: "the investigation package". */
	what: string;
	itemIndex: number;
	/** What the user can do when the link was refused, e.g. run the operation again for a new link. */
	renewHint: string;
	limit: SizeLimit;
}

/** The link without its query: the signature stays out of messages and logs. */
export function withoutSignature(link: string): string {
	try {
		const url = new URL(link);
		return `${url.origin}${url.pathname}`;
	} catch {
		return '(not a URL)';
	}
}

function httpsUrl(this: DefenderContext, link: string, download: SignedLinkDownload): URL {
	let url: URL | undefined;
	try {
		url = new URL(link);
	} catch {
		url = undefined;
	}
	if (url?.protocol !== 'https:') {
		throw apiError(this.getNode(), { code: 'InsecureDownloadLink', message: `Download link ${withoutSignature(link)} is not https` } as JsonObject, {
			message: `Microsoft's link to ${download.what} is not an https URL (${withoutSignature(link)}); it was not fetched.`,
			description: 'Only https links are downloaded. If a proxy or custom endpoint rewrites the link, let it keep https.',
			itemIndex: download.itemIndex,
		});
	}
	return url;
}

function isReadable(body: unknown): body is Readable {
	return typeof (body as Readable | undefined)?.pipe === 'function' && typeof (body as Readable).destroy === 'function';
}

/**
 * Closes a download's connection. Destroying the body stream n8n hands back is not enough: its
 * HTTP client (axios) wraps the socket's stream, and the wrapper's end leaves the socket open
 * and the server sending. Aborting the request's own signal closes the socket; it must come
 * before the body is destroyed, because the client stops listening to the signal once the body
 * has ended.
 */
function closeConnection(connection: AbortController, body: unknown): void {
	if (isReadable(body)) body.on('error', () => {});
	connection.abort();
	if (isReadable(body)) body.destroy();
}

/** The first bytes of an error answer; the rest is not read, and the connection is closed. */
async function errorBodyHead(body: unknown, connection: AbortController): Promise<string> {
	if (!isReadable(body)) return Buffer.isBuffer(body) ? body.toString('utf8', 0, ERROR_BODY_BYTES) : typeof body === 'string' ? body.slice(0, ERROR_BODY_BYTES) : '';
	let text = '';
	try {
		for await (const chunk of body) {
			text += Buffer.isBuffer(chunk) ? chunk.toString('utf8') : String(chunk);
			if (text.length >= ERROR_BODY_BYTES) {
				closeConnection(connection, body);
				break;
			}
		}
	} catch {
		// An unreadable error body leaves the status code to speak.
	}
	return text.slice(0, ERROR_BODY_BYTES);
}

function storageErrorCode(text: string): string | undefined {
	// Azure Storage answers with <Error><Code>AuthenticationFailed</Code>...
	return /<Code>([^<]+)<\/Code>/.exec(text)?.[1];
}

function megabytes(bytes: number): string {
	if (bytes < BYTES_PER_MB / 10) return `${bytes} bytes`;
	const value = bytes / BYTES_PER_MB;
	return `${Number.isInteger(value) ? value : value.toFixed(1)} MB`;
}

function failureCode(failure: unknown): string {
	const candidate = failure as { code?: string; cause?: { code?: string } } | undefined;
	return candidate?.code ?? candidate?.cause?.code ?? 'NETWORK_ERROR';
}

/**
 * Requests the link, following a few https redirects; returns the 2xx answer with its body
 * unread, and what closes its connection.
 */
async function openDownload(
	this: DefenderContext,
	start: URL,
	download: SignedLinkDownload,
	signal?: AbortSignal,
): Promise<{ response: RawResponse; connection: AbortController }> {
	let url = start;
	for (let redirects = 0; ; redirects++) {
		throwIfCancelled(signal);
		const connection = new AbortController();
		let response: RawResponse;
		try {
			response = (await this.helpers.httpRequest({
				method: 'GET',
				url: url.toString(),
				headers: { Accept: '*/*' },
				encoding: 'stream',
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				disableFollowRedirect: true,
				sendCredentialsOnCrossOriginRedirect: false,
				abortSignal: anySignal(signal, connection.signal),
				timeout: DOWNLOAD_TIMEOUT_MS,
			})) as RawResponse;
		} catch (failure) {
			if (signal?.aborted) throw toNodeError(this.getNode(), new ExecutionCancelledError(`The execution was stopped while ${download.what} was downloading.`), download.itemIndex);
			const code = failureCode(failure);
			throw apiError(this.getNode(), { code, message: `Could not reach ${withoutSignature(url.toString())} (${code})` } as JsonObject, {
				message: `Could not download ${download.what} from ${withoutSignature(url.toString())} (${code})`,
				description: `The storage host could not be reached. Check the network and any proxy between n8n and Microsoft's storage. ${download.renewHint}`,
				itemIndex: download.itemIndex,
			});
		}
		const status = response.statusCode;
		if (status >= 300 && status < 400 && status !== 304) {
			closeConnection(connection, response.body);
			const location = headerValue(response.headers, 'location');
			let target: URL | undefined;
			try {
				target = location ? new URL(location, url) : undefined;
			} catch {
				target = undefined;
			}
			if (!target || target.protocol !== 'https:' || redirects >= MAX_REDIRECTS) {
				throw apiError(this.getNode(), { code: 'Redirect', message: `Redirect to ${target ? withoutSignature(target.toString()) : '(no valid Location)'}` } as JsonObject, {
					message: `The storage host answered ${status} with a redirect to ${target ? withoutSignature(target.toString()) : 'no valid location'}; it was not followed.`,
					description: 'Downloads follow a few redirects, and only to https URLs.',
					httpCode: String(status),
					itemIndex: download.itemIndex,
				});
			}
			url = target;
			continue;
		}
		if (status >= 400) {
			const text = await errorBodyHead(response.body, connection);
			const code = storageErrorCode(text) ?? `HTTP ${status}`;
			throw apiError(this.getNode(), { code, message: `Download of ${withoutSignature(url.toString())} failed with ${status}` } as JsonObject, {
				message: `${code}: the storage host refused the download of ${download.what} (${status}).`,
				description: `Microsoft's download links are valid for a short time only. ${download.renewHint}`,
				httpCode: String(status),
				itemIndex: download.itemIndex,
			});
		}
		return { response, connection };
	}
}

function tooLarge(this: DefenderContext, download: SignedLinkDownload, found: string): NodeOperationError {
	const { maxBytes, setting } = download.limit;
	return new NodeOperationError(this.getNode(), `${found}: more than the Maximum Download Size of ${megabytes(maxBytes)}. Nothing was kept.`, {
		description: `Raise ${setting} if a file this large is expected. For large files run n8n with binary data in filesystem or S3 mode (N8N_DEFAULT_BINARY_DATA_MODE), so they are not held in memory.`,
		itemIndex: download.itemIndex,
	});
}

/**
 * Fetches a signed link without any credential and hands its body, streamed and bounded, to
 * `consume`. The download holds one of the process's download slots until `consume` settles;
 * if the limit is passed, the execution stopped or the connection lost, the body stream fails,
 * so `consume` never gets a complete-looking partial file.
 */
export async function downloadSignedLink<T>(
	this: DefenderContext,
	link: string,
	download: SignedLinkDownload,
	consume: (body: DownloadBody) => Promise<T>,
): Promise<T> {
	const signal = cancelSignalOf(this);
	const start = httpsUrl.call(this, link, download);
	const release = await downloadsInFlight.enter(signal);
	try {
		const { response, connection } = await openDownload.call(this, start, download, signal);
		const { maxBytes } = download.limit;
		const announced = Number(headerValue(response.headers, 'content-length'));
		if (announced > maxBytes) {
			closeConnection(connection, response.body);
			throw tooLarge.call(this, download, `The storage host announced ${megabytes(announced)} for ${download.what}, which was not downloaded`);
		}
		const body = response.body;
		if (!isReadable(body)) throw new NodeOperationError(this.getNode(), `The storage host's answer for ${download.what} has no body to read.`, { itemIndex: download.itemIndex });

		let read = 0;
		let refused: NodeOperationError | undefined;
		let broken: unknown;
		const counted = new Transform({
			transform: (chunk: Buffer, _encoding, done) => {
				read += chunk.length;
				if (read <= maxBytes) return done(null, chunk);
				refused = tooLarge.call(this, download, `${download.what[0].toUpperCase()}${download.what.slice(1)} passed ${megabytes(maxBytes)} while downloading (counted after decompression) and was stopped`);
				closeConnection(connection, body);
				done(refused);
			},
		});
		// Either side failing destroys both: a refused or stopped download closes its connection.
		pipeline(body, counted, (failure) => {
			if (failure && !refused) broken = failure;
		});
		const stop = () => {
			closeConnection(connection, body);
			counted.destroy(cancellationOf(signal as AbortSignal));
		};
		signal?.addEventListener('abort', stop, { once: true });
		if (signal?.aborted) stop();
		try {
			return await consume({
				stream: counted,
				contentType: headerValue(response.headers, 'content-type'),
				fileName: fileNameFromDisposition(headerValue(response.headers, 'content-disposition')),
				bytesRead: () => read,
			});
		} catch (error) {
			if (refused) throw refused;
			if (signal?.aborted) {
				throw toNodeError(this.getNode(), new ExecutionCancelledError(`The execution was stopped while ${download.what} was downloading; nothing was kept.`), download.itemIndex);
			}
			if (error instanceof NodeApiError || error instanceof NodeOperationError || broken === undefined) throw toNodeError(this.getNode(), error, download.itemIndex);
			const code = failureCode(broken);
			throw apiError(this.getNode(), { code, message: `Download of ${withoutSignature(start.toString())} broke off (${code})` } as JsonObject, {
				message: `The download of ${download.what} broke off after ${read} bytes (${code}); nothing was kept.`,
				description: `The connection to the storage host was lost. ${download.renewHint}`,
				itemIndex: download.itemIndex,
			});
		} finally {
			signal?.removeEventListener('abort', stop);
			// A consumer that stopped early (or failed) leaves nothing open behind it; after a
			// complete read the client has let go of the signal and this changes nothing.
			closeConnection(connection, body);
			counted.destroy();
		}
	} finally {
		release();
	}
}

