import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { apiPath, fromField } from '../../transport/paths';
import { showFor } from '../defenderForEndpoint';
import { cloudAppsRequest, validateObjectId } from '../cloudApps';

export const description = showFor('cloudAppsFile', 'get', [
	{ displayName: 'File ID', name: 'fileId', type: 'string', default: '', required: true, placeholder: '5f077b9f7d7b5ab8f2a1c4d2', description: 'The file\'s _id, as Get Many returns it' },
]);

/** api-files-fetch.md: GET /api/v1/files/<pk>/ */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const id = validateObjectId(this.getNodeParameter('fileId', itemIndex, ''), 'File ID');
	return await cloudAppsRequest.call(this, { method: 'GET', path: apiPath`/api/v1/files/${fromField('File ID', id)}/`, permission: 'Investigation.read', itemIndex });
}
