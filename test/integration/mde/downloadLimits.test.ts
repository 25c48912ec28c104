/**
 * Issue 20, point 3: downloads are streamed into n8n's binary data and bounded. A file larger
 * than Request Options → Maximum Download Size (MB) is refused before it is read when the storage
 * host announces its length, and stopped while it is read when it does not; a gzip body is
 * counted after inflation, so a small gzip bomb is refused too. Stop ends a download that is
 * still running. And (point 5) the storage host's file name becomes a safe base name.
 */
import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';

import type { LargeBody, StorageRequest } from '../../emulator';
import { generatedSha256 } from '../../emulator/storage/largeBodies';
import { useEmulator } from '../context';
import { byId, runNode } from '../harness';
import { settledWithin, startCancellableRun, waitUntil } from '../operatorControl.helpers';
import { fastActions, windowsMachine } from './helpers';

const env = useEmulator();
const MB = 1024 * 1024;

/** A Succeeded Collect Investigation Package action, whose package the storage host will serve as `body`. */
async function succeededCollection(offset: number, body: LargeBody): Promise<string> {
	fastActions(env.emulator, 0, 0);
	const machine = windowsMachine(env.emulator, offset);
	const started = await runNode({ resource: 'responseAction', operation: 'collectInvestigationPackage', deviceId: byId(machine.id), comment: 'collect' }, { credentials: env.credentials });
	const actionId = String(started.items[0].json.id);
	env.emulator.mde.setMachineActionStatus(actionId, 'Succeeded');
	env.emulator.serveLargeBodies(body);
	return actionId;
}

const downloadPackage = (actionId: string, maxDownloadSizeMb?: number): INodeParameters => ({
	resource: 'machineAction',
	operation: 'downloadPackage',
	machineActionId: byId(actionId),
	...(maxDownloadSizeMb === undefined ? {} : { requestOptions: { maxDownloadSizeMb } }),
});

const packageDownloads = (): StorageRequest[] => env.emulator.storageLog().filter((request) => request.path.startsWith('/safedownload/'));

function binaryBytes(item: INodeExecutionData, field: string): Buffer {
	const binary = item.binary?.[field];
	if (!binary) throw new Error(`No binary field ${field}`);
	return Buffer.from(binary.data, 'base64');
}

describe('Download limits (Download Investigation Package)', () => {
	it('refuses a gzip bomb (256 MB inflated from a few hundred KB) with an error naming the limit and the option', async () => {
		const actionId = await succeededCollection(0, { kind: 'gzipBomb', inflatedBytes: 256 * MB });
		const { items, error } = await runNode(downloadPackage(actionId, 10), { credentials: env.credentials, continueOnFail: true });
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		expect(items[0].binary).toBeUndefined();
		expect(items[0].json.error).toBe(
			`The investigation package of machine action ${actionId} passed 10 MB while downloading (counted after decompression) and was stopped: more than the Maximum Download Size of 10 MB. Nothing was kept.`,
		);
		expect(String(items[0].json.description)).toContain('Raise Request Options → Maximum Download Size (MB)');
	});

	it('refuses a body whose Content-Length is over the limit before reading it', async () => {
		const actionId = await succeededCollection(1, { kind: 'generated', bytes: 64 * MB });
		const { error } = await runNode(downloadPackage(actionId, 10), { credentials: env.credentials });
		expect(error?.message).toBe(
			`The storage host announced 64 MB for the investigation package of machine action ${actionId}, which was not downloaded: more than the Maximum Download Size of 10 MB. Nothing was kept.`,
		);
		// The connection was closed long before the 64 MB were sent.
		expect(await waitUntil(() => packageDownloads()[0]?.outcome === 'closed early', 5_000)).toBe(true);
		expect(packageDownloads()[0].bytesSent).toBeLessThan(32 * MB);
	});

	it('stops a body sent without Content-Length once it passes the limit while counting', async () => {
		const actionId = await succeededCollection(2, { kind: 'generated', bytes: 64 * MB, announceLength: false });
		const { error } = await runNode(downloadPackage(actionId, 10), { credentials: env.credentials });
		expect(error?.message).toBe(
			`The investigation package of machine action ${actionId} passed 10 MB while downloading (counted after decompression) and was stopped: more than the Maximum Download Size of 10 MB. Nothing was kept.`,
		);
		expect(await waitUntil(() => packageDownloads()[0]?.outcome === 'closed early', 5_000)).toBe(true);
		expect(packageDownloads()[0].bytesSent).toBeLessThan(32 * MB);
	});

	it('a package within the limit lands as binary data with the right bytes, under a safe base name (not the path the storage host sent)', async () => {
		const bytes = 3 * MB + 12_345;
		const actionId = await succeededCollection(3, { kind: 'generated', bytes, announceLength: false, fileName: '..\\..\\Startup\\evil.zip' });
		const { items, error } = await runNode(downloadPackage(actionId), { credentials: env.credentials });
		expect(error).toBeUndefined();
		const data = binaryBytes(items[0], 'data');
		expect(data.length).toBe(bytes);
		const { createHash } = await import('node:crypto');
		expect(createHash('sha256').update(new Uint8Array(data)).digest('hex')).toBe(await generatedSha256(bytes));
		expect(items[0].binary?.data).toMatchObject({ fileName: 'evil.zip', mimeType: 'application/zip' });
		expect(items[0].binary?.data.directory).toBeUndefined();
		expect(items[0].json.investigationPackage).toEqual({ binaryField: 'data', fileName: 'evil.zip', bytes });
		expect(packageDownloads()[0].status).toBe(200);
		expect(await waitUntil(() => packageDownloads()[0].outcome === 'complete', 2_000)).toBe(true);
	});

	it('Stop during a download aborts it: the run ends within 2 s, the connection is closed, no file is output', async () => {
		const actionId = await succeededCollection(4, { kind: 'generated', bytes: 1024 * MB, stallAfterBytes: 2 * MB });
		const run = startCancellableRun(downloadPackage(actionId, 2048), { credentials: env.credentials });
		expect(await waitUntil(() => (packageDownloads()[0]?.bytesSent ?? 0) >= 2 * MB, 10_000)).toBe(true);
		const cancelledAt = run.cancel();
		const outcome = await settledWithin(run.settled, 2_000);
		expect(outcome).not.toBe('still running');
		const settled = outcome as Exclude<typeof outcome, 'still running'>;
		expect(settled.at - cancelledAt).toBeLessThan(2_000);
		const output = settled.run?.run.data.resultData.runData[run.node.name]?.[0]?.data?.main?.[0] ?? [];
		expect(output.filter((item) => item.binary)).toEqual([]);
		expect(await waitUntil(() => packageDownloads()[0]?.outcome === 'closed early', 2_000)).toBe(true);
	});
});

describe('Download limits (Live Response: Get File)', () => {
	beforeEach(() => {
		env.emulator.mde.setLiveResponseBehaviour({ pendingMs: 0, inProgressMs: 100, outcome: 'Succeeded' });
	});

	it('a file from the device larger than the limit is stopped while counting, and the item fails naming the limit', async () => {
		const machine = windowsMachine(env.emulator, 5);
		env.emulator.mde.putDeviceFile(machine.id, 'C:\\Windows\\memory.dmp', 'placeholder');
		env.emulator.serveLargeBodies({ kind: 'generated', bytes: 64 * MB, announceLength: false });
		const { error } = await runNode(
			{
				resource: 'liveResponse',
				operation: 'getFile',
				deviceId: byId(machine.id),
				path: 'C:\\Windows\\memory.dmp',
				comment: 'Incident 42: memory dump',
				waitForCompletion: true,
				pollIntervalSeconds: 0.1,
				waitTimeoutSeconds: 20,
				requestOptions: { maxDownloadSizeMb: 5 },
			},
			{ credentials: env.credentials },
		);
		expect(error?.message).toMatch(/^The result of live response command 1 \(machine action [0-9a-f-]{36}\) passed 5 MB while downloading \(counted after decompression\) and was stopped: more than the Maximum Download Size of 5 MB\. Nothing was kept\.$/);
	});
});
