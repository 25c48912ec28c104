import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest, type AgentOptions } from 'node:https';
import { isIP, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';

/**
 * The proxy n8n would use for a URL, read from the same environment variables and with the
 * same rules as n8n's own requests (proxy-from-env): HTTPS_PROXY / HTTP_PROXY by the target's
 * scheme, then ALL_PROXY, lower-case forms first, and NO_PROXY ("*", host names, ".suffix" or
 * "*.suffix", with an optional port) to bypass it.
 */
export function proxyFor(target: string, env: NodeJS.ProcessEnv = process.env): URL | undefined {
	let url: URL;
	try {
		url = new URL(target);
	} catch {
		return undefined;
	}
	const scheme = url.protocol.replace(/:$/, '');
	const read = (name: string) => env[name.toLowerCase()] || env[name.toUpperCase()] || '';
	const configured = read(`${scheme}_proxy`) || read('all_proxy');
	if (!configured || bypassed(url, read('no_proxy'))) return undefined;
	try {
		return new URL(configured.includes('://') ? configured : `http://${configured}`);
	} catch {
		return undefined;
	}
}

function bypassed(url: URL, noProxy: string): boolean {
	if (!noProxy) return false;
	if (noProxy === '*') return true;
	const hostname = url.hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1');
	const port = url.port || (url.protocol === 'https:' ? '443' : '80');
	return noProxy
		.split(/[,\s]+/)
		.filter(Boolean)
		.some((entry) => {
			const match = /^(.+?)(?::(\d+))?$/.exec(entry.toLowerCase());
			if (!match) return false;
			const [, host, entryPort] = match;
			if (entryPort && entryPort !== port) return false;
			if (!/^[.*]/.test(host)) return hostname === host;
			return hostname.endsWith(host.replace(/^\*/, ''));
		});
}

type ConnectionCallback = (error: Error | null, socket?: Socket) => void;

/** A proxy that takes the connection but never answers CONNECT must not hold the request for ever. */
export const PROXY_CONNECT_TIMEOUT_MS = 30_000;

/**
 * An HTTPS agent that reaches its targets through an HTTP(S) proxy with CONNECT, then speaks
 * TLS to the target itself, so the proxy sees only the host and port.
 */
export class ProxyTunnelAgent extends HttpsAgent {
	constructor(
		private readonly proxy: URL,
		options: AgentOptions = {},
		private readonly connectTimeoutMs = PROXY_CONNECT_TIMEOUT_MS,
	) {
		super({ ...options, keepAlive: false });
	}

	createConnection(options: ConnectionOptions & { host?: string; port?: number | string }, callback: ConnectionCallback): undefined {
		const target = `${options.host}:${options.port ?? 443}`;
		const headers: Record<string, string> = { Host: target };
		if (this.proxy.username) {
			const credentials = `${decodeURIComponent(this.proxy.username)}:${decodeURIComponent(this.proxy.password)}`;
			headers['Proxy-Authorization'] = `Basic ${Buffer.from(credentials).toString('base64')}`;
		}
		const secureProxy = this.proxy.protocol === 'https:';
		const connectRequest: ClientRequest = (secureProxy ? httpsRequest : httpRequest)({
			host: this.proxy.hostname.replace(/^\[(.*)\]$/, '$1'),
			port: this.proxy.port || (secureProxy ? 443 : 80),
			method: 'CONNECT',
			path: target,
			headers,
			agent: false,
		});
		let settled = false;
		const settle: ConnectionCallback = (error, socket) => {
			clearTimeout(timer);
			if (settled) return;
			settled = true;
			callback(error, socket);
		};
		// The proxy's host and port only: its URL may carry a user name and password.
		const timer = setTimeout(() => {
			connectRequest.destroy();
			settle(Object.assign(new Error(`the proxy ${this.proxy.host} did not answer CONNECT ${target} within ${this.connectTimeoutMs / 1000} s`), { code: 'ETIMEDOUT' }));
		}, this.connectTimeoutMs);
		connectRequest.once('connect', (response: IncomingMessage, socket: Socket) => {
			if (settled) {
				socket.destroy();
				return;
			}
			if (response.statusCode !== 200) {
				socket.destroy();
				settle(Object.assign(new Error(`the proxy ${this.proxy.host} answered ${response.statusCode} to CONNECT ${target}`), { code: 'EPROXY' }));
				return;
			}
			const host = String(options.host ?? '');
			// SNI takes a host name, never an IP address.
			settle(null, tlsConnect({ ...options, socket, servername: options.servername ?? (isIP(host) ? undefined : host) }));
		});
		connectRequest.once('error', (error) => settle(error));
		connectRequest.end();
		return undefined;
	}
}
