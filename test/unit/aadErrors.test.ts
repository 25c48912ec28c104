import { aadErrorCode, describeTokenError } from '../../nodes/Microsoft365Defender/transport/auth/aadErrors';

const aadMessage = (code: number, text: string) =>
	`${code === 7000215 ? 'invalid_client' : 'error'}: Error(s): ${code} - Timestamp: 2026-11-26 Description: AADSTS${code}: ${text}\r\nTrace ID: 0000\r\nCorrelation ID: 1111\r\nTimestamp: 2026-11-26 10:00:00Z - Correlation ID: 1111 - Trace ID: 0000`;

describe('describeTokenError', () => {
	it.each([
		[7000215, /"Value".*not its "Secret ID"/],
		[7000222, /expired.*Certificates & secrets/],
		[90002, /Tenant not found.*Environment/],
		[700016, /not found in this tenant/],
		[700027, /certificate/],
	])('AADSTS%d gets a hint', (code, hint) => {
		const details = describeTokenError({ errorCode: 'invalid_client', errorMessage: aadMessage(code, 'Something went wrong.') });
		expect(details.code).toBe(code);
		expect(details.hint).toMatch(hint);
		expect(details.message).toBe(`AADSTS${code}: Something went wrong.`);
		expect(details.message).not.toMatch(/Trace ID|Correlation ID/);
	});

	it('explains network failures without echoing the request', () => {
		const details = describeTokenError(new Error('getaddrinfo ENOTFOUND login.example.com client_secret=abc'));
		expect(details.message).toBe('Could not reach the login endpoint (ENOTFOUND).');
		expect(JSON.stringify(details)).not.toContain('abc');
	});

	it('keeps unknown errors to their first line', () => {
		expect(describeTokenError(new Error('boom\nsecond line')).message).toBe('boom');
	});

	it('reads codes anywhere in the text', () => {
		expect(aadErrorCode('xyz AADSTS90002: Tenant')).toBe(90002);
		expect(aadErrorCode('nothing here')).toBeUndefined();
	});
});
