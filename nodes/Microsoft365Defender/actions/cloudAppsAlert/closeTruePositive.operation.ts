import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { closeAlerts, closeDescription, type CloseVerdict } from './close';

/** api-alerts-close-true-positive.md: POST /api/v1/alerts/close_true_positive/ */
const VERDICT: CloseVerdict = { operation: 'closeTruePositive', path: '/api/v1/alerts/close_true_positive/', countKey: 'closed_true_positive', verdict: 'truePositive' };

export const description = closeDescription(VERDICT);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	return await closeAlerts.call(this, VERDICT, itemIndex);
}
