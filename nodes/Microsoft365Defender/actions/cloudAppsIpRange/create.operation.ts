import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { showFor } from '../defenderForEndpoint';
import { cloudAppsList, cloudAppsRequest } from '../cloudApps';
import { IP_RANGE_PERMISSION, ipRangeFields, ruleBody } from './fields';

export const description = showFor(
	'cloudAppsIpRange',
	'create',
	ipRangeFields.map((field) => (['name', 'subnets'].includes(field.name) ? { ...field, required: true } : field)),
);

/**
 * api-data-enrichment-create.md: POST /api/v1/subnet/create_rule/; "returns the id of the new range as a string". The
 * transport hands operations JSON objects only, so the new range is read back by its name, which is unique.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const rule: IDataObject = {};
	for (const field of ipRangeFields) rule[field.name] = this.getNodeParameter(field.name, itemIndex, field.default);
	const body = ruleBody(rule);
	await cloudAppsRequest.call(this, { method: 'POST', path: '/api/v1/subnet/create_rule/', body, permission: IP_RANGE_PERMISSION, itemIndex });
	const ranges = await cloudAppsList.call(this, { method: 'POST', path: '/api/v1/subnet/', body: { filters: {} }, permission: 'Settings.read', itemIndex });
	const created = ranges.find((range) => String(range.name ?? '').toLowerCase() === String(body.name).toLowerCase());
	return { id: created?._id, ...body, tags: (body.tags as IDataObject[]).map((tag) => tag.text) };
}
