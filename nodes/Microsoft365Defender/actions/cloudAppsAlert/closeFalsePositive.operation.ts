import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { FALSE_POSITIVE_REASONS } from '../../descriptions/cloudApps';
import { closeAlerts, closeDescription, type CloseVerdict } from './close';

/** api-alerts-close-false-positive.md: POST /api/v1/alerts/close_false_positive/ */
const VERDICT: CloseVerdict = { operation: 'closeFalsePositive', path: '/api/v1/alerts/close_false_positive/', countKey: 'closed_false_positive', verdict: 'falsePositive', reasons: FALSE_POSITIVE_REASONS };

export const description = closeDescription(VERDICT);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	return await closeAlerts.call(this, VERDICT, itemIndex);
}
