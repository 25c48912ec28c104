import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { apiPath, fromField } from '../../transport/paths';
import { showFor } from '../defenderForEndpoint';
import { cloudAppsRequest, validateObjectId } from '../cloudApps';
import { IP_RANGE_PERMISSION } from './fields';

export const ipRangeFieldOf: INodeProperties = {
	displayName: 'IP Range ID',
	name: 'ipRangeId',
	type: 'string',
	default: '',
	required: true,
	placeholder: '5fd767259cd24bb563567d7c',
	description: 'The range\'s _id, as Get Many and Create return it',
};

export const description = showFor('cloudAppsIpRange', 'delete', [ipRangeFieldOf]);

/** api-data-enrichment-delete.md: DELETE /api/v1/subnet/<ip_range_id>/ */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const id = validateObjectId(this.getNodeParameter('ipRangeId', itemIndex, ''), 'IP Range ID');
	await cloudAppsRequest.call(this, { method: 'DELETE', path: apiPath`/api/v1/subnet/${fromField('IP Range ID', id)}/`, permission: IP_RANGE_PERMISSION, itemIndex });
	return { id, deleted: true };
}
