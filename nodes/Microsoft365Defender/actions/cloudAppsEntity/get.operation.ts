import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { apiPath, fromField } from '../../transport/paths';
import { showFor } from '../defenderForEndpoint';
import { cloudAppsRequest } from '../cloudApps';
import { entityKeyFields, entityKeyOf } from './key';

export const description = showFor('cloudAppsEntity', 'get', entityKeyFields);

/** api-entities-fetch.md: GET /api/v1/entities/<pk>/ */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const key = entityKeyOf.call(this, itemIndex);
	return await cloudAppsRequest.call(this, { method: 'GET', path: apiPath`/api/v1/entities/${fromField('Entity ID', key)}/`, permission: 'Investigation.read', itemIndex });
}
