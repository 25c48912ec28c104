import type { INodeParameters } from 'n8n-workflow';

import { useEmulator } from '../context';
import { runNode } from '../harness';
import { mdeCalls } from './helpers';

const env = useEmulator();

const run = (parameters: INodeParameters, options: { credentialId?: string; continueOnFail?: boolean; input?: Array<Record<string, string>> } = {}) =>
	runNode({ resource: 'enrichment', ...parameters }, { credentials: env.credentials, ...options });

const mimikatz = () => env.emulator.store.files.find((file) => file.fileName === 'mimikatz.exe')!;
const evidence = () => env.emulator.store.listAlerts().flatMap((alert) => alert.evidence);

describe('Enrichment: File', () => {
	it('returns information, statistics, alerts and devices in one item, by SHA-1', async () => {
		const file = mimikatz();
		const { items, error } = await run({ operation: 'file', fileHash: file.sha1, lookBackHours: 48 });
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({
			sha1: file.sha1,
			sha256: file.sha256,
			found: true,
			info: { determinationType: 'Malware', determinationValue: file.threatName },
			stats: { sha1: file.sha1, organizationPrevalence: expect.any(Number) },
		});
		expect((items[0].json.alerts as unknown[]).length).toBeGreaterThan(0);
		expect((items[0].json.devices as unknown[]).length).toBeGreaterThan(0);
		expect(mdeCalls(env.emulator).map((entry) => entry.path.split('?')[0])).toEqual([
			`/api/files/${file.sha1}`,
			`/api/files/${file.sha1}/stats`,
			`/api/files/${file.sha1}/alerts`,
			`/api/files/${file.sha1}/machines`,
		]);
		expect(mdeCalls(env.emulator)[1].path).toBe(`/api/files/${file.sha1}/stats?lookBackHours=48`);
	});

	it('by SHA-256 reads the SHA-1 from the file information for alerts and devices', async () => {
		const file = mimikatz();
		const { items } = await run({ operation: 'file', fileHash: file.sha256.toUpperCase(), include: ['alerts', 'devices'] });
		expect(items[0].json).toMatchObject({ sha1: file.sha1, sha256: file.sha256, found: true });
		expect(items[0].json.info).toBeUndefined();
		expect(mdeCalls(env.emulator).map((entry) => entry.path)).toEqual([`/api/files/${file.sha256}`, `/api/files/${file.sha1}/alerts`, `/api/files/${file.sha1}/machines`]);
	});

	it('says found: false for a file Defender does not know; checks the hash before calling', async () => {
		const unknown = 'c'.repeat(40);
		const { items, error } = await run({ operation: 'file', fileHash: unknown });
		expect(error).toBeUndefined();
		expect(items[0].json).toEqual({ sha1: unknown, found: false });
		env.emulator.clearRequestLog();
		const { error: md5 } = await run({ operation: 'file', fileHash: 'd41d8cd98f00b204e9800998ecf8427e' });
		expect(md5?.message).toMatch(/MD5 hashes are not supported/);
		const { error: lookBack } = await run({ operation: 'file', fileHash: unknown, include: ['stats'], lookBackHours: 1000 });
		expect(lookBack?.message).toBe('Statistics Look-Back (Hours) must be a whole number from 1 to 720, not 1000.');
		expect(mdeCalls(env.emulator)).toHaveLength(0);
	});

	it('names the permission of the part it could not read; survives a 429; continues on fail', async () => {
		const { error } = await run({ operation: 'file', fileHash: mimikatz().sha1 }, { credentialId: 'readOnly' });
		expect(error?.description).toContain('"File.Read.All"');
		env.emulator.setThrottle('mde', { next429: 1, retryAfterSeconds: 0 });
		const { items } = await run({ operation: 'file', fileHash: mimikatz().sha1, include: ['info'] });
		expect(items[0].json.found).toBe(true);
		const { items: mixed } = await run({ operation: 'file', fileHash: '={{ $json.hash }}', include: ['info'] }, { continueOnFail: true, input: [{ hash: mimikatz().sha1 }, { hash: 'xyz' }] });
		expect(mixed[0].json.found).toBe(true);
		expect(mixed[1].json.error).toMatch(/^File Hash "xyz" is not a SHA-1/);
	});
});

describe('Enrichment: IP Address', () => {
	it('returns statistics, alerts and the devices that used an internal address', async () => {
		const ip = String(evidence().find((entry) => entry.ipAddress)?.ipAddress);
		const { items, error } = await run({ operation: 'ip', ipAddress: ip, include: ['stats', 'alerts'], lookBackHours: 720 });
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ ipAddress: ip, stats: { ipAddress: ip, organizationPrevalence: expect.any(Number) } });
		expect((items[0].json.alerts as unknown[]).length).toBeGreaterThan(0);
		const machine = env.emulator.store.machines[4];
		const { items: devices } = await run({ operation: 'ip', ipAddress: machine.lastIpAddress, include: ['devices'], timestamp: machine.lastSeen });
		expect((devices[0].json.devices as Array<{ id: string }>).map((device) => device.id)).toContain(machine.id);
	});

	it('checks the address and time before calling; needs Ip.Read.All; survives a 429', async () => {
		const { error: bad } = await run({ operation: 'ip', ipAddress: '300.1.1.1' });
		expect(bad?.message).toMatch(/^IP Address "300.1.1.1" is not an IPv4 or IPv6 address/);
		const { error: old } = await run({ operation: 'ip', ipAddress: '10.1.1.1', include: ['devices'], timestamp: '2019-01-01T00:00:00Z' });
		expect(old?.message).toMatch(/^Devices Seen Around .* is not within the past 30 days/);
		expect(mdeCalls(env.emulator)).toHaveLength(0);
		const { error: forbidden } = await run({ operation: 'ip', ipAddress: '10.1.1.1', include: ['stats'] }, { credentialId: 'readOnly' });
		expect(forbidden?.description).toContain('"Ip.Read.All"');
		env.emulator.setThrottle('mde', { next429: 1, retryAfterSeconds: 0 });
		const { items } = await run({ operation: 'ip', ipAddress: '2001:db8::1', include: ['stats'] });
		expect(items[0].json.stats).toMatchObject({ ipAddress: '2001:db8::1', organizationPrevalence: 0 });
	});
});

describe('Enrichment: Domain', () => {
	it('returns statistics, alerts and devices', async () => {
		const { items, error } = await run({ operation: 'domain', domain: 'GitHub.com' });
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ domain: 'github.com', stats: { host: 'github.com', organizationPrevalence: expect.any(Number) }, alerts: expect.any(Array) });
		expect((items[0].json.devices as unknown[]).length).toBeGreaterThan(0);
	});

	it('checks the domain before calling; needs URL.Read.All; survives a 429', async () => {
		const { error: url } = await run({ operation: 'domain', domain: 'https://github.com/login' });
		expect(url?.message).toMatch(/Enter only the host name/);
		expect(mdeCalls(env.emulator)).toHaveLength(0);
		const { error: forbidden } = await run({ operation: 'domain', domain: 'github.com', include: ['stats'] }, { credentialId: 'readOnly' });
		expect(forbidden?.description).toContain('"URL.Read.All"');
		env.emulator.setThrottle('mde', { next429: 1, retryAfterSeconds: 0 });
		const { items } = await run({ operation: 'domain', domain: 'unknown.example', include: ['stats', 'devices'] });
		expect(items[0].json).toMatchObject({ stats: { organizationPrevalence: 0 }, devices: [] });
	});
});

describe('Enrichment: User', () => {
	it('returns the alerts and devices of a user given by UPN', async () => {
		const account = evidence().map((entry) => entry.userAccount as Record<string, string> | undefined).find(Boolean)!;
		const { items, error } = await run({ operation: 'user', user: account.userPrincipalName });
		expect(error).toBeUndefined();
		const name = account.userPrincipalName.split('@')[0];
		expect(items[0].json.user).toBe(name);
		expect((items[0].json.alerts as unknown[]).length).toBeGreaterThan(0);
		expect((items[0].json.devices as unknown[]).length).toBeGreaterThan(0);
		expect(mdeCalls(env.emulator).map((entry) => entry.path)).toEqual([`/api/users/${name}/alerts`, `/api/users/${name}/machines`]);
	});

	it('an unknown user has no alerts; checks the name before calling; needs Machine.ReadWrite.All for devices; survives a 429', async () => {
		const { items } = await run({ operation: 'user', user: 'CONTOSO\\nobody' });
		expect(items[0].json).toEqual({ user: 'nobody', alerts: [], devices: [] });
		env.emulator.clearRequestLog();
		const { error: bad } = await run({ operation: 'user', user: '@contoso.com' });
		expect(bad?.message).toMatch(/is not a user name/);
		expect(mdeCalls(env.emulator)).toHaveLength(0);
		const { error: forbidden } = await run({ operation: 'user', user: 'nobody', include: ['devices'] }, { credentialId: 'readOnly' });
		expect(forbidden?.description).toContain('"Machine.ReadWrite.All"');
		env.emulator.setThrottle('mde', { next429: 1, retryAfterSeconds: 0 });
		const { error } = await run({ operation: 'user', user: 'nobody', include: ['alerts'] });
		expect(error).toBeUndefined();
	});
});
