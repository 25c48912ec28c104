/* eslint-disable @typescript-eslint/no-explicit-any -- tests navigate arbitrary JSON response bodies freely */
import type { AppCredentials, Emulator, StartEmulatorOptions } from '../../emulator';
import { startEmulator } from '../../emulator';

export async function startTestEmulator(options: StartEmulatorOptions = {}): Promise<Emulator> {
	return startEmulator({ portBase: 0, ...options });
}

export interface JsonResponse<T = any> {
	status: number;
	headers: Headers;
	body: T;
}

export async function requestJson<T = any>(url: string, init: RequestInit = {}): Promise<JsonResponse<T>> {
	const response = await fetch(url, init);
	const text = await response.text();
	let body: unknown = text;
	try {
		body = text === '' ? undefined : JSON.parse(text);
	} catch {
		body = text;
	}
	return { status: response.status, headers: response.headers, body: body as T };
}

export function tokenUrl(emulator: Emulator, tenant: string = emulator.tenantId): string {
	return `${emulator.loginUrl}/${tenant}/oauth2/v2.0/token`;
}

export async function postToken(emulator: Emulator, form: Record<string, string>, tenant?: string, headers: Record<string, string> = {}): Promise<JsonResponse> {
	return requestJson(tokenUrl(emulator, tenant), {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
		body: new URLSearchParams(form).toString(),
	});
}

export async function getToken(emulator: Emulator, app: AppCredentials, resource: string = emulator.graphUrl): Promise<string> {
	const response = await postToken(emulator, {
		client_id: app.clientId,
		client_secret: app.clientSecret ?? '',
		grant_type: 'client_credentials',
		scope: `${resource}/.default`,
	});
	if (response.status !== 200) throw new Error(`Token request failed: ${JSON.stringify(response.body)}`);
	return response.body.access_token as string;
}

export async function graph<T = any>(emulator: Emulator, token: string, path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<JsonResponse<T>> {
	return requestJson<T>(path.startsWith('https://') ? path : `${emulator.graphUrl}${path}`, {
		method: init.method ?? 'GET',
		headers: {
			authorization: `Bearer ${token}`,
			...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
			...init.headers,
		},
		body: init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body),
	});
}

export function decodeJwtPayload(token: string): Record<string, any> {
	return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
}

export function expectGraphError(response: JsonResponse, status: number, code: string): void {
	expect(response.status).toBe(status);
	expect(response.body).toEqual({
		error: {
			code,
			message: expect.any(String),
			innerError: { date: expect.any(String), 'request-id': expect.any(String), 'client-request-id': expect.any(String) },
		},
	});
}

export function expectAadError(response: JsonResponse, status: number, error: string, code: number): void {
	expect(response.status).toBe(status);
	expect(response.body.error).toBe(error);
	expect(response.body.error_codes).toEqual([code]);
	expect(response.body.error_description).toMatch(new RegExp(`^AADSTS${code}: .*\\r\\nTrace ID: [0-9a-f-]{36}\\r\\nCorrelation ID: [0-9a-f-]{36}\\r\\nTimestamp: \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}Z$`, 's'));
	expect(response.body).toEqual(
		expect.objectContaining({ timestamp: expect.any(String), trace_id: expect.any(String), correlation_id: expect.any(String), error_uri: expect.stringContaining(`code=${code}`) }),
	);
}
