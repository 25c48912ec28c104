import type { INodeParameters } from 'n8n-workflow';

import { useEmulator } from '../context';
import { byId, runNode } from '../harness';
import { fromList, mdeCalls, windowsMachine } from './helpers';

const env = useEmulator();

const UNKNOWN_ACTION = '5382f7ea-7557-4ab7-9782-d50480024a4e';

const run = (parameters: INodeParameters, options: { credentialId?: string; continueOnFail?: boolean; input?: Array<Record<string, string>> } = {}) =>
	runNode({ resource: 'machineAction', ...parameters }, { credentials: env.credentials, ...options });

async function startAction(segment: string, offset = 0, body: Record<string, unknown> = {}): Promise<string> {
	const machine = windowsMachine(env.emulator, offset);
	const { items, error } = await runNode(
		{ resource: 'responseAction', operation: segment, deviceId: byId(machine.id), comment: `${segment} by test`, ...body },
		{ credentials: env.credentials },
	);
	if (error) throw error;
	return String(items[0].json.id);
}

describe('Machine Action: Get', () => {
	it('gets an action by ID or from the list', async () => {
		env.emulator.mde.setMachineActionBehaviour({ pendingMs: null });
		const id = await startAction('isolate');
		for (const machineActionId of [byId(id), fromList(id)]) {
			const { items, error } = await run({ operation: 'get', machineActionId });
			expect(error).toBeUndefined();
			expect(items[0].json).toMatchObject({ id, type: 'Isolate', status: 'Pending' });
		}
	});

	it('reports not found and a malformed ID; survives a 429; continues on fail', async () => {
		const { error: notFound } = await run({ operation: 'get', machineActionId: byId(UNKNOWN_ACTION) });
		expect(notFound?.message).toBe(`ResourceNotFound: MachineAction ${UNKNOWN_ACTION} was not found`);
		const { error: invalid } = await run({ operation: 'get', machineActionId: byId('abc') });
		expect(invalid?.message).toBe('Machine Action "abc" is not a machine action ID, e.g. 5382f7ea-7557-4ab7-9782-d50480024a4e.');
		const id = await startAction('runAntivirusScan', 0, { scanType: 'Quick' });
		env.emulator.setThrottle('mde', { next429: 1, retryAfterSeconds: 0 });
		const { items, error } = await run({ operation: 'get', machineActionId: byId(id) });
		expect(error).toBeUndefined();
		expect(items[0].json.id).toBe(id);
		const { items: mixed } = await run({ operation: 'get', machineActionId: byId('={{ $json.id }}') }, { continueOnFail: true, input: [{ id }, { id: UNKNOWN_ACTION }] });
		expect(mixed[0].json.id).toBe(id);
		expect(mixed[1].json.httpCode).toBe('404');
	});
});

describe('Machine Action: Get Many', () => {
	it('filters by device, type, status, requestor and creation time', async () => {
		env.emulator.mde.setMachineActionBehaviour({ pendingMs: null });
		const isolated = await startAction('isolate', 0);
		await startAction('runAntivirusScan', 1, { scanType: 'Quick' });
		const machine = windowsMachine(env.emulator, 0);
		const { items, error } = await run({
			operation: 'getAll',
			returnAll: true,
			filters: { machineId: machine.id, type: ['Isolate'], status: ['Pending', 'InProgress'], requestor: 'n8n Defender automation', createdAfter: new Date(Date.now() - 60_000).toISOString() },
		});
		expect(error).toBeUndefined();
		expect(items.map((item) => item.json.id)).toEqual([isolated]);
		const { items: all } = await run({ operation: 'getAll', returnAll: false, limit: 1 });
		expect(all).toHaveLength(1);
	});

	it('checks the device ID filter, survives a 429 and needs Machine.Read.All', async () => {
		const { error: invalid } = await run({ operation: 'getAll', limit: 5, filters: { machineId: 'xyz' } });
		expect(invalid?.message).toMatch(/^Device ID "xyz" is not a Defender for Endpoint device ID/);
		env.emulator.setThrottle('mde', { next429: 1, retryAfterSeconds: 0 });
		const { error } = await run({ operation: 'getAll', limit: 5 });
		expect(error).toBeUndefined();
		const app = env.emulator.registerApp({ clientId: '99999999-0000-0000-0000-000000000002', secrets: [{ value: 'no-roles' }], roles: { mde: ['Machine.Isolate'] } });
		const credentials = { ...env.credentials, isolateOnly: { ...env.credentials.full, clientId: app.clientId, clientSecret: 'no-roles' } };
		const { error: forbidden } = await runNode({ resource: 'machineAction', operation: 'getAll', limit: 5 }, { credentials, credentialId: 'isolateOnly' });
		expect(forbidden?.description).toContain('"Machine.Read.All"');
	});
});

describe('Machine Action: Cancel', () => {
	it('cancels a pending action with a comment', async () => {
		env.emulator.mde.setMachineActionBehaviour({ pendingMs: null });
		const id = await startAction('restrictAppExecution');
		const { items, error } = await run({ operation: 'cancel', machineActionId: byId(id), comment: 'false positive' });
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ id, status: 'Cancelled', cancellationComment: 'false positive' });
	});

	it('passes on the refusal to cancel a finished action; reports not found and an empty comment; survives a 429', async () => {
		env.emulator.mde.setMachineActionBehaviour({ pendingMs: 0, inProgressMs: 0 });
		const id = await startAction('restrictAppExecution');
		const { error: finished } = await run({ operation: 'cancel', machineActionId: byId(id), comment: 'too late' });
		expect(finished?.message).toBe(`BadRequest: Machine action ${id} is already in a final state (Succeeded) and cannot be cancelled.`);
		const { error: notFound } = await run({ operation: 'cancel', machineActionId: byId(UNKNOWN_ACTION), comment: 'x' });
		expect(notFound?.message).toBe(`ResourceNotFound: MachineAction ${UNKNOWN_ACTION} was not found`);
		const { error: noComment } = await run({ operation: 'cancel', machineActionId: byId(id), comment: '={{ "" }}' });
		expect(noComment?.message).toBe('Comment is empty: write why the action is cancelled.');
		env.emulator.mde.setMachineActionBehaviour({ pendingMs: null });
		const pending = await startAction('removeAppRestriction', 3);
		env.emulator.setThrottle('mde', { next429: 1, retryAfterSeconds: 0 });
		const { items } = await run({ operation: 'cancel', machineActionId: byId(pending), comment: 'x' });
		expect(items[0].json.status).toBe('Cancelled');
	});

	it('names the response permissions when the app has none', async () => {
		env.emulator.mde.setMachineActionBehaviour({ pendingMs: null });
		const id = await startAction('isolate');
		const { error } = await run({ operation: 'cancel', machineActionId: byId(id), comment: 'x' }, { credentialId: 'readOnly' });
		expect(error?.description).toMatch(/Machine\.Isolate, Machine\.Scan/);
	});
});

describe('Machine Action: Get Investigation Package Download URL', () => {
	it('gives the download URL of a collected package, without the quotes Microsoft wraps it in', async () => {
		fastActions();
		const id = await startAction('collectInvestigationPackage');
		const { items, error } = await run({ operation: 'getPackageUri', machineActionId: byId(id) });
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ machineActionId: id, downloadUrl: expect.stringMatching(/^https:\/\/[^"]+WDATP_Investigation_Package\.zip\?token=[^"]+$/) });
	});

	it('reports a package that is not collected yet, a malformed ID; survives a 429', async () => {
		env.emulator.mde.setMachineActionBehaviour({ pendingMs: null });
		const id = await startAction('collectInvestigationPackage');
		const { error: notYet } = await run({ operation: 'getPackageUri', machineActionId: byId(id) });
		expect(notYet?.message).toMatch(/^ResourceNotFound: Investigation package of machine action/);
		const { error: invalid } = await run({ operation: 'getPackageUri', machineActionId: byId('={{ "1; DROP" }}') });
		expect(invalid?.message).toMatch(/is not a machine action ID/);
		env.emulator.mde.setMachineActionStatus(id, 'Succeeded');
		env.emulator.setThrottle('mde', { next429: 1, retryAfterSeconds: 0 });
		const { items } = await run({ operation: 'getPackageUri', machineActionId: byId(id) });
		expect(items[0].json.downloadUrl).toMatch(/^https:/);
		expect(mdeCalls(env.emulator).filter((entry) => entry.path.endsWith('/getPackageUri')).map((entry) => entry.status)).toEqual([404, 429, 200]);
	});
});

function fastActions(): void {
	env.emulator.mde.setMachineActionBehaviour({ pendingMs: 0, inProgressMs: 0, outcome: 'Succeeded' });
}
