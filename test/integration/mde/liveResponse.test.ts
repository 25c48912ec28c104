import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { useEmulator } from '../context';
import { byId, runNode } from '../harness';
import { mdeCalls, windowsMachine } from './helpers';

const env = useEmulator();

const WAIT = { waitForCompletion: true, pollIntervalSeconds: 0.1, waitTimeoutSeconds: 20 };

const run = (parameters: INodeParameters, options: { credentialId?: string; continueOnFail?: boolean } = {}) =>
	runNode({ resource: 'liveResponse', comment: 'Incident 42: live response', ...WAIT, ...parameters }, { credentials: env.credentials, ...options });

function fileOf(item: INodeExecutionData, field: string): Buffer {
	const binary = item.binary?.[field];
	if (!binary) throw new Error(`No binary field ${field}`);
	return Buffer.from(binary.data, 'base64');
}

function expectNoAuthorizationAtStorage(): void {
	const log = env.emulator.storageLog();
	expect(log.length).toBeGreaterThan(0);
	for (const request of log) expect(Object.keys(request.headers).map((name) => name.toLowerCase())).not.toContain('authorization');
}

beforeEach(() => {
	env.emulator.mde.setLiveResponseBehaviour({ pendingMs: 0, inProgressMs: 200, outcome: 'Succeeded' });
});

describe('Live Response: Run Script', () => {
	it('runs a library script with its arguments and returns the transcript as item fields', async () => {
		const machine = windowsMachine(env.emulator);
		env.emulator.mde.setScriptResult('collect-triage.ps1', { exitCode: 3, output: 'found 2 suspicious events\n', errors: 'access denied to one log' });
		const { items, error } = await run({ operation: 'runScript', deviceId: byId(machine.id), scriptName: 'collect-triage.ps1', args: '-Days 7' });
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({
			type: 'LiveResponse',
			status: 'Succeeded',
			machineId: machine.id,
			scriptName: 'collect-triage.ps1',
			exitCode: 3,
			scriptOutput: 'found 2 suspicious events\n',
			scriptErrors: 'access denied to one log',
			wait: { completed: true },
		});
		expect(items[0].json.commands).toEqual([
			expect.objectContaining({
				index: 0,
				commandStatus: 'Completed',
				command: { type: 'RunScript', params: [{ key: 'ScriptName', value: 'collect-triage.ps1' }, { key: 'Args', value: '-Days 7' }] },
			}),
		]);
		const routes = mdeCalls(env.emulator).map((call) => `${call.method} ${call.path.split('?')[0]}`);
		expect(routes[0]).toBe(`POST /api/machines/${machine.id}/runliveresponse`);
		expect(routes.at(-1)).toMatch(/^GET \/api\/machineactions\/[0-9a-f-]{36}\/GetLiveResponseResultDownloadLink\(index=0\)$/);
		expectNoAuthorizationAtStorage();
	});

	it('without Wait for Completion returns the new session only', async () => {
		env.emulator.mde.setLiveResponseBehaviour({ pendingMs: null });
		const { items } = await run({ operation: 'runScript', deviceId: byId(windowsMachine(env.emulator).id), scriptName: 'list-processes.sh', waitForCompletion: false });
		expect(items[0].json).toMatchObject({ type: 'LiveResponse', status: 'Pending' });
		expect(items[0].json.note).toMatch(/results are fetched only when the node waits/);
		expect(env.emulator.storageLog()).toHaveLength(0);
	});

	it('a script missing from the library ends the session Failed, with Microsoft\'s command error', async () => {
		const { error } = await run({ operation: 'runScript', deviceId: byId(windowsMachine(env.emulator).id), scriptName: 'nope.ps1' });
		expect(error?.message).toMatch(/^Live response session [0-9a-f-]{36} ended Failed: command 1 \(RunScript\): Script nope\.ps1 was not found in the live response library\.$/);
	});

	it('needs Machine.LiveResponse and says so', async () => {
		const { error } = await run({ operation: 'runScript', deviceId: byId(windowsMachine(env.emulator).id), scriptName: 'list-processes.sh' }, { credentialId: 'readOnly' });
		expect(error?.message).toMatch(/^Forbidden/);
		expect(error?.description).toContain('"Machine.LiveResponse"');
	});
});

describe('Live Response: Get File', () => {
	it('returns the file from the device as binary data, downloaded without the bearer token', async () => {
		const machine = windowsMachine(env.emulator, 1);
		const content = Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0xff, 0xfe, 0x0a, 0x41]);
		env.emulator.mde.putDeviceFile(machine.id, 'C:\\Windows\\Temp\\dropper.bin', content);
		const { items, error } = await run({ operation: 'getFile', deviceId: byId(machine.id), path: 'C:\\Windows\\Temp\\dropper.bin', binaryPropertyName: 'evidence' });
		expect(error).toBeUndefined();
		expect(fileOf(items[0], 'evidence').toString('hex')).toBe(content.toString('hex'));
		expect(items[0].binary?.evidence.fileName).toBe('dropper.bin');
		expect(items[0].json.results).toEqual([{ index: 0, type: 'GetFile', path: 'C:\\Windows\\Temp\\dropper.bin', binaryField: 'evidence', fileName: 'dropper.bin', bytes: 8 }]);
		expectNoAuthorizationAtStorage();
	});

	it('a path that is not on the device fails the item with the path named (Continue On Fail keeps going)', async () => {
		const { items } = await run({ operation: 'getFile', deviceId: byId(windowsMachine(env.emulator).id), path: 'C:\\missing.txt' }, { continueOnFail: true });
		expect(items[0].json.error).toMatch(/ended Failed: command 1 \(GetFile\): File C:\\missing\.txt was not found on the device\.$/);
		expect(items[0].pairedItem).toEqual({ item: 0 });
	});

	it('checks the path and the binary field before any request', async () => {
		const { error } = await run({ operation: 'getFile', deviceId: byId(windowsMachine(env.emulator).id), path: '  ' });
		expect(error?.message).toBe('Path is empty: enter the full path of the file on the device.');
		expect(mdeCalls(env.emulator)).toHaveLength(0);
	});
});

describe('Live Response: Put File and Run Commands', () => {
	it('Put File copies a library file to the device', async () => {
		const { items, error } = await run({ operation: 'putFile', deviceId: byId(windowsMachine(env.emulator).id), fileName: 'list-processes.sh' });
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ status: 'Succeeded', results: [{ index: 0, type: 'PutFile', fileName: 'list-processes.sh' }] });
		expect(env.emulator.storageLog()).toHaveLength(0);
	});

	it('Run Commands: PutFile, RunScript and two GetFiles in one session; the files in data and data_2', async () => {
		const machine = windowsMachine(env.emulator, 2);
		env.emulator.mde.putDeviceFile(machine.id, 'C:\\logs\\app.log', 'line 1\nline 2\n');
		const putPath = 'C:\\ProgramData\\Microsoft\\Windows Defender Advanced Threat Protection\\Downloads\\collect-triage.ps1';
		const { items, error } = await run({
			operation: 'runCommands',
			deviceId: byId(machine.id),
			commands: {
				command: [
					{ type: 'PutFile', libraryFile: 'collect-triage.ps1' },
					{ type: 'RunScript', libraryFile: 'list-processes.sh' },
					{ type: 'GetFile', path: 'C:\\logs\\app.log' },
					{ type: 'GetFile', path: putPath },
				],
			},
		});
		expect(error).toBeUndefined();
		const results = items[0].json.results as Array<Record<string, unknown>>;
		expect(results.map((result) => result.type)).toEqual(['PutFile', 'RunScript', 'GetFile', 'GetFile']);
		expect(results[1]).toMatchObject({ exitCode: 0, scriptOutput: `Ran list-processes.sh on ${machine.computerDnsName}\n` });
		expect(fileOf(items[0], 'data').toString('utf8')).toBe('line 1\nline 2\n');
		expect(fileOf(items[0], 'data_2').toString('utf8')).toContain('Get-WinEvent');
		expect(mdeCalls(env.emulator).filter((call) => call.method === 'POST')).toHaveLength(1);
		expectNoAuthorizationAtStorage();
	});

	it('refuses commands out of Microsoft\'s order (PutFile, RunScript, GetFile) before any request', async () => {
		const { error } = await run({
			operation: 'runCommands',
			deviceId: byId(windowsMachine(env.emulator).id),
			commands: { command: [{ type: 'GetFile', path: 'C:\\a.txt' }, { type: 'RunScript', libraryFile: 'list-processes.sh' }] },
		});
		expect(error?.message).toBe('Command 2 (RunScript) comes after a GetFile.');
		expect(error?.description).toMatch(/Put File commands, then Run Script, then Get File/);
		expect(mdeCalls(env.emulator)).toHaveLength(0);
	});
});

describe('Live Response: one session per device (ActiveRequestAlreadyExists)', () => {
	it('names the running session, and with "Wait for It, Then Start" waits for it and then runs', async () => {
		const machine = windowsMachine(env.emulator, 3);
		env.emulator.mde.setLiveResponseBehaviour({ pendingMs: 0, inProgressMs: null });
		const first = await run({ operation: 'runScript', deviceId: byId(machine.id), scriptName: 'list-processes.sh', waitForCompletion: false });
		const firstId = String(first.items[0].json.id);

		const refused = await run({ operation: 'runScript', deviceId: byId(machine.id), scriptName: 'list-processes.sh' });
		expect(refused.error?.message).toBe(
			`Device ${machine.id} already has a live response session running (machine action ${firstId}, InProgress, requested by n8n Defender automation); Microsoft runs one session per device.`,
		);
		expect(refused.error?.description).toMatch(/Wait for It, Then Start/);

		env.emulator.mde.setLiveResponseBehaviour({ pendingMs: 0, inProgressMs: 200 });
		setTimeout(() => env.emulator.mde.setMachineActionStatus(firstId, 'Succeeded'), 500);
		const queued = await run({ operation: 'runScript', deviceId: byId(machine.id), scriptName: 'list-processes.sh', options: { ifSessionRunning: 'waitThenStart' } });
		expect(queued.error).toBeUndefined();
		expect(queued.items[0].json).toMatchObject({ status: 'Succeeded', exitCode: 0 });
		expect(queued.items[0].json.id).not.toBe(firstId);
		const posts = mdeCalls(env.emulator).filter((call) => call.method === 'POST');
		expect(posts.map((call) => call.status)).toEqual([201, 400, 400, 201]);
	});
});
