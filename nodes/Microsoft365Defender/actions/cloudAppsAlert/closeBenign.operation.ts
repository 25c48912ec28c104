import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { BENIGN_REASONS } from '../../descriptions/cloudApps';
import { closeAlerts, closeDescription, type CloseVerdict } from './close';

/** api-alerts-close-benign.md: POST /api/v1/alerts/close_benign/ */
const VERDICT: CloseVerdict = { operation: 'closeBenign', path: '/api/v1/alerts/close_benign/', countKey: 'closed_benign', verdict: 'benign', reasons: BENIGN_REASONS };

export const description = closeDescription(VERDICT);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	return await closeAlerts.call(this, VERDICT, itemIndex);
}
