import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { apiPath, fromField, validateId } from '../../transport/paths';
import { mdeRequest, showFor, withoutContext } from '../defenderForEndpoint';
import { INVESTIGATION_ID, investigationLocator } from './common';

export const description = showFor('investigation', 'get', [investigationLocator]);

/** get-investigation-object.md: GET /api/investigations/{id}. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const id = validateId(this.getNodeParameter('investigationId', itemIndex, undefined, { extractValue: true }), INVESTIGATION_ID);
	const investigation = await mdeRequest.call(this, {
		method: 'GET',
		path: apiPath`/api/investigations/${fromField(INVESTIGATION_ID.label, id)}`,
		permission: 'Alert.Read.All',
		itemIndex,
	});
	return [withoutContext(investigation)];
}
