import { allOf, anyOf, odataDateTime, odataString } from '../../nodes/Microsoft365Defender/transport/odata';
import { ALERT_ID, apiPath, INCIDENT_ID, validateId } from '../../nodes/Microsoft365Defender/transport/paths';
import { buildQueryString } from '../../nodes/Microsoft365Defender/transport/url';

describe('odataString', () => {
	it.each([
		['analyst@contoso.com', "'analyst@contoso.com'"],
		["O'Brien", "'O''Brien'"],
		["x' or 1 eq 1 or 'a' eq 'a", "'x'' or 1 eq 1 or ''a'' eq ''a'"],
		["''", "''''''"],
		['', "''"],
	])('%j becomes %s', (value, literal) => {
		expect(odataString(value)).toBe(literal);
	});
});

describe('filters', () => {
	it('joins several values of one field with or, in parentheses, escaped', () => {
		expect(anyOf('status', ['active', "in'Progress"])).toBe("(status eq 'active' or status eq 'in''Progress')");
		expect(anyOf('status', ['active'])).toBe("status eq 'active'");
		expect(anyOf('status', [])).toBeUndefined();
	});

	it('joins clauses with and, skipping empty ones', () => {
		expect(allOf(['a eq 1', undefined, '', 'b eq 2'])).toBe('a eq 1 and b eq 2');
		expect(allOf([undefined])).toBeUndefined();
	});

	it('turns dates into unquoted UTC literals and rejects what is not a date', () => {
		expect(odataDateTime('createdAfter', '2026-01-31T10:00:00+02:00')).toBe('2026-01-31T08:00:00.000Z');
		expect(() => odataDateTime('createdAfter', "2026-01-01' or 1 eq 1")).toThrow(/is not a date/);
		expect(() => odataDateTime('createdAfter', '')).toThrow(/is not a date/);
	});
});

describe('apiPath', () => {
	it.each([
		['123', '/v1.0/security/incidents/123'],
		['../../users', '/v1.0/security/incidents/..%2F..%2Fusers'],
		['1?$select=x', '/v1.0/security/incidents/1%3F%24select%3Dx'],
		['1#frag', '/v1.0/security/incidents/1%23frag'],
		['a/b', '/v1.0/security/incidents/a%2Fb'],
		['%2e%2e', '/v1.0/security/incidents/%252e%252e'],
		['ü', '/v1.0/security/incidents/%C3%BC'],
	])('encodes %j as one segment', (id, path) => {
		expect(apiPath`/v1.0/security/incidents/${id}`).toBe(path);
	});

	it.each(['', '.', '..'])('refuses %j as a segment', (id) => {
		expect(() => apiPath`/api/machines/${id}`).toThrow(/cannot be used as an id/);
	});
});

describe('validateId', () => {
	it('accepts real ids', () => {
		expect(validateId(' 2972395 ', INCIDENT_ID)).toBe('2972395');
		expect(validateId('da637551227677560813_-961444813', ALERT_ID)).toBe('da637551227677560813_-961444813');
	});
	it.each([['12a'], ['-1'], ['1 2'], ['../1'], [''], ['1'.repeat(25)]])('rejects incident id %j naming the field', (id) => {
		expect(() => validateId(id, INCIDENT_ID)).toThrow(/^Incident ID ".*" is not valid/);
	});
	it.each([['da/../x'], ['a?b'], ['a b'], ['-leading'], ['x'.repeat(201)]])('rejects alert id %j', (id) => {
		expect(() => validateId(id, ALERT_ID)).toThrow(/^Alert ID/);
	});
});

describe('buildQueryString', () => {
	it('keeps $ in names, encodes spaces as %20 and quotes, drops empty values', () => {
		expect(buildQueryString({ $top: 50, $filter: "status eq 'active'", $expand: undefined, $skip: '' })).toBe(
			"?$top=50&$filter=status%20eq%20'active'",
		);
		expect(buildQueryString({ q: 'a&b=c' })).toBe('?q=a%26b%3Dc');
		expect(buildQueryString({})).toBe('');
	});
});
