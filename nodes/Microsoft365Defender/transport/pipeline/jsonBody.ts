import { createContext, runInContext } from 'node:vm';

/**
 * Bodies at least this large are parsed in a context of their own. Smaller ones are parsed in
 * place: the cost described below is per object, so it only shows on big results.
 */
export const SEPARATE_CONTEXT_MIN_BYTES = 1024 * 1024;

type JsonParse = (text: string) => unknown;

let separateParse: JsonParse | undefined;

/**
 * V8 gives every JSON object with N properties a hidden class that descends from one root per N.
 * A long-running n8n has parsed so many shapes (node descriptions, settings, earlier results)
 * that those roots are full, so every row of a big result gets a hidden class of its own: a
 * 100,000-row hunting result parsed 3-4x slower and took 2.5x the memory inside n8n than in a
 * fresh process. A context of our own has roots that only our results use.
 */
function parseInSeparateContext(text: string): unknown {
	separateParse ??= runInContext('JSON.parse', createContext({})) as JsonParse;
	const value = separateParse(text);
	adoptIntoThisRealm(value);
	return value;
}

/**
 * Objects made in another context have that context's Object and Array prototypes, so
 * `instanceof Object` or `value.constructor === Object` would be false for them in n8n and
 * in expressions. Re-pointing the prototypes makes them ordinary objects of this realm; rows
 * with the same keys share one hidden class, so this is one cached transition per shape.
 */
function adoptIntoThisRealm(root: unknown): void {
	const pending: unknown[] = [root];
	while (pending.length > 0) {
		const value = pending.pop();
		if (value === null || typeof value !== 'object') continue;
		if (Array.isArray(value)) {
			Object.setPrototypeOf(value, Array.prototype);
			for (let index = 0; index < value.length; index++) {
				const element: unknown = value[index];
				if (element !== null && typeof element === 'object') pending.push(element);
			}
			continue;
		}
		Object.setPrototypeOf(value, Object.prototype);
		for (const key in value) {
			const property = (value as Record<string, unknown>)[key];
			if (property !== null && typeof property === 'object') pending.push(property);
		}
	}
}

function looksLikeJson(text: string, contentType: string | undefined): boolean {
	if (contentType && /[/+]json\b/i.test(contentType)) return true;
	const first = text.trimStart()[0];
	return first === '{' || first === '[';
}

/**
 * The response body as Microsoft sent it: parsed JSON, or the text when it is not JSON (an HTML
 * error page from a proxy, say), or undefined when there is none.
 */
export function parseResponseBody(raw: unknown, contentType?: string): unknown {
	if (raw === undefined || raw === null) return undefined;
	if (!Buffer.isBuffer(raw) && !(raw instanceof ArrayBuffer)) return raw;
	const bytes = Buffer.isBuffer(raw) ? raw : Buffer.from(raw);
	if (bytes.length === 0) return undefined;
	const text = bytes.toString('utf8');
	if (!looksLikeJson(text, contentType)) return text;
	if (bytes.length >= SEPARATE_CONTEXT_MIN_BYTES) {
		try {
			return parseInSeparateContext(text);
		} catch {
			// Not JSON after all, or a host that forbids new contexts: the plain parse below decides.
		}
	}
	try {
		return JSON.parse(text);
	} catch {
		// A body that says it is JSON but is not (cut off by a proxy, say) is shown as text.
		return text;
	}
}
