import type { IExecuteFunctions } from 'n8n-workflow';

import { apiPath, fromField } from '../../transport/paths';
import { readLibraryFileName } from '../liveResponse/session';

/** /api/libraryfiles: list-library-files.md, upload-library.md, delete-library.md (defender-endpoint/api). */
export const LIBRARY_PATH = '/api/libraryfiles';
export const LIBRARY_PERMISSION = 'Library.Manage';

export function libraryFilePath(this: IExecuteFunctions, itemIndex: number): { fileName: string; path: string } {
	const fileName = readLibraryFileName.call(this, 'fileName', 'File Name', itemIndex);
	return { fileName, path: apiPath`/api/libraryfiles/${fromField('File Name', fileName)}` };
}
