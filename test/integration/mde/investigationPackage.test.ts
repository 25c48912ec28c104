import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { readZip } from '../../emulator/storage/zip';
import { useEmulator } from '../context';
import { byId, runNode } from '../harness';
import { fastActions, mdeCalls, windowsMachine } from './helpers';

const env = useEmulator();

const run = (parameters: INodeParameters, options: { continueOnFail?: boolean } = {}) => runNode(parameters, { credentials: env.credentials, ...options });

function binaryBytes(item: INodeExecutionData, field: string): Buffer {
	const binary = item.binary?.[field];
	if (!binary) throw new Error(`No binary field ${field} in ${JSON.stringify(Object.keys(item.binary ?? {}))}`);
	return Buffer.from(binary.data, 'base64');
}

const collectAndDownload = (machineId: string, extra: INodeParameters = {}) =>
	run({
		resource: 'responseAction',
		operation: 'collectInvestigationPackage',
		deviceId: byId(machineId),
		comment: 'Incident 42: collect evidence',
		waitForCompletion: true,
		pollIntervalSeconds: 0.1,
		waitTimeoutSeconds: 20,
		downloadPackage: true,
		...extra,
	});

describe('Investigation package as a file', () => {
	it('Collect Investigation Package with Download Package waits, then returns the zip as binary data', async () => {
		fastActions(env.emulator, 0, 200);
		const machine = windowsMachine(env.emulator);
		const { items, error } = await collectAndDownload(machine.id, { binaryPropertyName: 'package' });
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({ type: 'CollectInvestigationPackage', status: 'Succeeded', machineId: machine.id, wait: { completed: true } });
		expect(items[0].pairedItem).toEqual({ item: 0 });
		const binary = items[0].binary?.package;
		expect(binary).toMatchObject({ fileName: 'WDATP_Investigation_Package.zip', mimeType: 'application/zip' });

		// A real zip: opened, its entries checked (CRC-32 included) and their content read.
		const entries = readZip(binaryBytes(items[0], 'package'));
		expect(entries.map((entry) => entry.name)).toEqual(expect.arrayContaining(['Processes/Processes.csv', 'CollectionSummaryReport.xls']));
		const processes = entries.find((entry) => entry.name === 'Processes/Processes.csv');
		expect(processes?.content.toString('utf8')).toContain(`${machine.computerDnsName} (${machine.id}) by machine action ${String(items[0].json.id)}`);
		expect(items[0].json.investigationPackage).toEqual({ binaryField: 'package', fileName: 'WDATP_Investigation_Package.zip', bytes: binaryBytes(items[0], 'package').length });

		// The link went to the storage host (its own host and port), which got no Authorization header.
		const storage = env.emulator.storageLog();
		expect(storage).toHaveLength(1);
		expect(storage[0]).toMatchObject({ method: 'GET', status: 200 });
		expect(storage[0].path).toBe('/safedownload/WDATP_Investigation_Package.zip');
		expect(Object.keys(storage[0].headers).map((name) => name.toLowerCase())).not.toContain('authorization');
		expect(JSON.stringify(storage[0].headers)).not.toMatch(/bearer|eyJ/i);
		expect(new URL(env.emulator.storageUrl).host).not.toBe(new URL(env.emulator.mdeUrl).host);
		// The signed link itself is not in the output item.
		expect(JSON.stringify(items[0].json)).not.toContain('token=');
	});

	it('Machine Action → Download Investigation Package downloads the package of a Succeeded action', async () => {
		fastActions(env.emulator, 0, 0);
		const machine = windowsMachine(env.emulator, 1);
		const started = await run({ resource: 'responseAction', operation: 'collectInvestigationPackage', deviceId: byId(machine.id), comment: 'collect' });
		const actionId = String(started.items[0].json.id);
		env.emulator.mde.setMachineActionStatus(actionId, 'Succeeded');
		const { items, error } = await run({ resource: 'machineAction', operation: 'downloadPackage', machineActionId: byId(actionId) });
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ id: actionId, status: 'Succeeded' });
		expect(readZip(binaryBytes(items[0], 'data')).length).toBeGreaterThan(3);
		expect(env.emulator.storageLog().every((request) => request.headers.authorization === undefined)).toBe(true);
	});

	it('refuses a package that is not ready, or an action of another type, before asking for the link', async () => {
		env.emulator.mde.setMachineActionBehaviour({ pendingMs: null });
		const machine = windowsMachine(env.emulator, 2);
		const pending = await run({ resource: 'responseAction', operation: 'collectInvestigationPackage', deviceId: byId(machine.id), comment: 'collect' });
		const isolate = await run({ resource: 'responseAction', operation: 'isolate', deviceId: byId(machine.id), comment: 'isolate' });
		env.emulator.clearRequestLog();

		const notReady = await run({ resource: 'machineAction', operation: 'downloadPackage', machineActionId: byId(String(pending.items[0].json.id)) });
		expect(notReady.error?.message).toBe(`The investigation package of machine action ${String(pending.items[0].json.id)} is not ready: the action is Pending.`);
		const wrongType = await run({ resource: 'machineAction', operation: 'downloadPackage', machineActionId: byId(String(isolate.items[0].json.id)) }, { continueOnFail: true });
		expect(wrongType.items[0].json.error).toMatch(/\(type Isolate\) is not a CollectInvestigationPackage action: it has no investigation package\.$/);
		expect(mdeCalls(env.emulator).filter((call) => /getPackageUri/i.test(call.path))).toHaveLength(0);
		expect(env.emulator.storageLog()).toHaveLength(0);
	});

	it('a wait that times out says the package was not downloaded, and which action to download later', async () => {
		env.emulator.mde.setMachineActionBehaviour({ pendingMs: null });
		const { error } = await collectAndDownload(windowsMachine(env.emulator, 3).id, { waitTimeoutSeconds: 0.3 });
		expect(error?.message).toMatch(/^The investigation package was not downloaded: machine action [0-9a-f-]{36} was still Pending after/);
		expect(env.emulator.storageLog()).toHaveLength(0);
	});

	it('the storage host refuses a request that brings an Authorization header (as Azure Storage does for a SAS link)', async () => {
		fastActions(env.emulator, 0, 0);
		const machine = windowsMachine(env.emulator, 4);
		const started = await run({ resource: 'responseAction', operation: 'collectInvestigationPackage', deviceId: byId(machine.id), comment: 'collect' });
		env.emulator.mde.setMachineActionStatus(String(started.items[0].json.id), 'Succeeded');
		const link = await run({ resource: 'machineAction', operation: 'getPackageUri', machineActionId: byId(String(started.items[0].json.id)) });
		const url = String(link.items[0].json.downloadUrl);
		expect(url).toMatch(new RegExp(`^${env.emulator.storageUrl}/safedownload/WDATP_Investigation_Package\\.zip\\?token=[0-9a-f]{32}$`));
		const withToken = await fetch(url, { headers: { Authorization: 'Bearer x' } });
		expect(withToken.status).toBe(400);
		expect(await withToken.text()).toContain('<Code>InvalidAuthenticationInfo</Code>');
		expect((await fetch(url)).status).toBe(200);
	});
});
