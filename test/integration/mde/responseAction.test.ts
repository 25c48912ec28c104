import type { INodeParameters } from 'n8n-workflow';

import { useEmulator } from '../context';
import { byId, runNode } from '../harness';
import { byName, fastActions, mdeCalls, UNKNOWN_MACHINE, windowsMachine } from './helpers';

const env = useEmulator();

const SHA1 = '87662bc3d60e4200ceaf7aae249d1c343f4b83c9';

const run = (parameters: INodeParameters, options: { credentialId?: string; continueOnFail?: boolean; input?: Array<Record<string, string>> } = {}) =>
	runNode({ resource: 'responseAction', ...parameters }, { credentials: env.credentials, ...options });

interface Case {
	operation: string;
	type: string;
	permission: string;
	extra: INodeParameters;
	scope?: string;
}

const CASES: Case[] = [
	{ operation: 'isolate', type: 'Isolate', permission: 'Machine.Isolate', extra: { isolationType: 'Selective' }, scope: 'Selective' },
	{ operation: 'releaseFromIsolation', type: 'Unisolate', permission: 'Machine.Isolate', extra: {} },
	{ operation: 'runAntivirusScan', type: 'RunAntiVirusScan', permission: 'Machine.Scan', extra: { scanType: 'Full' }, scope: 'Full' },
	{ operation: 'collectInvestigationPackage', type: 'CollectInvestigationPackage', permission: 'Machine.CollectForensics', extra: {} },
	{ operation: 'restrictAppExecution', type: 'RestrictCodeExecution', permission: 'Machine.RestrictExecution', extra: {} },
	{ operation: 'removeAppRestriction', type: 'UnrestrictCodeExecution', permission: 'Machine.RestrictExecution', extra: {} },
	{ operation: 'stopAndQuarantineFile', type: 'StopAndQuarantineFile', permission: 'Machine.StopAndQuarantine', extra: { sha1: SHA1.toUpperCase() } },
	{ operation: 'offboard', type: 'Offboard', permission: 'Machine.Offboard', extra: {} },
];

describe.each(CASES)('Response action: $operation', ({ operation, type, permission, extra, scope }) => {
	it('creates the machine action (201) with the comment and returns it', async () => {
		const machine = windowsMachine(env.emulator);
		const { items, error } = await run({ operation, deviceId: byId(machine.id), comment: `${type} for incident 42`, ...extra });
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({ type, status: 'Pending', machineId: machine.id, requestorComment: `${type} for incident 42` });
		expect(items[0].json['@odata.context']).toBeUndefined();
		if (scope) expect(items[0].json.scope).toBe(scope);
		if (type === 'StopAndQuarantineFile') expect(items[0].json.relatedFileInfo).toEqual({ fileIdentifier: SHA1, fileIdentifierType: 'Sha1' });
		const post = mdeCalls(env.emulator).find((entry) => entry.method === 'POST');
		expect(post?.status).toBe(201);
	});

	it('reports an unknown device, an empty comment and a malformed device ID before calling', async () => {
		const { error: notFound } = await run({ operation, deviceId: byId(UNKNOWN_MACHINE), comment: 'x', ...extra });
		expect(notFound?.message).toBe(`ResourceNotFound: Machine ${UNKNOWN_MACHINE} was not found`);
		env.emulator.clearRequestLog();
		const { error: noComment } = await run({ operation, deviceId: byId(windowsMachine(env.emulator).id), comment: '  ', ...extra });
		expect(noComment?.message).toBe('Comment is empty: Defender for Endpoint requires a comment on every response action.');
		const { error: badId } = await run({ operation, deviceId: byId('={{ "not-a-device" }}'), comment: 'x', ...extra });
		expect(badId?.message).toMatch(/^Device "not-a-device" is not a Defender for Endpoint device ID/);
		expect(mdeCalls(env.emulator)).toHaveLength(0);
	});

	it(`needs ${permission}, and sends once after a 429 (a POST is never repeated after a server error)`, async () => {
		const machine = windowsMachine(env.emulator, 1);
		const { error: forbidden } = await run({ operation, deviceId: byId(machine.id), comment: 'x', ...extra }, { credentialId: 'readOnly' });
		expect(forbidden?.message).toMatch(/^Forbidden/);
		expect(forbidden?.description).toContain(`"${permission}"`);

		env.emulator.clearRequestLog();
		env.emulator.setThrottle('mde', { next429: 1, retryAfterSeconds: 0 });
		const { items, error } = await run({ operation, deviceId: byId(machine.id), comment: 'x', ...extra });
		expect(error).toBeUndefined();
		expect(items[0].json.type).toBe(type);
		expect(mdeCalls(env.emulator).map((entry) => entry.status)).toEqual([429, 201]);
		expect(env.emulator.mde.machineActions()).toHaveLength(1);

		env.emulator.injectFaults('mde', { failNext: 1, status: 500 });
		const { error: serverError } = await run({ operation, deviceId: byId(windowsMachine(env.emulator, 2).id), comment: 'x', ...extra });
		expect(serverError?.message).toMatch(/^InternalServerError/);
		expect(mdeCalls(env.emulator).filter((entry) => entry.method === 'POST')).toHaveLength(3);
	});
});

describe('Response actions: more', () => {
	it('fills the comment from the workflow by default', async () => {
		const { items } = await run({ operation: 'isolate', deviceId: byId(windowsMachine(env.emulator).id) });
		expect(items[0].json.requestorComment).toMatch(/^n8n workflow ".*", execution \S+/);
	});

	it('checks the SHA-1 of Stop and Quarantine File before calling', async () => {
		const { error } = await run({ operation: 'stopAndQuarantineFile', deviceId: byId(windowsMachine(env.emulator).id), comment: 'x', sha1: 'a'.repeat(64) });
		expect(error?.message).toMatch(/^File SHA-1 "a{64}" is not a SHA-1 hash .* It looks like a SHA-256/);
		expect(error?.description).toBe('Check the "File SHA-1" parameter of item 0.');
		expect(mdeCalls(env.emulator)).toHaveLength(0);
	});

	it("passes on Microsoft's refusal for an unsupported platform", async () => {
		const linux = env.emulator.store.machines.find((machine) => machine.osPlatform === 'Linux')!;
		const { error } = await run({ operation: 'offboard', deviceId: byName(linux.computerDnsName), comment: 'x' });
		expect(error?.message).toBe("OsPlatformNotSupported: OS Platform Linux isn't supported for this action.");
	});

	it('refuses a second action while one is pending, or uses the running one when asked', async () => {
		env.emulator.mde.setMachineActionBehaviour({ pendingMs: null });
		const machine = windowsMachine(env.emulator);
		const first = await run({ operation: 'isolate', deviceId: byId(machine.id), comment: 'first' });
		const { error } = await run({ operation: 'isolate', deviceId: byId(machine.id), comment: 'second' });
		expect(error?.message).toBe('BadRequest: Action is already in progress');
		const reused = await run({ operation: 'isolate', deviceId: byId(machine.id), comment: 'third', options: { ifAlreadyRunning: 'useRunning' } });
		expect(reused.error).toBeUndefined();
		expect(reused.items[0].json).toMatchObject({ id: first.items[0].json.id, requestorComment: 'first', reusedRunningAction: true });
		// A release conflicts with the pending isolation but is not the same action: Microsoft's error stands.
		const release = await run({ operation: 'releaseFromIsolation', deviceId: byId(machine.id), comment: 'x', options: { ifAlreadyRunning: 'useRunning' } });
		expect(release.error?.message).toBe('BadRequest: Action is already in progress');
	});

	it('continues on fail item by item, output paired with input', async () => {
		const machine = windowsMachine(env.emulator);
		const { items } = await run(
			{ operation: 'runAntivirusScan', deviceId: byId('={{ $json.device }}'), comment: 'scan', scanType: 'Quick' },
			{ continueOnFail: true, input: [{ device: machine.id }, { device: UNKNOWN_MACHINE }, { device: machine.id }] },
		);
		expect(items).toHaveLength(3);
		expect(items[0].json.status).toBe('Pending');
		expect(items[1].json).toMatchObject({ error: `ResourceNotFound: Machine ${UNKNOWN_MACHINE} was not found`, httpCode: '404' });
		expect(items[2].json).toMatchObject({ error: 'BadRequest: Action is already in progress', httpCode: '400' });
		expect(items.map((item) => (item.pairedItem as { item: number }).item)).toEqual([0, 1, 2]);
	});
});

describe('Wait for Completion', () => {
	const wait = { waitForCompletion: true, pollIntervalSeconds: 0.05, waitTimeoutSeconds: 5 };

	it('checks the action until it has Succeeded and says so', async () => {
		fastActions(env.emulator, 50, 100);
		const machine = windowsMachine(env.emulator);
		const { items, error } = await run({ operation: 'isolate', deviceId: byId(machine.id), comment: 'contain', ...wait });
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ type: 'Isolate', status: 'Succeeded', wait: { completed: true, finalStatus: 'Succeeded', timedOut: false, lastStatus: 'Succeeded' } });
		const wait0 = items[0].json.wait as { checks: number; waitedSeconds: number };
		expect(wait0.checks).toBeGreaterThanOrEqual(2);
		const gets = mdeCalls(env.emulator).filter((entry) => entry.method === 'GET' && entry.path.startsWith('/api/machineactions/'));
		expect(gets).toHaveLength(wait0.checks);
	});

	it.each(['Failed', 'TimeOut'] as const)('reports a final status of %s', async (outcome) => {
		env.emulator.mde.setMachineActionBehaviour({ pendingMs: 0, inProgressMs: 50, outcome });
		const { items } = await run({ operation: 'runAntivirusScan', deviceId: byId(windowsMachine(env.emulator).id), comment: 'scan', scanType: 'Quick', ...wait });
		expect(items[0].json).toMatchObject({ status: outcome, wait: { completed: true, finalStatus: outcome, timedOut: false } });
	});

	it('reports a cancellation that happens while it waits', async () => {
		env.emulator.mde.setMachineActionBehaviour({ pendingMs: null });
		const machine = windowsMachine(env.emulator);
		const running = run({ operation: 'collectInvestigationPackage', deviceId: byId(machine.id), comment: 'collect', ...wait });
		for (let attempt = 0; attempt < 100 && env.emulator.mde.machineActions().length === 0; attempt++) await new Promise((resolve) => setTimeout(resolve, 10));
		env.emulator.mde.setMachineActionStatus(String(env.emulator.mde.machineActions()[0].id), 'Cancelled');
		const { items } = await running;
		expect(items[0].json).toMatchObject({ status: 'Cancelled', wait: { completed: true, finalStatus: 'Cancelled' } });
	});

	it('stops waiting at the timeout and says the action is still running', async () => {
		env.emulator.mde.setMachineActionBehaviour({ pendingMs: 0, inProgressMs: null });
		const started = Date.now();
		const { items, error } = await run({
			operation: 'isolate',
			deviceId: byId(windowsMachine(env.emulator).id),
			comment: 'contain',
			waitForCompletion: true,
			pollIntervalSeconds: 0.1,
			waitTimeoutSeconds: 0.5,
		});
		expect(error).toBeUndefined();
		expect(Date.now() - started).toBeGreaterThanOrEqual(500);
		expect(items[0].json).toMatchObject({ status: 'InProgress', wait: { completed: false, finalStatus: null, timedOut: true, lastStatus: 'InProgress' } });
	});

	it('waits out a 429 while checking, and refuses a zero interval', async () => {
		fastActions(env.emulator, 0, 200);
		const machine = windowsMachine(env.emulator);
		const { error: badInterval } = await run({ operation: 'isolate', deviceId: byId(machine.id), comment: 'x', ...wait, pollIntervalSeconds: 0 });
		expect(badInterval?.message).toBe('Check Every (Seconds) must be a positive number of seconds, not 0.');
		const created = run({ operation: 'isolate', deviceId: byId(machine.id), comment: 'x', ...wait });
		for (let attempt = 0; attempt < 100 && env.emulator.mde.machineActions().length === 0; attempt++) await new Promise((resolve) => setTimeout(resolve, 5));
		env.emulator.setThrottle('mde', { next429: 1, retryAfterSeconds: 0 });
		const { items, error } = await created;
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ status: 'Succeeded', wait: { completed: true } });
		expect(mdeCalls(env.emulator).some((entry) => entry.status === 429)).toBe(true);
	});
});
