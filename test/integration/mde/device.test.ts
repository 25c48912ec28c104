import type { INodeParameters } from 'n8n-workflow';

import { useEmulator } from '../context';
import { byId, runNode } from '../harness';
import { byName, json, mdeCalls, UNKNOWN_MACHINE, windowsMachine } from './helpers';

const env = useEmulator();

const alertMachine = () => {
	const id = env.emulator.store.listAlerts().flatMap((alert) => alert.evidence).find((evidence) => evidence.mdeDeviceId)?.mdeDeviceId;
	return env.emulator.store.machines.find((machine) => machine.id === id)!;
};

const run = (parameters: INodeParameters, options: { credentialId?: string; continueOnFail?: boolean; input?: Array<Record<string, string>> } = {}) =>
	runNode({ resource: 'device', ...parameters }, { credentials: env.credentials, ...options });

describe('Device: Get', () => {
	it('gets a device by ID, by URL, and by name (full DNS name or unique host name) without a second call', async () => {
		const machine = windowsMachine(env.emulator);
		const url = { __rl: true, mode: 'url', value: `https://security.microsoft.com/machines/v2/${machine.id}/overview` };
		for (const deviceId of [byId(machine.id), url, byName(machine.computerDnsName), byName(machine.computerDnsName.split('.')[0].toUpperCase())]) {
			const { items, error } = await run({ operation: 'get', deviceId });
			expect(error).toBeUndefined();
			expect(items[0].json).toMatchObject({ id: machine.id, computerDnsName: machine.computerDnsName });
		}
		const paths = mdeCalls(env.emulator).map((entry) => decodeURIComponent(entry.path));
		expect(paths.filter((path) => path === `/api/machines/${machine.id}`)).toHaveLength(2);
		expect(paths.filter((path) => path.includes('computerDnsName eq'))).toHaveLength(2);
	});

	it('reports an unknown device, an unknown name and a malformed ID (before any call)', async () => {
		const { error: notFound } = await run({ operation: 'get', deviceId: byId(UNKNOWN_MACHINE) });
		expect(notFound?.message).toBe(`ResourceNotFound: Machine ${UNKNOWN_MACHINE} was not found`);
		const { error: noName } = await run({ operation: 'get', deviceId: byName('no-such-host') });
		expect(noName?.message).toBe('No device named "no-such-host" was found in Defender for Endpoint.');
		env.emulator.clearRequestLog();
		// A literal value is checked by the field's own rule in the editor; an expression is checked at run time.
		const { error: invalid } = await run({ operation: 'get', deviceId: byId('={{ "80fe8ff8-2624-418e-9591-41f0491218f9" }}') });
		expect(invalid?.message).toMatch(/^Device "80fe8ff8-2624-418e-9591-41f0491218f9" is not a Defender for Endpoint device ID/);
		expect(invalid?.description).toBe('Check the "Device" parameter of item 0.');
		expect(mdeCalls(env.emulator)).toHaveLength(0);
	});

	it('refuses an ambiguous name', async () => {
		const machine = windowsMachine(env.emulator);
		const twin = { ...machine, id: 'b'.repeat(40), computerDnsName: machine.computerDnsName.replace('.contoso.local', '.fabrikam.local') };
		env.emulator.store.machines.push(twin);
		const { error } = await run({ operation: 'get', deviceId: byName(machine.computerDnsName.split('.')[0]) });
		expect(error?.message).toMatch(/matches 2 devices/);
	});

	it('waits out a 429 and succeeds; continues on fail per item', async () => {
		const machine = windowsMachine(env.emulator);
		env.emulator.setThrottle('mde', { next429: 1, retryAfterSeconds: 0 });
		const { items, error } = await run({ operation: 'get', deviceId: byId(machine.id) });
		expect(error).toBeUndefined();
		expect(items[0].json.id).toBe(machine.id);
		expect(mdeCalls(env.emulator).map((entry) => entry.status)).toEqual([429, 200]);

		const { items: mixed } = await run(
			{ operation: 'get', deviceId: byId('={{ $json.id }}') },
			{ continueOnFail: true, input: [{ id: machine.id }, { id: UNKNOWN_MACHINE }, { id: 'nope' }] },
		);
		expect(mixed[0].json.id).toBe(machine.id);
		expect(mixed[1].json).toMatchObject({ error: expect.stringMatching(/^ResourceNotFound/), httpCode: '404' });
		expect(mixed[2].json.error).toMatch(/is not a Defender for Endpoint device ID/);
		expect(mixed.map((item) => (item.pairedItem as { item: number }).item)).toEqual([0, 1, 2]);
	});

	it('names the missing permission', async () => {
		const app = env.emulator.registerApp({ clientId: '99999999-0000-0000-0000-000000000001', secrets: [{ value: 'no-roles' }], roles: { mde: [] } });
		const credentials = { ...env.credentials, none: { ...env.credentials.full, clientId: app.clientId, clientSecret: 'no-roles' } };
		const { error } = await runNode({ resource: 'device', operation: 'get', deviceId: byId(windowsMachine(env.emulator).id) }, { credentials, credentialId: 'none' });
		expect(error?.message).toMatch(/^Forbidden/);
		expect(error?.description).toMatch(/"Machine\.Read\.All"/);
	});
});

describe('Device: Get Many', () => {
	it('filters by health, risk, exposure, OS, tag, name, last seen and last IP', async () => {
		const machines = env.emulator.store.machines;
		const { items, error } = await run({
			operation: 'getAll',
			returnAll: true,
			filters: { healthStatus: ['Active'], riskScore: ['High', 'Medium'], osPlatform: ['Windows10', 'Windows11'] },
		});
		expect(error).toBeUndefined();
		const expected = machines.filter((machine) => machine.healthStatus === 'Active' && ['High', 'Medium'].includes(machine.riskScore) && ['Windows10', 'Windows11'].includes(machine.osPlatform));
		expect(items.map((item) => item.json.id).sort()).toEqual(expected.map((machine) => machine.id).sort());

		const tagged = await run({ operation: 'getAll', returnAll: true, filters: { tag: 'Finance', exposureLevel: ['Low', 'Medium', 'High'] } });
		expect(json(tagged.items).every((machine) => (machine.machineTags as string[]).includes('Finance'))).toBe(true);
		expect(tagged.items.length).toBe(machines.filter((machine) => machine.machineTags.includes('Finance')).length);

		const target = windowsMachine(env.emulator, 3);
		const exact = await run({
			operation: 'getAll',
			returnAll: true,
			filters: { nameStartsWith: target.computerDnsName.slice(0, -3), lastIpAddress: target.lastIpAddress, lastSeenAfter: new Date(Date.parse(target.lastSeen) - 1000).toISOString() },
		});
		expect(exact.items.map((item) => item.json.id)).toEqual([target.id]);
	});

	it('stops at the limit with one call of $top=limit', async () => {
		const { items } = await run({ operation: 'getAll', returnAll: false, limit: 7 });
		expect(items).toHaveLength(7);
		expect(mdeCalls(env.emulator)).toHaveLength(1);
		expect(mdeCalls(env.emulator)[0].path).toBe('/api/machines?$top=7');
	});

	it('rejects a bad date or IP filter before calling, and survives a 429', async () => {
		env.emulator.clearRequestLog();
		const { error: badIp } = await run({ operation: 'getAll', limit: 5, filters: { lastIpAddress: '10.1.2' } });
		expect(badIp?.message).toMatch(/^Last IP Address "10.1.2" is not an IPv4 or IPv6 address/);
		const { error: badDate } = await run({ operation: 'getAll', limit: 5, filters: { lastSeenAfter: 'yesterday' } });
		expect(badDate?.message).toMatch(/"yesterday" is not a date/);
		expect(mdeCalls(env.emulator)).toHaveLength(0);
		env.emulator.setThrottle('mde', { next429: 1, retryAfterSeconds: 0 });
		const { items, error } = await run({ operation: 'getAll', limit: 5 });
		expect(error).toBeUndefined();
		expect(items).toHaveLength(5);
	});
});

describe('Device: Find', () => {
	it('finds by internal IP around a time, by name prefix and by tag', async () => {
		const machine = windowsMachine(env.emulator, 2);
		const byIp = await run({ operation: 'find', findBy: 'ip', ipAddress: machine.lastIpAddress, timestamp: machine.lastSeen });
		expect(byIp.error).toBeUndefined();
		expect(byIp.items.map((item) => item.json.id)).toContain(machine.id);
		const byPrefix = await run({ operation: 'find', findBy: 'name', name: machine.computerDnsName.split('-')[0] });
		expect(byPrefix.items.length).toBe(env.emulator.store.machines.filter((candidate) => candidate.computerDnsName.startsWith(machine.computerDnsName.split('-')[0])).length);
		const byTag = await run({ operation: 'find', findBy: 'tag', tag: 'Produ', tagStartsWith: true });
		expect(byTag.items.length).toBe(env.emulator.store.machines.filter((candidate) => candidate.machineTags.includes('Production')).length);
	});

	it('checks the IP and the 30-day window before calling; nothing found is no items; survives a 429', async () => {
		env.emulator.clearRequestLog();
		const { error: badIp } = await run({ operation: 'find', findBy: 'ip', ipAddress: '10.0.0.0/8' });
		expect(badIp?.message).toMatch(/not CIDR notation/);
		const { error: old } = await run({ operation: 'find', findBy: 'ip', ipAddress: '10.1.1.1', timestamp: '2020-01-01T00:00:00Z' });
		expect(old?.message).toMatch(/is not within the past 30 days/);
		expect(mdeCalls(env.emulator)).toHaveLength(0);
		env.emulator.setThrottle('mde', { next429: 1, retryAfterSeconds: 0 });
		const { items, error } = await run({ operation: 'find', findBy: 'ip', ipAddress: '192.0.2.77' });
		expect(error).toBeUndefined();
		expect(items).toHaveLength(0);
		expect(mdeCalls(env.emulator).map((entry) => entry.status)).toEqual([429, 200]);
	});
});

describe('Device: Add Tag / Remove Tag', () => {
	it('adds and removes a tag and returns the device', async () => {
		const machine = windowsMachine(env.emulator);
		const added = await run({ operation: 'addTag', deviceId: byId(machine.id), tag: 'Contained by n8n' });
		expect(added.items[0].json.machineTags).toContain('Contained by n8n');
		const removed = await run({ operation: 'removeTag', deviceId: byName(machine.computerDnsName), tag: 'Contained by n8n' });
		expect(removed.items[0].json.machineTags).not.toContain('Contained by n8n');
	});

	it('needs Machine.ReadWrite.All, a non-empty tag and a known device; survives a 429', async () => {
		const machine = windowsMachine(env.emulator);
		const { error: forbidden } = await run({ operation: 'addTag', deviceId: byId(machine.id), tag: 'x' }, { credentialId: 'readOnly' });
		expect(forbidden?.description).toMatch(/"Machine\.ReadWrite\.All"/);
		const { error: empty } = await run({ operation: 'addTag', deviceId: byId(machine.id), tag: '  ' });
		expect(empty?.message).toBe('Tag is empty: enter the tag text.');
		const { error: notFound } = await run({ operation: 'removeTag', deviceId: byId(UNKNOWN_MACHINE), tag: 'x' });
		expect(notFound?.message).toMatch(/^ResourceNotFound/);
		env.emulator.setThrottle('mde', { next429: 1, retryAfterSeconds: 0 });
		const { error } = await run({ operation: 'addTag', deviceId: byId(machine.id), tag: 'y' });
		expect(error).toBeUndefined();
	});
});

describe.each([
	['getLoggedOnUsers', 'User.Read.All', (entry: Record<string, unknown>) => expect(entry).toMatchObject({ accountName: expect.any(String), logonTypes: expect.any(String) })],
	['getAlerts', 'Alert.Read.All', (entry: Record<string, unknown>) => expect(entry).toMatchObject({ id: expect.stringMatching(/^da/), title: expect.any(String) })],
	['getSoftware', 'Software.Read.All', (entry: Record<string, unknown>) => expect(entry).toMatchObject({ id: expect.stringContaining('-_-'), vendor: expect.any(String) })],
	['getVulnerabilities', 'Vulnerability.Read.All', (entry: Record<string, unknown>) => expect(entry).toMatchObject({ id: expect.stringMatching(/^CVE-/), cvssV3: expect.any(Number) })],
])('Device: %s', (operation, permission, check) => {
	it('returns one item per entry, each with the device ID', async () => {
		const machine = alertMachine();
		const { items, error } = await run({ operation, deviceId: byId(machine.id) });
		expect(error).toBeUndefined();
		expect(items.length).toBeGreaterThan(0);
		for (const item of items) {
			check(item.json);
			expect([item.json.deviceId, item.json.machineId]).toContain(machine.id);
		}
	});

	it('reports not found, a bad ID, the missing permission; survives a 429', async () => {
		const { error: notFound } = await run({ operation, deviceId: byId(UNKNOWN_MACHINE) });
		expect(notFound?.message).toMatch(/^ResourceNotFound/);
		const { error: invalid } = await run({ operation, deviceId: byId('={{ "123" }}') });
		expect(invalid?.message).toMatch(/is not a Defender for Endpoint device ID/);
		const { error: forbidden } = await run({ operation, deviceId: byId(alertMachine().id) }, { credentialId: 'readOnly' });
		expect(forbidden?.description).toContain(`"${permission}"`);
		env.emulator.setThrottle('mde', { next429: 1, retryAfterSeconds: 0 });
		const { items, error } = await run({ operation, deviceId: byId(alertMachine().id) });
		expect(error).toBeUndefined();
		expect(items.length).toBeGreaterThan(0);
	});
});
