import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { apiPath, fromField, validateId } from '../../transport/paths';
import { mdeRequest, showFor, withoutContext } from '../defenderForEndpoint';
import { REMEDIATION_ACTIVITY_ID, remediationActivityLocator } from './common';

export const description = showFor('remediationActivity', 'get', [remediationActivityLocator]);

/** get-remediation-one-activity.md: GET /api/remediationTasks/{id}. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const id = validateId(this.getNodeParameter('remediationActivityId', itemIndex, undefined, { extractValue: true }), REMEDIATION_ACTIVITY_ID).toLowerCase();
	const activity = await mdeRequest.call(this, {
		method: 'GET',
		path: apiPath`/api/remediationTasks/${fromField(REMEDIATION_ACTIVITY_ID.label, id)}`,
		permission: 'RemediationTasks.Read.All',
		itemIndex,
	});
	return [withoutContext(activity)];
}
