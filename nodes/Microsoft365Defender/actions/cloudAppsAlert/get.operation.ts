import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { apiPath, fromField } from '../../transport/paths';
import { showFor } from '../defenderForEndpoint';
import { cloudAppsRequest, validateObjectId } from '../cloudApps';
import { cloudAppsAlertLocator } from './locator';

export const description = showFor('cloudAppsAlert', 'get', [cloudAppsAlertLocator]);

export function alertIdOf(this: IExecuteFunctions, itemIndex: number): string {
	return validateObjectId(this.getNodeParameter('alertId', itemIndex, undefined, { extractValue: true }), 'Alert');
}

/** api-alerts-fetch.md: GET /api/v1/alerts/<pk>/ */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const id = alertIdOf.call(this, itemIndex);
	return await cloudAppsRequest.call(this, { method: 'GET', path: apiPath`/api/v1/alerts/${fromField('Alert', id)}/`, permission: 'Investigation.read', itemIndex });
}
