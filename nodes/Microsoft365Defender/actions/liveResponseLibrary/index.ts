import type { INodeProperties } from 'n8n-workflow';

import { operationSelector } from '../../descriptions/common';

import * as deleteFile from './delete.operation';
import * as getAll from './getAll.operation';
import * as upload from './upload.operation';

export { deleteFile, getAll, upload };

export const description: INodeProperties[] = [
	operationSelector('liveResponseLibrary', 'getAll', [
		{ name: 'Delete', value: 'delete', action: 'Delete a live response library file', description: 'Remove a file or script from the library' },
		{ name: 'Get Many', value: 'getAll', action: 'Get many live response library files', description: 'List the files and scripts in the library' },
		{ name: 'Upload', value: 'upload', action: 'Upload a file to the live response library', description: 'Add a script or file from binary data' },
	]),
	...getAll.description,
	...upload.description,
	...deleteFile.description,
];
