import { execFileSync } from 'node:child_process';
import path from 'node:path';

import { parseResponseBody, SEPARATE_CONTEXT_MIN_BYTES } from '../../../nodes/Microsoft365Defender/transport/pipeline/jsonBody';

/** A JSON text of at least `bytes` bytes, shaped like a hunting result with a nested column. */
function bigResult(bytes: number): string {
	const results = [];
	for (let row = 0; results.length * 120 < bytes; row++) {
		results.push({
			RowNumber: row,
			DeviceName: `device-${row}`,
			Timestamp: '2026-11-26T10:00:00.0000000Z',
			AdditionalFields: { Tags: ['a', `tag-${row % 7}`], Nested: { Depth: [{ Deepest: row }] } },
			Empty: null,
		});
	}
	return JSON.stringify({ schema: [{ name: 'RowNumber', type: 'Int32' }], results });
}

/** Every object and array in `value`, depth first. */
function* allContainers(value: unknown): Generator<object> {
	if (value === null || typeof value !== 'object') return;
	yield value;
	for (const child of Object.values(value)) yield* allContainers(child);
}

describe('parseResponseBody', () => {
	it('parses a small JSON body in place', () => {
		const body = { value: [{ id: '1', status: 'active' }], '@odata.nextLink': 'https://graph/next' };
		expect(parseResponseBody(Buffer.from(JSON.stringify(body)), 'application/json; charset=utf-8')).toEqual(body);
	});

	it('reads UTF-8 text outside ASCII', () => {
		expect(parseResponseBody(Buffer.from('{"title":"Schädliche Datei – 検出"}'), 'application/json')).toEqual({ title: 'Schädliche Datei – 検出' });
	});

	it('has no body for an empty response (204) and passes a parsed body through', () => {
		expect(parseResponseBody(Buffer.alloc(0), 'application/json')).toBeUndefined();
		expect(parseResponseBody(undefined)).toBeUndefined();
		expect(parseResponseBody({ already: 'parsed' })).toEqual({ already: 'parsed' });
	});

	it('keeps a body that is not JSON as text, so the error can show it', () => {
		expect(parseResponseBody(Buffer.from('<html>502 Bad Gateway</html>'), 'text/html')).toBe('<html>502 Bad Gateway</html>');
		expect(parseResponseBody(Buffer.from('{"error":{"code":"Cut'), 'application/json')).toBe('{"error":{"code":"Cut');
	});

	it('gives a big body the same value JSON.parse gives, made of ordinary objects and arrays of this realm', () => {
		const text = bigResult(SEPARATE_CONTEXT_MIN_BYTES + 1000);
		expect(Buffer.byteLength(text)).toBeGreaterThanOrEqual(SEPARATE_CONTEXT_MIN_BYTES);
		const parsed = parseResponseBody(Buffer.from(text), 'application/json') as { results: Array<Record<string, unknown>> };
		expect(parsed).toEqual(JSON.parse(text));
		let containers = 0;
		const foreign: object[] = [];
		for (const container of allContainers(parsed)) {
			containers++;
			const ordinary = Array.isArray(container)
				? container instanceof Array && Object.getPrototypeOf(container) === Array.prototype
				: container instanceof Object && container.constructor === Object;
			if (!ordinary) foreign.push(container);
		}
		expect(foreign).toEqual([]);
		expect(containers).toBeGreaterThan(parsed.results.length * 5);
		expect(parsed.results.map((row) => row.RowNumber).slice(0, 3)).toEqual([0, 1, 2]);
	});

	it('keeps a big body that is cut off as text', () => {
		const text = bigResult(SEPARATE_CONTEXT_MIN_BYTES + 1000);
		const cut = text.slice(0, text.length - 10);
		expect(parseResponseBody(Buffer.from(cut), 'application/json')).toBe(cut);
	});

	it('still parses a big body where no new V8 context can be made', () => {
		const text = bigResult(SEPARATE_CONTEXT_MIN_BYTES + 1000);
		jest.isolateModules(() => {
			jest.doMock('node:vm', () => ({
				createContext: () => {
					throw new Error('contexts are not allowed here');
				},
				runInContext: () => {
					throw new Error('contexts are not allowed here');
				},
			}));
			const isolated = jest.requireActual<typeof import('../../../nodes/Microsoft365Defender/transport/pipeline/jsonBody')>(
				'../../../nodes/Microsoft365Defender/transport/pipeline/jsonBody',
			);
			expect(isolated.parseResponseBody(Buffer.from(text), 'application/json')).toEqual(JSON.parse(text));
		});
		jest.dontMock('node:vm');
	});

	it('gives the rows of a big result one hidden class even when V8 has no room for new JSON shapes', () => {
		// A long-running n8n has filled V8's root hidden classes for small JSON objects; there,
		// JSON.parse gives every row a hidden class of its own (3-4x slower, 2.5x the memory).
		const probe = path.join(__dirname, 'hiddenClassProbe.ts');
		const run = (shapes: number) =>
			JSON.parse(
				execFileSync(process.execPath, ['--allow-natives-syntax', '--import', 'tsx', probe, String(shapes)], {
					cwd: path.resolve(__dirname, '../../..'),
					encoding: 'utf8',
				}),
			) as { keptShapes: number; rows: number; plainShared: boolean; oursShared: boolean };

		const fresh = run(0);
		expect(fresh).toMatchObject({ plainShared: true, oursShared: true });
		const full = run(2000);
		expect(full.keptShapes).toBe(2000);
		expect(full.rows).toBeGreaterThan(20_000);
		expect(full.plainShared).toBe(false);
		expect(full.oursShared).toBe(true);
	});
});
