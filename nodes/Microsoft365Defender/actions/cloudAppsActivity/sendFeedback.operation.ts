import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { apiPath, fromField } from '../../transport/paths';
import { showFor } from '../defenderForEndpoint';
import { cloudAppsRequest } from '../cloudApps';
import { activityIdField, activityIdOf } from './get.operation';

export const description = showFor('cloudAppsActivity', 'sendFeedback', [
	activityIdField,
	{
		displayName: 'Feedback Value',
		name: 'feedbackValue',
		type: 'string',
		default: '0',
		description: 'The feedback code; api-activities-feedback.md\'s example sends "0" and lists no other value',
	},
	{ displayName: 'Feedback Text', name: 'feedbackText', type: 'string', typeOptions: { rows: 2 }, default: '', required: true },
	{ displayName: 'Allow Contact', name: 'allowContact', type: 'boolean', default: false, description: 'Whether Microsoft may contact you about this feedback' },
	{ displayName: 'Contact Email', name: 'contactEmail', type: 'string', placeholder: 'name@email.com', default: '', displayOptions: { show: { allowContact: [true] } } },
]);

/** api-activities-feedback.md: POST /api/v1/activities/<pk>/feedback (no trailing slash, as the page prints it). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const id = activityIdOf.call(this, itemIndex);
	const allowContact = this.getNodeParameter('allowContact', itemIndex, false) as boolean;
	const body: IDataObject = {
		feedbackValue: String(this.getNodeParameter('feedbackValue', itemIndex, '0')),
		feedbackText: String(this.getNodeParameter('feedbackText', itemIndex, '')),
		allowContact,
		...(allowContact ? { contactEmail: String(this.getNodeParameter('contactEmail', itemIndex, '')) } : {}),
	};
	await cloudAppsRequest.call(this, { method: 'POST', path: apiPath`/api/v1/activities/${fromField('Activity ID', id)}/feedback`, body, permission: 'Investigation.read', itemIndex });
	return { id, feedbackSent: true };
}
