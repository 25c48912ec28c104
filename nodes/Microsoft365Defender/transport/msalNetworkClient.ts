import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
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
 */
export class MsalNetworkClient implements INetworkModule {
	lastFailure?: Error & { code?: string };

	async sendGetRequestAsync<T>(url: string, options?: NetworkRequestOptions, timeout?: number): Promise<NetworkResponse<T>> {
		return await this.remember(send<T>('GET', url, options, timeout));
	}

	async sendPostRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
		return await this.remember(send<T>('POST', url, options));
	}

	private async remember<T>(sending: Promise<T>): Promise<T> {
		try {
			const response = await sending;
			this.lastFailure = undefined;
			return response;
		} catch (error) {
			this.lastFailure = error as Error;
			throw error;
		}
	}
}

function send<T>(
	method: 'GET' | 'POST',
	url: string,
	options: NetworkRequestOptions = {},
	timeoutMs = DEFAULT_TIMEOUT_MS,
): Promise<NetworkResponse<T>> {
	return new Promise((resolve, reject) => {
		const proxy = proxyFor(url);
		const agent = proxy ? new ProxyTunnelAgent(proxy) : undefined;
		const request = httpsRequest(url, { method, headers: options.headers, timeout: timeoutMs, agent }, (response) => {
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
