import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { OFFICE_365_APP_ID } from '../../descriptions/cloudApps';
import { InvalidPathValueError } from '../../transport/paths';

/**
 * An entity is named by its id, app (saas) and instance; the request's <pk> is that triple as base64 JSON
 * (api-entities-fetch.md: `{"id":"…","saas":11161,"inst":0}`), which also keeps any `/` of an id out of the path.
 */
export const entityKeyFields: INodeProperties[] = [
	{
		displayName: 'Entity ID',
		name: 'entityId',
		type: 'string',
		default: '',
		required: true,
		placeholder: '6204bdaf-ad46-4e99-a25d-374a0532c666',
		description: 'The entity\'s ID: a user\'s Entra object ID, or an account\'s ID in its app (an alert\'s entities list both)',
	},
	{ displayName: 'App ID', name: 'entityApp', type: 'number', default: OFFICE_365_APP_ID, description: 'The entity\'s app (saas) ID: 11161 for a Microsoft 365 user' },
	{ displayName: 'Instance', name: 'entityInstance', type: 'number', default: 0, description: 'The app instance (0 unless the app has several)' },
];

function whole(value: unknown, field: string): number {
	const number = Number(value);
	if (!Number.isInteger(number) || number < 0) throw new InvalidPathValueError(field, `${field} must be a whole number of 0 or more, not "${String(value).slice(0, 20)}".`);
	return number;
}

export function entityKeyOf(this: IExecuteFunctions, itemIndex: number): string {
	const id = String(this.getNodeParameter('entityId', itemIndex, '') ?? '').trim();
	if (id === '' || id.length > 1024 || /[\u0000-\u001f]/.test(id)) {
		throw new InvalidPathValueError('Entity ID', 'Entity ID is empty or not an id: enter the entity\'s ID, e.g. 6204bdaf-ad46-4e99-a25d-374a0532c666.');
	}
	const saas = whole(this.getNodeParameter('entityApp', itemIndex, OFFICE_365_APP_ID), 'App ID');
	const inst = whole(this.getNodeParameter('entityInstance', itemIndex, 0), 'Instance');
	return Buffer.from(JSON.stringify({ id, saas, inst })).toString('base64');
}
