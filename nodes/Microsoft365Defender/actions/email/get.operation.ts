import { NodeOperationError, updateDisplayOptions, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { apiPath, fromField } from '../../transport/paths';
import { defenderApiRequest } from '../../transport/request';
import { ANALYZED_EMAILS_PATH, EMAIL_READ_PERMISSION } from './common';

/** GET /security/collaboration/analyzedEmails/{id} (api-reference/v1.0/api/security-analyzedemail-get.md). */
export const description = updateDisplayOptions({ show: { resource: ['email'], operation: ['get'] } }, [
	{
		displayName: 'Analyzed Email ID',
		name: 'analyzedEmailId',
		type: 'string',
		default: '',
		required: true,
		placeholder: '73ca4154-58d8-43d0-a890-08dc18c52e6d-1311265001240363512-1',
		description: 'The ID of the analyzed email (one recipient\'s copy), from Get Many',
	},
]);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const id = String(this.getNodeParameter('analyzedEmailId', itemIndex, '') ?? '').trim();
	if (!id) throw new NodeOperationError(this.getNode(), 'Analyzed Email ID is empty: give the ID of the email to get.', { itemIndex });
	return await defenderApiRequest.call(this, {
		api: 'graph',
		method: 'GET',
		path: ANALYZED_EMAILS_PATH + apiPath`/${fromField('Analyzed Email ID', id)}`,
		batchable: true,
		permission: EMAIL_READ_PERMISSION,
		itemIndex,
	});
}
