import { generateKeyPairSync } from 'node:crypto';
import type { Emulator } from '../../emulator';
import { signJwt } from '../../emulator/auth/jwt';
import { decodeJwtPayload, expectGraphError, getToken, graph, requestJson, startTestEmulator } from './helpers';

let emulator: Emulator;
let fullToken: string;

beforeAll(async () => {
	emulator = await startTestEmulator();
	fullToken = await getToken(emulator, emulator.apps.full);
});

afterAll(async () => {
	await emulator.close();
});

afterEach(() => emulator.setClockOffset(0));

describe('bearer layer on Graph', () => {
	it('401 InvalidAuthenticationToken without a token', async () => {
		const response = await requestJson(`${emulator.graphUrl}/v1.0/security/incidents`);
		expectGraphError(response, 401, 'InvalidAuthenticationToken');
		expect(response.body.error.message).toBe('Access token is empty.');
		expect(response.headers.get('www-authenticate')).toMatch(/^Bearer /);
	});

	it('401 for a malformed token, a token signed by another key, an expired token', async () => {
		expectGraphError(await graph(emulator, 'garbage', '/v1.0/security/incidents'), 401, 'InvalidAuthenticationToken');

		const forgedKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
		const forged = signJwt({ alg: 'RS256', typ: 'JWT' }, decodeJwtPayload(fullToken), forgedKey);
		expectGraphError(await graph(emulator, forged, '/v1.0/security/incidents'), 401, 'InvalidAuthenticationToken');

		emulator.setClockOffset(3600 * 1000);
		const expired = await graph(emulator, fullToken, '/v1.0/security/incidents');
		expectGraphError(expired, 401, 'InvalidAuthenticationToken');
		expect(expired.body.error.message).toBe('Lifetime validation failed, the token is expired.');
	});

	it('401 for a token of the MDE audience; a token of another tenant sees only that tenant\'s incidents', async () => {
		const mdeToken = await getToken(emulator, emulator.apps.full, emulator.mdeUrl);
		const wrongAudience = await graph(emulator, mdeToken, '/v1.0/security/incidents');
		expectGraphError(wrongAudience, 401, 'InvalidAuthenticationToken');
		expect(wrongAudience.body.error.message).toContain('Invalid audience');

		const otherTenantToken = (
			await requestJson(`${emulator.loginUrl}/${emulator.otherTenantId}/oauth2/v2.0/token`, {
				method: 'POST',
				body: new URLSearchParams({
					client_id: emulator.apps.otherTenantApp.clientId,
					client_secret: emulator.apps.otherTenantApp.clientSecret as string,
					grant_type: 'client_credentials',
					scope: 'https://graph.microsoft.com/.default',
				}),
			})
		).body.access_token as string;
		// Graph serves each tenant its own data (multi-tenant apps): the second tenant has no incidents.
		const foreign = await graph(emulator, otherTenantToken, '/v1.0/security/incidents');
		expect(foreign.status).toBe(200);
		expect(foreign.body.value).toEqual([]);
	});

	it('403 naming the missing permission for a read-only app', async () => {
		const readOnly = await getToken(emulator, emulator.apps.readOnly);
		expect((await graph(emulator, readOnly, '/v1.0/security/incidents?$top=1')).status).toBe(200);
		const patch = await graph(emulator, readOnly, '/v1.0/security/incidents/1001', { method: 'PATCH', body: { status: 'active' } });
		expectGraphError(patch, 403, 'Forbidden');
		expect(patch.body.error.message).toMatch(/^Missing application permission: SecurityIncident\.ReadWrite\.All/);
		const hunting = await graph(emulator, readOnly, '/v1.0/security/runHuntingQuery', { method: 'POST', body: { Query: 'DeviceInfo | take 1' } });
		expectGraphError(hunting, 403, 'Forbidden');
		expect(hunting.body.error.message).toContain('ThreatHunting.Read.All');
	});

	it('Graph-shaped 400 for unknown segments, 405 for wrong methods, 400 for invalid JSON', async () => {
		expectGraphError(await graph(emulator, fullToken, '/v1.0/security/nothingHere'), 400, 'BadRequest');
		expectGraphError(await graph(emulator, fullToken, '/v1.0/security/incidents/1001', { method: 'DELETE' }), 405, 'BadRequest');
		const invalidJson = await graph(emulator, fullToken, '/v1.0/security/incidents/1001', { method: 'PATCH', body: '{"status": ' });
		expectGraphError(invalidJson, 400, 'BadRequest');
		expect(invalidJson.body.error.message).toContain('Unable to read JSON request payload');
	});

	it('echoes client-request-id in the response and in innerError', async () => {
		const response = await graph(emulator, fullToken, '/v1.0/security/incidents/999999', { headers: { 'client-request-id': 'abc-123' } });
		expectGraphError(response, 404, 'NotFound');
		expect(response.body.error.innerError['client-request-id']).toBe('abc-123');
		expect(response.headers.get('client-request-id')).toBe('abc-123');
		expect(response.headers.get('request-id')).toBe(response.body.error.innerError['request-id']);
	});
});

describe('MDE server placeholder', () => {
	it('answers unknown routes with the MDE error shape and only accepts MDE tokens on its routes', async () => {
		const mdeToken = await getToken(emulator, emulator.apps.full, emulator.mdeUrl);
		const response = await requestJson(`${emulator.mdeUrl}/api/nosuchroute`, { headers: { authorization: `Bearer ${mdeToken}` } });
		expect(response.status).toBe(404);
		expect(response.body).toEqual({ error: { code: 'NotFound', message: expect.any(String), target: expect.any(String) } });
	});
});
