import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';

/**
 * "Another origin" for redirect tests: a plain-HTTP server that answers everything 200 {"ok":true}
 * and records what reached it, so a test can check e.g. that no Authorization header followed a
 * redirect off the Microsoft host.
 */

export interface RecordedRequest {
	method: string;
	/** Path and query as received. */
	url: string;
	headers: Record<string, string | string[] | undefined>;
	/** ISO time the request arrived. */
	time: string;
}

export interface RecordingServer {
	/** http://127.0.0.1:PORT, or https://localhost:PORT when started with a certificate */
	url: string;
	requests: RecordedRequest[];
	close(): Promise<void>;
}

/** With `tls` (e.g. the emulator's localhost certificate) it speaks HTTPS: a hostile host a credential could name. */
export async function startRecordingServer(options: { tls?: { keyPem: string; certPem: string } } = {}): Promise<RecordingServer> {
	const requests: RecordedRequest[] = [];
	const sockets = new Set<Duplex>();
	const handler = (request: IncomingMessage, response: ServerResponse) => {
		const headers: IncomingHttpHeaders = { ...request.headers };
		requests.push({ method: request.method ?? 'GET', url: request.url ?? '/', headers, time: new Date().toISOString() });
		// Drain the body so a POST/PATCH that followed a 307/308 completes normally.
		request.resume();
		request.on('end', () => {
			const payload = JSON.stringify({ ok: true });
			response.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) });
			response.end(payload);
		});
	};
	const server = options.tls ? createHttpsServer({ key: options.tls.keyPem, cert: options.tls.certPem }, handler) : createServer(handler);
	server.on(options.tls ? 'secureConnection' : 'connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			server.off('error', reject);
			resolve();
		});
	});
	const port = (server.address() as AddressInfo).port;
	let closed: Promise<void> | undefined;
	return {
		url: options.tls ? `https://localhost:${port}` : `http://127.0.0.1:${port}`,
		requests,
		close: () => {
			closed ??= new Promise<void>((resolve) => {
				// Keep-alive connections would otherwise hold server.close() open.
				for (const socket of sockets) socket.destroy();
				server.close(() => resolve());
			});
			return closed;
		},
	};
}
