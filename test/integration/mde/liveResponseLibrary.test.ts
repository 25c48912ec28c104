import { createHash } from 'node:crypto';

import { Container } from '@n8n/di';
import { BinaryDataService } from 'n8n-core';
import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { useEmulator } from '../context';
import { defenderNode, runNode, runWorkflow } from '../harness';
import { mdeCalls } from './helpers';

const env = useEmulator();

const SCRIPT = '# Collects browser history\r\nparam([string]$User)\r\nGet-ChildItem "C:\\Users\\$User\\AppData" -Recurse\r\n';

function scriptItem(content: string, fileName = 'browser-history.ps1', field = 'data'): INodeExecutionData {
	return { json: {}, binary: { [field]: { data: Buffer.from(content).toString('base64'), mimeType: 'text/plain', fileName } } };
}

async function upload(parameters: INodeParameters, input: INodeExecutionData[] = [scriptItem(SCRIPT)], credentialId?: string) {
	const node = defenderNode({ resource: 'liveResponseLibrary', operation: 'upload', ...parameters }, { credentialId });
	const result = await runWorkflow({ nodes: [node], credentials: env.credentials, inputItems: input });
	return { items: result.output(node.name), error: result.error };
}

const list = () => runNode({ resource: 'liveResponseLibrary', operation: 'getAll', returnAll: true }, { credentials: env.credentials });

describe('Live Response Library', () => {
	it('lists the library files with Microsoft\'s fields', async () => {
		const { items, error } = await list();
		expect(error).toBeUndefined();
		expect(items.map((item) => item.json.fileName)).toEqual(['collect-triage.ps1', 'list-processes.sh']);
		expect(items[0].json).toMatchObject({ hasParameters: true, parametersDescription: '-Days <days of events>', createdBy: 'admin@contoso.com' });
		expect(items[0].json.sha256).toMatch(/^[0-9a-f]{64}$/);
	});

	it('uploads a script from binary input (multipart, with description and parameters) and lists it', async () => {
		const { items, error } = await upload({
			description: 'Browser history of one user',
			options: { hasParameters: true, parametersDescription: '-User <user name>' },
		});
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({
			fileName: 'browser-history.ps1',
			description: 'Browser history of one user',
			hasParameters: true,
			parametersDescription: '-User <user name>',
			createdBy: 'n8n Defender automation',
			// The bytes arrived unchanged.
			sha256: createHash('sha256').update(SCRIPT).digest('hex'),
		});
		expect(items[0].pairedItem).toEqual({ item: 0 });
		const listed = await list();
		expect(listed.items.map((item) => item.json.fileName)).toContain('browser-history.ps1');
	});

	it('refuses to replace a file unless Override If Exists is on, and takes another name and field', async () => {
		const first = await upload({ binaryPropertyName: 'script', options: { fileName: 'renamed.ps1' } }, [scriptItem('one', 'x.ps1', 'script')]);
		expect(first.items[0].json.fileName).toBe('renamed.ps1');
		const again = await upload({ binaryPropertyName: 'script', options: { fileName: 'renamed.ps1' } }, [scriptItem('two', 'x.ps1', 'script')]);
		expect(again.error?.message).toBe('BadRequest: File renamed.ps1 already exists in the library. Set OverrideIfExists to replace it.');
		const replaced = await upload({ binaryPropertyName: 'script', options: { fileName: 'renamed.ps1', overrideIfExists: true } }, [scriptItem('two', 'x.ps1', 'script')]);
		expect(replaced.items[0].json.sha256).toBe(createHash('sha256').update('two').digest('hex'));
	});

	it('checks the binary input before any request', async () => {
		const missing = await upload({ binaryPropertyName: 'nothing' });
		expect(missing.error?.message).toMatch(/nothing/);
		const folder = await upload({ options: { fileName: 'C:\\evil\\x.ps1' } });
		expect(folder.error?.message).toBe('"C:\\evil\\x.ps1" cannot be a live response library file name.');
		expect(mdeCalls(env.emulator)).toHaveLength(0);
	});

	it('a crafted MIME type cannot add headers or parts to the upload form (issue 20, point 5)', async () => {
		const item = scriptItem(SCRIPT, 'crafted.ps1');
		const binary = item.binary?.data;
		if (!binary) throw new Error('no binary');
		// CR LF ends the part's headers early: the rest would become the file's first bytes, and a
		// quote and boundary could start a part of its own.
		binary.mimeType = 'text/plain\r\n\r\nInjected"\r\n--x\r\nContent-Disposition: form-data; name="OverrideIfExists"';
		const { items, error } = await upload({}, [item]);
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ fileName: 'crafted.ps1', sha256: createHash('sha256').update(SCRIPT).digest('hex') });
		const request = env.emulator.requestLog({ api: 'mde' }).find((call) => call.method === 'POST' && call.path === '/api/libraryfiles');
		expect(request?.status).toBe(200);
	});

	it('refuses a file over 20 MB from its size before reading its bytes (issue 20, point 5)', async () => {
		const read = jest.spyOn(Container.get(BinaryDataService), 'getAsBuffer');
		try {
			const { error } = await upload({}, [scriptItem('x'.repeat(21 * 1024 * 1024), 'big.ps1')]);
			expect(error?.message).toBe(`The file in binary field "data" has ${21 * 1024 * 1024} bytes; the live response library takes 1 byte to 20 MB.`);
			expect(read).not.toHaveBeenCalled();
			expect(mdeCalls(env.emulator)).toHaveLength(0);
		} finally {
			read.mockRestore();
		}
	});

	it('deletes a file (204) and reports one that is not there (404)', async () => {
		const run = (fileName: string) => runNode({ resource: 'liveResponseLibrary', operation: 'delete', fileName }, { credentials: env.credentials });
		const deleted = await run('list-processes.sh');
		expect(deleted.items[0].json).toEqual({ fileName: 'list-processes.sh', deleted: true });
		expect(mdeCalls(env.emulator).at(-1)).toMatchObject({ method: 'DELETE', path: '/api/libraryfiles/list-processes.sh', status: 204 });
		const gone = await run('list-processes.sh');
		expect(gone.error?.message).toBe('NotFound: File list-processes.sh was not found in the library.');
	});

	it('needs Library.Manage and says so', async () => {
		const { error } = await upload({}, undefined, 'readOnly');
		expect(error?.description).toContain('"Library.Manage"');
	});
});
