import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { apiPath, fromField } from '../../transport/paths';
import { showFor } from '../defenderForEndpoint';
import { cloudAppsRequest } from '../cloudApps';
import { alertIdOf } from './get.operation';
import { cloudAppsAlertLocator } from './locator';

export const description = showFor('cloudAppsAlert', 'markAsRead', [cloudAppsAlertLocator]);

/** api-alerts-mark-read.md: POST /api/v1/alerts/<pk>/read/ (no body, none documented in the answer). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const id = alertIdOf.call(this, itemIndex);
	await cloudAppsRequest.call(this, { method: 'POST', path: apiPath`/api/v1/alerts/${fromField('Alert', id)}/read/`, permission: 'Investigation.read', itemIndex, idempotent: true });
	return { id, read: true };
}
