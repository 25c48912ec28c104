import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { apiPath, fromField, validateId } from '../../transport/paths';
import { showFor } from '../defenderForEndpoint';
import { ACTIVITY_ID, cloudAppsRequest } from '../cloudApps';

export const activityIdField = {
	displayName: 'Activity ID',
	name: 'activityId',
	type: 'string' as const,
	default: '',
	required: true,
	placeholder: ACTIVITY_ID.example,
	description: 'The activity\'s _id, as Get Many returns it',
};

export const description = showFor('cloudAppsActivity', 'get', [activityIdField]);

export function activityIdOf(this: IExecuteFunctions, itemIndex: number): string {
	return validateId(this.getNodeParameter('activityId', itemIndex, ''), ACTIVITY_ID);
}

/** api-activities-fetch.md: GET /api/v1/activities/<pk>/ */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const id = activityIdOf.call(this, itemIndex);
	return await cloudAppsRequest.call(this, { method: 'GET', path: apiPath`/api/v1/activities/${fromField('Activity ID', id)}/`, permission: 'Investigation.read', itemIndex });
}
