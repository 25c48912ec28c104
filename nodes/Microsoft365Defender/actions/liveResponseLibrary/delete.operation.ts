import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { mdeRequest, showFor } from '../defenderForEndpoint';
import { LIBRARY_PERMISSION, libraryFilePath } from './common';

export const description = showFor('liveResponseLibrary', 'delete', [
	{
		displayName: 'File Name',
		name: 'fileName',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'collect-logs.ps1',
		description: 'The name of the file in the live response library',
	},
]);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const { fileName, path } = libraryFilePath.call(this, itemIndex);
	await mdeRequest.call(this, { method: 'DELETE', path, permission: LIBRARY_PERMISSION, itemIndex });
	return { fileName, deleted: true };
}
