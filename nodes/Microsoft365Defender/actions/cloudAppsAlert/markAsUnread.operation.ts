import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { apiPath, fromField } from '../../transport/paths';
import { showFor } from '../defenderForEndpoint';
import { cloudAppsRequest } from '../cloudApps';
import { alertIdOf } from './get.operation';
import { cloudAppsAlertLocator } from './locator';

export const description = showFor('cloudAppsAlert', 'markAsUnread', [cloudAppsAlertLocator]);

/** api-alerts-mark-unread.md: POST /api/v1/alerts/<pk>/unread/ (no body, none documented in the answer). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const id = alertIdOf.call(this, itemIndex);
	await cloudAppsRequest.call(this, { method: 'POST', path: apiPath`/api/v1/alerts/${fromField('Alert', id)}/unread/`, permission: 'Investigation.read', itemIndex, idempotent: true });
	return { id, read: false };
}
