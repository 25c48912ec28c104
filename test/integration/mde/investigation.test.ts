import type { INodeParameters } from 'n8n-workflow';

import { investigations, START_INVESTIGATION_PER_HOUR } from '../../emulator/mde/investigations';
import { getToken } from '../../unit/emulator/helpers';
import { useEmulator } from '../context';
import { byId, runNode } from '../harness';
import { byName, fromList, json, mdeCalls, UNKNOWN_MACHINE, windowsMachine } from './helpers';

const env = useEmulator();

const run = (parameters: INodeParameters, options: { credentialId?: string; continueOnFail?: boolean; input?: Array<Record<string, string>> } = {}) =>
	runNode({ resource: 'investigation', ...parameters }, { credentials: env.credentials, ...options });

const pairedTo = (items: Array<{ pairedItem?: unknown }>) => items.map((item) => (item.pairedItem as { item: number }).item);

describe('Investigation: Start', () => {
	it('starts an automated investigation on a device (by name) with its Comment (the emulator, like Microsoft, refuses a lower-case comment), 201 with the Investigation', async () => {
		const machine = windowsMachine(env.emulator);
		const { items, error } = await run({ operation: 'start', deviceId: byName(machine.computerDnsName), comment: 'Suspicious PowerShell' });
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ machineId: machine.id, computerDnsName: machine.computerDnsName, state: 'Running', endTime: null, id: expect.stringMatching(/^\d+$/) });
		expect(items[0].json).not.toHaveProperty('@odata.context');
		const start = mdeCalls(env.emulator).find((call) => call.method === 'POST');
		expect(start).toMatchObject({ path: `/api/machines/${machine.id}/startInvestigation`, status: 201 });
		const { items: again } = await run({ operation: 'get', investigationId: byId(String(items[0].json.id)) });
		expect(again[0].json).toMatchObject({ id: items[0].json.id, state: 'Running' });
	});

	it('an unsupported OS gives the UnsupportedOs state; an empty comment and an unknown device are refused; needs Alert.ReadWrite.All', async () => {
		const linux = env.emulator.store.machines.find((machine) => machine.osPlatform === 'Linux');
		if (!linux) throw new Error('the seed has a Linux device');
		const { items } = await run({ operation: 'start', deviceId: byId(linux.id), comment: 'check' });
		expect(items[0].json.state).toBe('UnsupportedOs');
		const { error: empty } = await run({ operation: 'start', deviceId: byId(linux.id), comment: '  ' });
		expect(empty?.message).toMatch(/^Comment is empty/);
		const { error: unknown } = await run({ operation: 'start', deviceId: byId(UNKNOWN_MACHINE), comment: 'check' });
		expect(unknown?.message).toBe(`ResourceNotFound: Machine ${UNKNOWN_MACHINE} was not found`);
		const { error: forbidden } = await run({ operation: 'start', deviceId: byId(linux.id), comment: 'check' }, { credentialId: 'readOnly' });
		expect(forbidden?.description).toContain('"Alert.ReadWrite.All"');
		expect(mdeCalls(env.emulator).filter((call) => call.method === 'POST')).toHaveLength(3);
	});

	it('is not repeated after a server error (a second call would start a second investigation); continues on fail, paired', async () => {
		const machine = windowsMachine(env.emulator);
		env.emulator.injectFaults('mde', { failNext: 1, status: 503 });
		const { error } = await run({ operation: 'start', deviceId: byId(machine.id), comment: 'once' });
		expect(error?.message).toMatch(/^ServiceUnavailable/);
		expect(mdeCalls(env.emulator).filter((call) => call.method === 'POST')).toHaveLength(1);
		const { items } = await run({ operation: 'start', deviceId: byId('={{ $json.id }}'), comment: 'batch' }, { continueOnFail: true, input: [{ id: UNKNOWN_MACHINE }, { id: machine.id }] });
		expect(items[0].json.httpCode).toBe('404');
		expect(items[1].json.machineId).toBe(machine.id);
		expect(pairedTo(items)).toEqual([0, 1]);
	});

	it('the emulator keeps Microsoft\'s 50 calls an hour: the 51st within the hour gets 429 with Retry-After', async () => {
		const machine = windowsMachine(env.emulator);
		const { items } = await run({ operation: 'start', deviceId: byId('={{ $json.id }}'), comment: 'burst' }, { input: Array.from({ length: START_INVESTIGATION_PER_HOUR }, () => ({ id: machine.id })) });
		expect(items).toHaveLength(50);
		const response = await fetch(`${env.emulator.mdeUrl}/api/machines/${machine.id}/startInvestigation`, {
			method: 'POST',
			headers: { authorization: `Bearer ${await getToken(env.emulator, env.emulator.apps.full, env.emulator.mdeUrl)}`, 'content-type': 'application/json' },
			body: JSON.stringify({ Comment: 'one too many' }),
		});
		expect(response.status).toBe(429);
		expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(3000);
	});
});

describe('Investigation: Get and Get Many', () => {
	it('gets an investigation from the list or by ID; reports not found and a malformed ID', async () => {
		const [seeded] = investigations(env.emulator.store);
		for (const investigationId of [fromList(seeded.id), byId(seeded.id)]) {
			const { items, error } = await run({ operation: 'get', investigationId });
			expect(error).toBeUndefined();
			expect(items[0].json).toEqual({ ...seeded });
		}
		const { error: notFound } = await run({ operation: 'get', investigationId: byId('99999999') });
		expect(notFound?.message).toBe('ResourceNotFound: Investigation 99999999 was not found');
		const { error: malformed } = await run({ operation: 'get', investigationId: byId('={{ "63017/../x" }}') });
		expect(malformed?.message).toBe('Investigation ID "63017/../x" is not valid. Expected something like 63017.');
		const { error: forbidden } = await run({ operation: 'get', investigationId: byId(seeded.id) }, { credentialId: 'readOnly' });
		expect(forbidden?.description).toContain('"Alert.Read.All"');
	});

	it('filters by state, device, start time, alert and id', async () => {
		const all = investigations(env.emulator.store);
		const running = all.filter((investigation) => investigation.state === 'Running');
		const { items, error } = await run({ operation: 'getAll', returnAll: true, filters: { state: ['Running'] } });
		expect(error).toBeUndefined();
		expect(json(items).map((investigation) => investigation.id).sort()).toEqual(running.map((investigation) => investigation.id).sort());
		const target = all[all.length - 1];
		const { items: one } = await run({ operation: 'getAll', returnAll: true, filters: { machineId: target.machineId, triggeringAlertId: String(target.triggeringAlertId), id: target.id } });
		expect(json(one).map((investigation) => investigation.id)).toEqual([target.id]);
		const after = all[Math.floor(all.length / 2)].startTime;
		const { items: recent } = await run({ operation: 'getAll', returnAll: true, filters: { startedAfter: after } });
		expect(recent.length).toBe(all.filter((investigation) => investigation.startTime > after).length);
		expect(decodeURIComponent(mdeCalls(env.emulator).at(-1)?.path ?? '')).toMatch(/^\/api\/investigations\?\$top=10000&\$filter=startTime gt \d{4}-/);
	});

	it('Get Many needs Alert.Read.All; checks its filters before any call; continues on fail, paired', async () => {
		const { error: forbidden } = await run({ operation: 'getAll', limit: 1 }, { credentialId: 'readOnly' });
		expect(forbidden?.description).toContain('"Alert.Read.All"');
		env.emulator.clearRequestLog();
		const { items } = await run({ operation: 'getAll', limit: 1, filters: { machineId: '={{ $json.device }}' } }, { continueOnFail: true, input: [{ device: 'laptop-7' }, { device: windowsMachine(env.emulator).id }] });
		expect(items[0].json.error).toMatch(/^Device ID "laptop-7" is not a Defender for Endpoint device ID/);
		expect(pairedTo(items)).toEqual(items.length === 1 ? [0] : [0, 1]);
		expect(mdeCalls(env.emulator)).toHaveLength(1);
	});

	it('Return All follows @odata.nextLink past Microsoft\'s 10,000 per page; a Limit asks only for what it needs', async () => {
		const list = investigations(env.emulator.store);
		const template = list[0];
		for (let index = 0; index < 10_050; index++) list.push({ ...template, id: String(200_000 + index) });
		const { items, error } = await run({ operation: 'getAll', returnAll: true });
		expect(error).toBeUndefined();
		expect(items).toHaveLength(list.length);
		expect(new Set(json(items).map((investigation) => investigation.id)).size).toBe(list.length);
		expect(mdeCalls(env.emulator).map((call) => call.path)).toEqual(['/api/investigations?$top=10000', '/api/investigations?$top=10000&$skip=10000']);
		env.emulator.reset();
		const { items: five } = await run({ operation: 'getAll', limit: 5 });
		expect(five).toHaveLength(5);
		expect(mdeCalls(env.emulator).map((call) => call.path)).toEqual(['/api/investigations?$top=5']);
	});
});
