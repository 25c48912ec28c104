import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { apiPath, fromField } from '../../transport/paths';
import { showFor } from '../defenderForEndpoint';
import { cloudAppsList, cloudAppsRequest, validateObjectId } from '../cloudApps';
import { ipRangeFieldOf } from './delete.operation';
import { IP_RANGE_PERMISSION, ipRangeFields, ruleBody } from './fields';

export const description = showFor('cloudAppsIpRange', 'update', [
	ipRangeFieldOf,
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add field',
		default: {},
		options: ipRangeFields,
		description: 'Only the fields set here change; the others keep their current values',
	},
]);

/** A listed range's values in the form the update takes. */
function currentRule(range: IDataObject): IDataObject {
	const subnets = Array.isArray(range.subnets) ? (range.subnets as IDataObject[]).map((subnet) => String(subnet.originalString ?? '')).filter(Boolean) : [];
	const tags = Array.isArray(range.tags) ? (range.tags as IDataObject[]).map((tag) => String(tag.name ?? tag.text ?? '')).filter(Boolean) : [];
	return { name: range.name, category: range.category, subnets, organization: range.organization ?? '', tags };
}

/**
 * api-data-enrichment-update.md: POST /api/v1/subnet/<id>/update_rule/ replaces the whole rule (an optional field left
 * out is emptied). No page documents reading one range, so the range is found in the list (GET /api/v1/subnet/),
 * the fields set here are laid over it, and the whole rule is sent.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const id = validateObjectId(this.getNodeParameter('ipRangeId', itemIndex, ''), 'IP Range ID');
	const changes = this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;
	if (Object.keys(changes).length === 0) {
		throw new NodeOperationError(this.getNode(), 'No field to update: add at least one under Update Fields.', { itemIndex });
	}
	const ranges = await cloudAppsList.call(this, { method: 'POST', path: '/api/v1/subnet/', body: { filters: {} }, permission: 'Settings.read', itemIndex });
	const range = ranges.find((candidate) => String(candidate._id) === id);
	if (!range) {
		throw new NodeOperationError(this.getNode(), `No IP range with the ID ${id} was found.`, { itemIndex, description: 'Get Many lists the ranges with their IDs.' });
	}
	const body = ruleBody({ ...currentRule(range), ...changes });
	await cloudAppsRequest.call(this, { method: 'POST', path: apiPath`/api/v1/subnet/${fromField('IP Range ID', id)}/update_rule/`, body, permission: IP_RANGE_PERMISSION, itemIndex, idempotent: true });
	return { id, ...body, tags: (body.tags as IDataObject[]).map((tag) => tag.text) };
}
