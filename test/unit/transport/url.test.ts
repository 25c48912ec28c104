import { resolveEndpoints } from '../../../nodes/Microsoft365Defender/transport/apis';
import { InvalidPathValueError } from '../../../nodes/Microsoft365Defender/transport/paths';
import { hasDotSegment, resolveRequestUrl } from '../../../nodes/Microsoft365Defender/transport/url';

const endpoints = resolveEndpoints({
	environment: 'global',
	tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
	clientId: '00001111-aaaa-2222-bbbb-3333cccc4444',
});

describe('hasDotSegment', () => {
	it.each(['/api/../x', '/api/./x', '/api/.%2e/x', '/api/%2e./x', '/api/%2E%2e/x', '/api/%2e/x', '/api\\..\\x'])(
		'sees the dot segment in %s, as URL resolution does',
		(path) => {
			expect(hasDotSegment(path)).toBe(true);
			// The same judgement as the WHATWG parser: resolution rewrites the path.
			expect(new URL(`https://h${path}`).pathname).not.toBe(path);
		},
	);

	it.each(['/api/machines', '/api/files/..a', '/api/.hidden', '/api/a.b/c..'])('lets %s through', (path) => {
		expect(hasDotSegment(path)).toBe(false);
	});
});

describe('resolveRequestUrl', () => {
	it('keeps a path below the API and adds the query', () => {
		expect(resolveRequestUrl(endpoints, { api: 'mde', method: 'GET', path: '/api/machines', query: { $top: 1 } })).toBe(
			'https://api.security.microsoft.com/api/machines?$top=1',
		);
	});

	it('refuses a path that resolution would move, before any request', () => {
		expect(() => resolveRequestUrl(endpoints, { api: 'mde', method: 'GET', path: '/api/.%2e/v1.0/security/incidents' })).toThrow(
			InvalidPathValueError,
		);
		expect(() => resolveRequestUrl(endpoints, { api: 'graph', method: 'GET', path: '@evil.example/x' })).toThrow(InvalidPathValueError);
	});

	it('follows a next link only to the API it came from', () => {
		expect(() =>
			resolveRequestUrl(endpoints, { api: 'graph', method: 'GET', url: 'https://api.security.microsoft.com/api/machines' }),
		).toThrow(/outside/);
	});
});
