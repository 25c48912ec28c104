import { createServer, request as httpRequest } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';

/**
 * A plain-HTTP forward proxy for tests that check a client really goes through a configured proxy
 * (HTTPS via CONNECT, plain HTTP via absolute-URI requests). It logs what it was asked for; it
 * neither authenticates nor looks inside tunnels.
 */

export interface ProxyLogEntry {
	/** 'CONNECT' or the forwarded method. */
	method: string;
	/** 'host:port' for CONNECT, the absolute URL for a forwarded plain-HTTP request. */
	target: string;
	/** ISO time the request reached the proxy. */
	time: string;
}

export interface TestProxy {
	/** http://HOST:PORT */
	url: string;
	port: number;
	log: ProxyLogEntry[];
	clear(): void;
	close(): Promise<void>;
}

export interface TestProxyOptions {
	/** Address to listen on (default 127.0.0.1). */
	host?: string;
	/** Default 0: a random free port. */
	port?: number;
	/**
	 * CONNECT targets ('host:port') tunnelled somewhere else instead, e.g. Microsoft's login host
	 * to the emulator's (whose certificate names it): the emulator stands in for Microsoft.
	 */
	routes?: Record<string, string>;
	/** Answer 403 to a CONNECT that no route covers (logged, never tunnelled): nothing leaves the machine. */
	refuseUnrouted?: boolean;
	/** Called with each entry as it is logged (the CLI prints them). */
	onLog?: (entry: ProxyLogEntry) => void;
}

/** Hop-by-hop headers that describe the client↔proxy connection, not the request. */
const HOP_BY_HOP = new Set(['proxy-connection', 'proxy-authorization', 'connection', 'keep-alive', 'te', 'trailer', 'upgrade']);

function splitHostPort(target: string): { host: string; port: number } | undefined {
	const match = /^\[?([^\]]+?)\]?:(\d{1,5})$/.exec(target);
	if (!match) return undefined;
	const port = Number(match[2]);
	return port > 0 && port < 65536 ? { host: match[1], port } : undefined;
}

export async function startTestProxy(options: TestProxyOptions = {}): Promise<TestProxy> {
	const host = options.host ?? '127.0.0.1';
	const log: ProxyLogEntry[] = [];
	const openSockets = new Set<Duplex>();
	const track = (socket: Duplex) => {
		openSockets.add(socket);
		socket.on('close', () => openSockets.delete(socket));
	};
	const record = (method: string, target: string) => {
		const entry: ProxyLogEntry = { method, target, time: new Date().toISOString() };
		log.push(entry);
		options.onLog?.(entry);
	};

	const server = createServer((request: IncomingMessage, response: ServerResponse) => {
		const method = request.method ?? 'GET';
		const target = request.url ?? '';
		record(method, target);
		let url: URL | undefined;
		try {
			url = new URL(target);
		} catch {
			url = undefined;
		}
		if (!url || url.protocol !== 'http:') {
			// A request with a relative path was meant for a server, not a proxy; https:// must use CONNECT.
			response.writeHead(400, { 'Content-Type': 'text/plain' });
			response.end(`Test proxy: expected an absolute http:// URI or CONNECT, got ${method} ${target}\n`);
			return;
		}
		const headers = Object.fromEntries(Object.entries(request.headers).filter(([name]) => !HOP_BY_HOP.has(name)));
		const upstream = httpRequest(
			{ method, hostname: url.hostname.replace(/^\[|\]$/g, ''), port: url.port || 80, path: `${url.pathname}${url.search}`, headers },
			(upstreamResponse) => {
				response.writeHead(upstreamResponse.statusCode ?? 502, upstreamResponse.headers);
				upstreamResponse.pipe(response);
			},
		);
		upstream.on('error', (error) => {
			if (!response.headersSent) response.writeHead(502, { 'Content-Type': 'text/plain' });
			response.end(`Test proxy: ${error.message}\n`);
		});
		request.pipe(upstream);
	});

	server.on('connection', (socket: Socket) => track(socket));

	server.on('connect', (request, clientSocket, head) => {
		const target = request.url ?? '';
		record('CONNECT', target);
		const routed = options.routes?.[target.toLowerCase()];
		if (!routed && options.refuseUnrouted) {
			clientSocket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
			return;
		}
		const destination = splitHostPort(routed ?? target);
		if (!destination) {
			clientSocket.end('HTTP/1.1 400 Bad Request\r\n\r\n');
			return;
		}
		const upstream = connect(destination.port, destination.host);
		track(upstream);
		let established = false;
		upstream.once('connect', () => {
			established = true;
			clientSocket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
			// A copy: this @types/node's Buffer (ArrayBufferLike) does not fit net.Socket.write's Uint8Array type.
			if (head.length > 0) upstream.write(new Uint8Array(head));
			upstream.pipe(clientSocket);
			clientSocket.pipe(upstream);
		});
		upstream.on('error', () => {
			// Before the tunnel exists the client still waits for a status line; after, only closing tells it.
			if (!established && clientSocket.writable) clientSocket.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
			else clientSocket.destroy();
		});
		clientSocket.on('error', () => upstream.destroy());
		clientSocket.on('close', () => upstream.destroy());
		upstream.on('close', () => {
			if (established) clientSocket.destroy();
		});
	});

	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, host, () => {
			server.off('error', reject);
			resolve();
		});
	});
	const port = (server.address() as AddressInfo).port;
	const urlHost = host.includes(':') ? `[${host}]` : host;

	let closed: Promise<void> | undefined;
	return {
		url: `http://${urlHost}:${port}`,
		port,
		log,
		clear: () => {
			log.length = 0;
		},
		close: () => {
			closed ??= new Promise<void>((resolve) => {
				// Tunnels are not tracked by server.close(): without this it would wait for them to end.
				for (const socket of openSockets) socket.destroy();
				server.close(() => resolve());
			});
			return closed;
		},
	};
}

function parsePort(argv: string[]): number {
	const index = argv.indexOf('--port');
	const raw = index >= 0 ? argv[index + 1] : argv.find((arg) => arg.startsWith('--port='))?.slice('--port='.length);
	if (raw === undefined) return 0;
	const port = Number(raw);
	if (!Number.isInteger(port) || port < 0 || port > 65535) {
		process.stderr.write(`--port takes 0..65535, got ${raw}\n`);
		process.exit(2);
	}
	return port;
}

if (require.main === module) {
	// One JSON line per event on stdout, so a test in another process can read the URL and the log.
	const print = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);
	void startTestProxy({ port: parsePort(process.argv.slice(2)), onLog: print }).then(
		(proxy) => {
			print({ url: proxy.url });
			const stop = () => void proxy.close().then(() => process.exit(0));
			process.on('SIGINT', stop);
			process.on('SIGTERM', stop);
		},
		(error: unknown) => {
			process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
			process.exit(1);
		},
	);
}
