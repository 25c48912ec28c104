import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { IP_RANGE_CATEGORIES } from '../../descriptions/cloudApps';
import { InvalidPathValueError } from '../../transport/paths';
import { stringList, validateSubnets } from '../cloudApps';

/** The fields of an IP range rule (api-data-enrichment-create.md, -update.md). */
export const ipRangeFields: INodeProperties[] = [
	{ displayName: 'Name', name: 'name', type: 'string', default: '', description: 'Unique name of the range' },
	{
		displayName: 'Category',
		name: 'category',
		type: 'options',
		options: IP_RANGE_CATEGORIES,
		default: 1,
		description: 'How Cloud Apps treats activity from these addresses (corporate and VPN ranges shape its scores)',
	},
	{ displayName: 'Subnets', name: 'subnets', type: 'string', default: '', placeholder: '203.0.113.0/24, 2001:db8::/32', description: 'Comma-separated IPv4 or IPv6 ranges' },
	{ displayName: 'Organization', name: 'organization', type: 'string', default: '', description: 'The registered ISP' },
	{ displayName: 'Tags', name: 'tags', type: 'string', default: '', description: 'Comma-separated tag names, new or existing' },
];

export const IP_RANGE_PERMISSION = 'Settings.manage';

/** The body create_rule / update_rule take, from a rule's fields; every field is sent (update empties what is left out). */
export function ruleBody(rule: IDataObject): IDataObject {
	const name = String(rule.name ?? '').trim();
	if (name === '') throw new InvalidPathValueError('Name', 'Name is empty: an IP range needs a unique name.');
	const category = Number(rule.category);
	if (!IP_RANGE_CATEGORIES.some((option) => option.value === category)) {
		throw new InvalidPathValueError('Category', `Category must be one of ${IP_RANGE_CATEGORIES.map((option) => `${String(option.value)} (${option.name})`).join(', ')}.`);
	}
	return {
		name,
		category,
		subnets: validateSubnets(rule.subnets),
		organization: String(rule.organization ?? ''),
		// api-data-enrichment-update.md: tags are objects whose "text" is the tag name.
		tags: stringList(rule.tags).map((text) => ({ text })),
	};
}
