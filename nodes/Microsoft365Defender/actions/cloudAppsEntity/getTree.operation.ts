import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { apiPath, fromField } from '../../transport/paths';
import { showFor } from '../defenderForEndpoint';
import { cloudAppsRequest } from '../cloudApps';
import { entityKeyFields, entityKeyOf } from './key';

export const description = showFor('cloudAppsEntity', 'getTree', entityKeyFields);

/**
 * api-entities-fetch-tree.md: GET /api/v1/entities/<pk>/retrieve_tree/ — a user with all its accounts, an account
 * with its parent and siblings. The page calls pk "the ID of the entity"; the node sends the same key as Get (the
 * fetch page's form).
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const key = entityKeyOf.call(this, itemIndex);
	return await cloudAppsRequest.call(this, {
		method: 'GET',
		path: apiPath`/api/v1/entities/${fromField('Entity ID', key)}/retrieve_tree/`,
		permission: 'Investigation.read',
		itemIndex,
	});
}
