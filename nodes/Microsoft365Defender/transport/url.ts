import { endpointFor, isUrlOf, type DefenderEndpoints } from './apis';
import { InvalidPathValueError } from './paths';
import type { ApiRequest, QueryValue } from './types';

/** OData wants %20, not '+', and keeps `$` in parameter names. */
export function buildQueryString(query: Record<string, QueryValue> = {}): string {
	const parts = Object.entries(query)
		.filter(([, value]) => value !== undefined && value !== '')
		.map(([key, value]) => `${encodeURIComponent(key).replace(/%24/g, '$')}=${encodeURIComponent(String(value))}`);
	return parts.length ? `?${parts.join('&')}` : '';
}

/**
 * Whether URL resolution would treat a segment as "." or "..": the WHATWG parser also reads
 * `%2e` as a dot and, for https, a backslash as a slash.
 */
export function hasDotSegment(path: string): boolean {
	return path
		.split(/[/\\]/)
		.map((segment) => segment.replace(/%2e/gi, '.'))
		.some((segment) => segment === '.' || segment === '..');
}

/**
 * The URL a request goes to, checked after resolution: a path stays below the API's base URL
 * exactly as written, and a next link is followed only to the API it came from.
 */
export function resolveRequestUrl(endpoints: DefenderEndpoints, request: ApiRequest): string {
	const { baseUrl } = endpointFor(endpoints, request.api);
	if (request.url) {
		if (!isUrlOf(endpoints, request.api, request.url)) {
			throw new Error(`Refusing to follow a link outside ${baseUrl}: ${new URL(request.url).origin}`);
		}
		return request.url;
	}
	const path = request.path ?? '';
	if (!path.startsWith('/') || hasDotSegment(path)) {
		throw new InvalidPathValueError('path', `The path "${path.slice(0, 120)}" is not allowed: it must start with "/" and have no "." or ".." segments (nor %2e forms of them).`);
	}
	const resolved = new URL(`${baseUrl}${path}`);
	if (resolved.origin !== baseUrl) {
		throw new InvalidPathValueError('path', `The path "${path.slice(0, 120)}" leads away from ${baseUrl}.`);
	}
	return `${baseUrl}${path}${buildQueryString(request.query)}`;
}
