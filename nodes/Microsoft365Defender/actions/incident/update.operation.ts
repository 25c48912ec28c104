import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { commonUpdateBody, getItem, updateOperation } from '../securityItems';
import { INCIDENT } from './kind';

function parseTags(value: unknown): string[] {
	const list = Array.isArray(value) ? value : String(value ?? '').split(',');
	return [...new Set(list.map((tag) => String(tag).trim()).filter(Boolean))];
}

function tagChange(fields: IDataObject): { mode: string; tags: string[] } | undefined {
	if (fields.customTags === undefined) return undefined;
	return { mode: (fields.customTagsMode as string) ?? 'replace', tags: parseTags(fields.customTags) };
}

async function incidentBody(
	this: IExecuteFunctions,
	fields: IDataObject,
	id: string,
	itemIndex: number,
): Promise<IDataObject> {
	const body = commonUpdateBody(fields);
	const change = tagChange(fields);
	if (change) {
		const { mode, tags } = change;
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

/**
 * Graph has no ETag on incidents, so adding or removing tags is read, then write: another
 * execution writing in between would undo this one's change. Reading again after the write
 * shows whether it stuck; if not, the item reads and writes again.
 */
async function tagsChangeStuck(this: IExecuteFunctions, fields: IDataObject, id: string, itemIndex: number): Promise<boolean> {
	const change = tagChange(fields);
	if (!change || change.mode === 'replace') return true;
	const now = parseTags((await getItem.call(this, INCIDENT, id, itemIndex)).customTags);
	return change.tags.every((tag) => now.includes(tag) === (change.mode === 'add'));
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
	tagsChangeStuck,
);
