import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { apiPath, fromField } from '../../transport/paths';
import { mdeRequest, showFor, withoutContext } from '../defenderForEndpoint';
import { locatedId, RECOMMENDATION_ID, recommendationLocator } from '../vulnerabilityManagement';

export const description = showFor('recommendation', 'getSoftware', [recommendationLocator]);

/**
 * list-recommendation-software.md: GET /api/recommendations/{id}/software, which needs
 * Software.Read.All. Microsoft's example answers with the one product itself, not a collection;
 * a `value` list is taken as well.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const id = locatedId.call(this, itemIndex, 'recommendationId', RECOMMENDATION_ID);
	const path = apiPath`/api/recommendations/${fromField(RECOMMENDATION_ID.label, id)}/software`;
	const response = await mdeRequest.call(this, { method: 'GET', path, permission: 'Software.Read.All', itemIndex });
	const products = Array.isArray(response.value) ? (response.value as IDataObject[]) : [withoutContext(response)];
	return products.map((product) => ({ recommendationId: id, ...product }));
}
