import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

import { ProxyTunnelAgent, proxyFor } from './proxy';

const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * MSAL calls Entra ID through this client rather than n8n's request helpers, so it applies the
 * proxy settings n8n honours itself (see proxy.ts) instead of relying on whatever agent the
 * host process installed.
 *
 * MSAL reports a refused connection or an untrusted certificate as a bare "network_error",
 * losing the cause. This client remembers the last failure (with its code: ECONNREFUSED,
 * SELF_SIGNED_CERT_IN_CHAIN, ...) so the token provider can say what actually went wrong.
 *
 * For a managed identity, msal-node calls an endpoint on the machine itself: App Service, Cloud
 * Shell and Azure Arc publish a plain-http loopback URL, the VM metadata service listens on
 * 169.254.169.254. Plain http is allowed there and nowhere else, and those calls never go
 * through a proxy (they must not leave the host).
 */
export interface MsalNetworkClientOptions {
	managedIdentity?: boolean;
}

const AZURE_INSTANCE_METADATA_HOST = '169.254.169.254';

function isMachineLocal(hostname: string): boolean {
	return (
		hostname === 'localhost' ||
		hostname === '[::1]' ||
		hostname === AZURE_INSTANCE_METADATA_HOST ||
		/^127(?:\.\d{1,3}){3}$/.test(hostname)
	);
}

export class MsalNetworkClient implements INetworkModule {
	lastFailure?: Error & { code?: string };

	constructor(private readonly options: MsalNetworkClientOptions = {}) {}

	async sendGetRequestAsync<T>(url: string, options?: NetworkRequestOptions, timeout?: number): Promise<NetworkResponse<T>> {
		return await this.remember(() => send<T>('GET', url, this.transportFor(url), options, timeout));
	}

	async sendPostRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
		return await this.remember(() => send<T>('POST', url, this.transportFor(url), options));
	}

	private transportFor(url: string): Transport {
		const { protocol, hostname } = new URL(url);
		const local = this.options.managedIdentity === true && isMachineLocal(hostname);
		if (protocol === 'http:' && local) return { plainHttp: true, useProxy: false };
		if (protocol !== 'https:') {
			throw Object.assign(new Error(`refusing plain-http token request to ${new URL(url).origin}`), { code: 'ERR_INSECURE_TOKEN_ENDPOINT' });
		}
		return { plainHttp: false, useProxy: !local };
	}

	private async remember<T>(sending: () => Promise<T>): Promise<T> {
		try {
			const response = await sending();
			this.lastFailure = undefined;
			return response;
		} catch (error) {
			this.lastFailure = error as Error;
			throw error;
		}
	}
}

interface Transport {
	plainHttp: boolean;
	useProxy: boolean;
}

function send<T>(
	method: 'GET' | 'POST',
	url: string,
	transport: Transport,
	options: NetworkRequestOptions = {},
	timeoutMs = DEFAULT_TIMEOUT_MS,
): Promise<NetworkResponse<T>> {
	return new Promise((resolve, reject) => {
		const proxy = transport.useProxy ? proxyFor(url) : undefined;
		const agent = proxy ? new ProxyTunnelAgent(proxy) : undefined;
		const request = (transport.plainHttp ? httpRequest : httpsRequest)(url, { method, headers: options.headers, timeout: timeoutMs, agent }, (response) => {
			let text = '';
			response.setEncoding('utf8');
			response.on('data', (chunk: string) => (text += chunk));
			response.on('error', (error) => reject(describeNetworkFailure(error)));
			response.on('end', () => {
				let body: unknown;
				try {
					body = text ? JSON.parse(text) : {};
				} catch {
					body = { error: 'invalid_response', error_description: text.slice(0, 300) };
				}
				const headers: Record<string, string> = {};
				for (const [name, value] of Object.entries(response.headers)) {
					if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
				}
				resolve({ headers, body: body as T, status: response.statusCode ?? 0 });
			});
		});
		request.on('timeout', () => {
			request.destroy(Object.assign(new Error(`no answer within ${timeoutMs / 1000} s`), { code: 'ETIMEDOUT' }));
		});
		request.on('error', (error) => reject(describeNetworkFailure(error)));
		if (options.body) request.write(options.body);
		request.end();
	});
}

function describeNetworkFailure(error: Error & { code?: string }): Error {
	const code = error.code ?? 'NETWORK_ERROR';
	return Object.assign(new Error(`${code}: ${error.message}`), { code });
}
