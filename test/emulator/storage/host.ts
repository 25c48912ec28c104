import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { Readable, type Duplex } from 'node:stream';
import type { Clock } from '../runtime';
import { generatedStream, gzipBomb, type LargeBody } from './largeBodies';

/**
 * The storage host behind Microsoft's short-lived download links: investigation packages
 * (getPackageUri, defender-endpoint/api/get-package-sas-uri.md: "valid for a short time") and
 * live response results (GetLiveResponseResultDownloadLink, get-live-response-result.md: "valid
 * for 30 minutes"). In Azure these are SAS links to blob storage: the signature is in the query,
 * and a bearer token has no business there. It listens on its own host (127.0.0.1, where the
 * APIs are on localhost) and port, and logs every request's headers so a test can assert that
 * no Authorization header ever arrived.
 */

export interface StorageRequest {
	time: string;
	method: string;
	/** Path without the query: the signature stays out of the log. */
	path: string;
	headers: IncomingHttpHeaders;
	status: number;
	/** Body bytes written so far (as sent: compressed for a gzip body). */
	bytesSent: number;
	/** 'closed early' when the client went away before the whole body was sent. */
	outcome: 'sending' | 'complete' | 'closed early';
}

interface Answer {
	status: number;
	headers: Record<string, string>;
	body: Buffer;
	/** Served instead of `body` (see serveLargeBodies). */
	large?: LargeBody;
}

interface StoredBlob {
	content: Buffer;
	contentType: string;
	fileName: string;
	expiresAtMs: number;
}

export interface PublishedBlob {
	content: Buffer;
	contentType: string;
	fileName: string;
	/** How long the link is valid, on the emulator clock. */
	validForMs: number;
	/**
	 * The link's shape as Microsoft's examples show it: an investigation package's
	 * `/safedownload/WDATP_Investigation_Package.zip?token=...` (get-package-sas-uri.md), or a
	 * blob SAS link `...?se=...&sig=...` (get-live-response-result.md).
	 */
	style: 'safedownload' | 'blob';
}

/** Azure Storage's error body shape (<Error><Code>…</Code><Message>…</Message></Error>). */
function storageError(code: string, message: string): string {
	return `<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`;
}

export class StorageHost {
	private readonly blobs = new Map<string, StoredBlob>();
	private readonly requests: StorageRequest[] = [];
	private baseUrl = '';
	private large: LargeBody | undefined;

	constructor(private readonly clock: Clock) {}

	get url(): string {
		return this.baseUrl;
	}

	/** Stores a blob and returns its signed link. */
	publish(blob: PublishedBlob): string {
		const token = randomBytes(16).toString('hex');
		const expiresAtMs = this.clock.nowMs() + blob.validForMs;
		this.blobs.set(token, { content: blob.content, contentType: blob.contentType, fileName: blob.fileName, expiresAtMs });
		if (blob.style === 'safedownload') return `${this.baseUrl}/safedownload/${encodeURIComponent(blob.fileName)}?token=${token}`;
		const expiry = encodeURIComponent(new Date(expiresAtMs).toISOString());
		return `${this.baseUrl}/blobs/${token}/${encodeURIComponent(blob.fileName)}?se=${expiry}&sp=r&sv=2019-07-07&sr=b&sig=${randomBytes(24).toString('base64url')}`;
	}

	log(): StorageRequest[] {
		return this.requests.map((request) => ({ ...request, headers: { ...request.headers } }));
	}

	reset(): void {
		this.blobs.clear();
		this.requests.length = 0;
		this.large = undefined;
	}

	/**
	 * From now on (until reset), every download answers with this body instead of the blob's
	 * content: a large generated file, one sent without Content-Length, one that stalls, or a
	 * gzip bomb. Status, name and type stay the blob's.
	 */
	serveLargeBodies(body: LargeBody | undefined): void {
		this.large = body;
	}

	private answer(method: string, rawPath: string, headers: IncomingHttpHeaders): Answer {
		const xml = (status: number, code: string, message: string) => ({
			status,
			headers: { 'Content-Type': 'application/xml' },
			body: Buffer.from(storageError(code, message)),
		});
		if (method !== 'GET' && method !== 'HEAD') return xml(405, 'UnsupportedHttpVerb', 'The resource doesn\'t support the specified HTTP verb.');
		// A SAS link carries its own authorization; Azure refuses a request that brings another one.
		if (headers.authorization !== undefined) {
			return xml(400, 'InvalidAuthenticationInfo', 'Authentication information is not given in the correct format. A SAS link takes no Authorization header.');
		}
		const token = /^\/blobs\/([0-9a-f]{32})\/[^/?]+/.exec(rawPath)?.[1] ?? /^\/safedownload\/[^/?]+\?(?:.*&)?token=([0-9a-f]{32})(?:&|$)/.exec(rawPath)?.[1];
		const blob = token ? this.blobs.get(token) : undefined;
		if (!blob) return xml(404, 'BlobNotFound', 'The specified blob does not exist.');
		if (this.clock.nowMs() > blob.expiresAtMs) {
			return xml(403, 'AuthenticationFailed', 'Signed expiry time has to be after signed start time. The link has expired.');
		}
		return {
			status: 200,
			headers: {
				'Content-Type': blob.contentType,
				'Content-Length': String(blob.content.length),
				'Content-Disposition': `attachment; filename="${blob.fileName}"`,
			},
			body: method === 'HEAD' ? Buffer.alloc(0) : blob.content,
			large: this.large,
		};
	}

	/** Sends a large body with backpressure, so the emulator never holds more than a block of it. */
	private async sendLarge(method: string, answer: Answer, large: LargeBody, response: ServerResponse, logged: StorageRequest): Promise<void> {
		const headers: Record<string, string> = { ...answer.headers };
		let body: Readable;
		if (large.kind === 'gzipBomb') {
			const compressed = await gzipBomb(large.inflatedBytes);
			headers['Content-Encoding'] = 'gzip';
			headers['Content-Length'] = String(compressed.length);
			body = Readable.from([compressed]);
		} else {
			if (large.announceLength === false) delete headers['Content-Length'];
			else headers['Content-Length'] = String(large.bytes);
			if (large.fileName !== undefined) headers['Content-Disposition'] = `attachment; filename="${large.fileName}"`;
			body = generatedStream(large.bytes, large.stallAfterBytes);
		}
		response.writeHead(answer.status, headers);
		if (method === 'HEAD') return void response.end();
		body.on('data', (chunk: Buffer) => (logged.bytesSent += chunk.length));
		body.pipe(response);
		response.on('close', () => body.destroy());
	}

	async start(tls: { keyPem: string; certPem: string }, port: number): Promise<{ close(): Promise<void> }> {
		const server = createServer({ key: tls.keyPem, cert: tls.certPem }, (request, response) => {
			const method = (request.method ?? 'GET').toUpperCase();
			const rawPath = request.url ?? '/';
			request.resume();
			request.on('end', () => {
				const answer = this.answer(method, rawPath, request.headers);
				const logged: StorageRequest = {
					time: new Date(this.clock.nowMs()).toISOString(),
					method,
					path: rawPath.split('?')[0],
					headers: { ...request.headers },
					status: answer.status,
					bytesSent: 0,
					outcome: 'sending',
				};
				this.requests.push(logged);
				response.on('finish', () => (logged.outcome = 'complete'));
				response.on('close', () => {
					if (!response.writableFinished) logged.outcome = 'closed early';
				});
				if (answer.status === 200 && answer.large) {
					this.sendLarge(method, answer, answer.large, response, logged).catch(() => response.destroy());
					return;
				}
				logged.bytesSent = answer.body.length;
				response.writeHead(answer.status, answer.headers);
				response.end(answer.body);
			});
		});
		const sockets = new Set<Duplex>();
		server.on('connection', (socket) => {
			sockets.add(socket);
			socket.on('close', () => sockets.delete(socket));
		});
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen(port, '127.0.0.1', () => {
				server.off('error', reject);
				resolve();
			});
		});
		this.baseUrl = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
		return {
			close: () =>
				new Promise<void>((resolve) => {
					for (const socket of sockets) socket.destroy();
					server.close(() => resolve());
				}),
		};
	}
}
