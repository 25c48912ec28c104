import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { commonUpdateBody, getItem, updateOperation } from '../securityItems';
import { INCIDENT } from './kind';

function parseTags(value: unknown): string[] {
	const list = Array.isArray(value) ? value : String(value ?? '').split(',');
	return [...new Set(list.map((tag) => String(tag).trim()).filter(Boolean))];
}

async function incidentBody(
	this: IExecuteFunctions,
	fields: IDataObject,
	id: string,
	itemIndex: number,
): Promise<IDataObject> {
	const body = commonUpdateBody(fields);
	if (fields.customTags !== undefined) {
		const tags = parseTags(fields.customTags);
		const mode = (fields.customTagsMode as string) ?? 'replace';
		if (mode === 'replace') {
			body.customTags = tags;
		} else {
			// Graph replaces the whole list, so adding or removing needs the current tags first.
			const current = await getItem.call(this, INCIDENT, id, itemIndex);
			const existing = parseTags(current.customTags);
			body.customTags =
				mode === 'add'
					? [...new Set([...existing, ...tags])]
					: existing.filter((tag) => !tags.includes(tag));
		}
	}
	return body;
}

export const { description, execute } = updateOperation(
	INCIDENT,
	[
		{
			displayName: 'Custom Tags',
			name: 'customTags',
			type: 'string',
			default: '',
			placeholder: 'phishing, vip',
			description: 'Comma-separated tags',
		},
		{
			displayName: 'Custom Tags Mode',
			name: 'customTagsMode',
			type: 'options',
			options: [
				{ name: 'Replace All Tags', value: 'replace' },
				{ name: 'Add to Existing Tags', value: 'add' },
				{ name: 'Remove From Existing Tags', value: 'remove' },
			],
			default: 'replace',
			description: 'How Custom Tags change the incident\'s tags',
		},
	],
	incidentBody,
);
