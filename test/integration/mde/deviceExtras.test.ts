import type { INodeParameters } from 'n8n-workflow';

import { useEmulator } from '../context';
import { byId, runNode } from '../harness';
import { byName, fastActions, mdeCalls, UNKNOWN_MACHINE, windowsMachine } from './helpers';

/** Device: Set Device Value and Get Isolation State; Indicator: Get. */
const env = useEmulator();

const run = (parameters: INodeParameters, options: { credentialId?: string; continueOnFail?: boolean; input?: Array<Record<string, string>> } = {}) =>
	runNode(parameters, { credentials: env.credentials, ...options });

const pairedTo = (items: Array<{ pairedItem?: unknown }>) => items.map((item) => (item.pairedItem as { item: number }).item);

async function act(operation: 'isolate' | 'releaseFromIsolation', deviceId: string, extra: INodeParameters = {}): Promise<string> {
	const { items, error } = await run({ resource: 'responseAction', operation, deviceId: byId(deviceId), comment: `${operation} by test`, ...extra });
	if (error) throw error;
	return String(items[0].json.id);
}

const isolationState = async (deviceId: string) => (await run({ resource: 'device', operation: 'getIsolationState', deviceId: byId(deviceId) })).items[0].json;

describe('Device: Set Device Value', () => {
	it('sends DeviceValue (case as documented) and returns the updated device', async () => {
		const machine = windowsMachine(env.emulator);
		const { items, error } = await run({ resource: 'device', operation: 'setDeviceValue', deviceId: byName(machine.computerDnsName), deviceValue: 'High' });
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ id: machine.id, deviceValue: 'High' });
		expect(items[0].json).not.toHaveProperty('@odata.context');
		expect(env.emulator.store.machines.find((candidate) => candidate.id === machine.id)?.deviceValue).toBe('High');
		expect(mdeCalls(env.emulator).at(-1)).toMatchObject({ method: 'POST', path: `/api/machines/${machine.id}/setDeviceValue`, status: 200 });
	});

	it('refuses a value Microsoft does not know before any call; needs Machine.ReadWrite.All; retried after a 503 (it is idempotent); continues on fail', async () => {
		const machine = windowsMachine(env.emulator);
		const { error: bad } = await run({ resource: 'device', operation: 'setDeviceValue', deviceId: byId(machine.id), deviceValue: '={{ "Critical" }}' });
		expect(bad?.message).toBe('Device Value "Critical" is not one of Normal, Low, High.');
		expect(mdeCalls(env.emulator)).toHaveLength(0);
		const { error: forbidden } = await run({ resource: 'device', operation: 'setDeviceValue', deviceId: byId(machine.id), deviceValue: 'Low' }, { credentialId: 'readOnly' });
		expect(forbidden?.description).toContain('"Machine.ReadWrite.All"');
		env.emulator.clearRequestLog();
		env.emulator.injectFaults('mde', { failNext: 1, status: 503 });
		const { items: retried, error } = await run({ resource: 'device', operation: 'setDeviceValue', deviceId: byId(machine.id), deviceValue: 'Low' });
		expect(error).toBeUndefined();
		expect(retried[0].json.deviceValue).toBe('Low');
		expect(mdeCalls(env.emulator).map((call) => call.status)).toEqual([503, 200]);
		const { items } = await run({ resource: 'device', operation: 'setDeviceValue', deviceId: byId('={{ $json.id }}'), deviceValue: 'Normal' }, { continueOnFail: true, input: [{ id: UNKNOWN_MACHINE }, { id: machine.id }] });
		expect(items.map((item) => item.json.httpCode ?? item.json.deviceValue)).toEqual(['404', 'Normal']);
		expect(pairedTo(items)).toEqual([0, 1]);
	});
});

describe('Device: Get Isolation State', () => {
	it('is NotIsolated with no isolate or release action, Pending while one is under way, then Isolated, then NotIsolated again', async () => {
		const machine = windowsMachine(env.emulator, 1);
		expect(await isolationState(machine.id)).toMatchObject({ deviceId: machine.id, isolationState: 'NotIsolated', pendingAction: null, decidingAction: null, isolateAndReleaseActions: 0 });
		env.emulator.mde.setMachineActionBehaviour({ pendingMs: null, inProgressMs: null, outcome: 'Succeeded' });
		const isolation = await act('isolate', machine.id, { isolationType: 'Selective' });
		expect(await isolationState(machine.id)).toMatchObject({ isolationState: 'Pending', pendingAction: 'Isolate', isolationType: 'Selective', decidingAction: { id: isolation, type: 'Isolate', status: 'Pending' } });
		env.emulator.mde.setMachineActionStatus(isolation, 'Succeeded');
		expect(await isolationState(machine.id)).toMatchObject({ isolationState: 'Isolated', pendingAction: null, isolationType: 'Selective', decidingAction: { id: isolation, status: 'Succeeded' } });
		env.emulator.setClockOffset(60_000);
		const release = await act('releaseFromIsolation', machine.id);
		expect(await isolationState(machine.id)).toMatchObject({ isolationState: 'Pending', pendingAction: 'Release', decidingAction: { id: release, type: 'Unisolate' } });
		env.emulator.mde.setMachineActionStatus(release, 'Succeeded');
		expect(await isolationState(machine.id)).toMatchObject({ isolationState: 'NotIsolated', decidingAction: { id: release, type: 'Unisolate', status: 'Succeeded' }, isolateAndReleaseActions: 2 });
		const query = decodeURIComponent(mdeCalls(env.emulator).filter((call) => call.method === 'GET').at(-1)?.path ?? '');
		expect(query).toBe(`/api/machineactions?$filter=machineId eq '${machine.id}' and (type eq 'Isolate' or type eq 'Unisolate')&$top=10000`);
	});

	it('a failed or cancelled action does not change the state: the last one that succeeded decides', async () => {
		const machine = windowsMachine(env.emulator, 2);
		fastActions(env.emulator, 0, 0);
		const isolation = await act('isolate', machine.id);
		env.emulator.setClockOffset(60_000);
		env.emulator.mde.setMachineActionBehaviour({ pendingMs: 0, inProgressMs: 0, outcome: 'Failed' });
		await act('releaseFromIsolation', machine.id);
		expect(await isolationState(machine.id)).toMatchObject({ isolationState: 'Isolated', decidingAction: { id: isolation, status: 'Succeeded' }, isolateAndReleaseActions: 2 });
	});

	it('needs Machine.Read.All only; reports an unknown device; continues on fail', async () => {
		const machine = windowsMachine(env.emulator);
		const { items: readOnly, error } = await run({ resource: 'device', operation: 'getIsolationState', deviceId: byId(machine.id) }, { credentialId: 'readOnly' });
		expect(error).toBeUndefined();
		expect(readOnly[0].json.isolationState).toBe('NotIsolated');
		const { items } = await run({ resource: 'device', operation: 'getIsolationState', deviceId: byName('={{ $json.name }}') }, { continueOnFail: true, input: [{ name: 'no-such-device.contoso.com' }, { name: machine.computerDnsName }] });
		expect(items[0].json.error).toBe('No device named "no-such-device.contoso.com" was found in Defender for Endpoint.');
		expect(items[1].json).toMatchObject({ deviceId: machine.id, computerDnsName: machine.computerDnsName, isolationState: 'NotIsolated' });
		expect(pairedTo(items)).toEqual([0, 1]);
	});
});

describe('Indicator: Get', () => {
	it('gets an indicator by its ID; reports a missing one with a hint; checks the ID; continues on fail', async () => {
		env.emulator.mde.addIndicators(3);
		const first = { id: String(env.emulator.mde.indicators()[0].id), indicatorValue: String(env.emulator.mde.indicators()[0].indicatorValue) };
		const { items, error } = await run({ resource: 'indicator', operation: 'get', indicatorId: first.id });
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({ id: first.id, indicatorValue: first.indicatorValue });
		expect(decodeURIComponent(mdeCalls(env.emulator).at(-1)?.path ?? '')).toBe(`/api/indicators?$filter=id eq '${first.id}'`);
		const { error: missing } = await run({ resource: 'indicator', operation: 'get', indicatorId: '424242' });
		expect(missing?.message).toBe('No indicator with the ID 424242 was found.');
		expect(missing?.description).toMatch(/Ti\.ReadWrite \(not \.All\) sees only the indicators it created/);
		const { error: malformed } = await run({ resource: 'indicator', operation: 'get', indicatorId: 'abc' });
		expect(malformed?.message).toBe('Indicator ID "abc" is not an indicator ID (a number, e.g. 995).');
		const { error: forbidden } = await run({ resource: 'indicator', operation: 'get', indicatorId: first.id }, { credentialId: 'readOnly' });
		expect(forbidden?.description).toContain('"Ti.ReadWrite.All"');
		const { items: mixed } = await run({ resource: 'indicator', operation: 'get', indicatorId: '={{ $json.id }}' }, { continueOnFail: true, input: [{ id: '424242' }, { id: first.id }] });
		expect(mixed.map((item) => item.json.id ?? item.json.error)).toEqual(['No indicator with the ID 424242 was found.', first.id]);
		expect(pairedTo(mixed)).toEqual([0, 1]);
	});
});
