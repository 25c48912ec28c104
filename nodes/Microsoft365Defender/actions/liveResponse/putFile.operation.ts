import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { liveResponseDescription, readLibraryFileName, runSession } from './session';

export const description = liveResponseDescription('putFile', [
	{
		displayName: 'File Name',
		name: 'fileName',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'tool.exe',
		description: 'A file in the live response library; Microsoft puts it in the session\'s working folder on the device, which is emptied when the device restarts',
	},
]);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const fileName = readLibraryFileName.call(this, 'fileName', 'File Name', itemIndex);
	return await runSession.call(this, itemIndex, { commands: [{ type: 'PutFile', params: [{ key: 'FileName', value: fileName }] }], fileFields: new Map() });
}
