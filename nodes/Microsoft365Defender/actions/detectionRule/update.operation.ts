import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { FREQUENCIES, mergeDeep, readJsonObject, readRuleId, refuseRemovedMembers, ruleIdField, rulePath, ruleRequest, SEVERITIES, showFor, STATUSES, WRITE_PERMISSION } from './common';

/** PATCH /beta/security/rules/detectionRules/{id}: only the properties to change; 200 with the rule. */
export const description = showFor('update', [
	ruleIdField,
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add field',
		default: {},
		options: [
			{ displayName: 'Alert Description', name: 'alertDescription', type: 'string', typeOptions: { rows: 3 }, default: '' },
			{ displayName: 'Alert Severity', name: 'alertSeverity', type: 'options', options: SEVERITIES, default: 'medium' },
			{ displayName: 'Alert Title', name: 'alertTitle', type: 'string', default: '' },
			{ displayName: 'Frequency', name: 'frequency', type: 'options', options: FREQUENCIES, default: 'PT1H' },
			{ displayName: 'More (JSON)', name: 'moreJson', type: 'json', default: '{}', description: 'Merged into the change, e.g. automatedActions' },
			{ displayName: 'Name', name: 'displayName', type: 'string', default: '' },
			{ displayName: 'Query', name: 'queryText', type: 'string', typeOptions: { rows: 6 }, default: '' },
			{ displayName: 'Recommended Actions', name: 'recommendedActions', type: 'string', typeOptions: { rows: 2 }, default: '' },
			{ displayName: 'Status', name: 'status', type: 'options', options: STATUSES, default: 'enabled' },
		],
	},
]);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const id = readRuleId.call(this, itemIndex);
	const fields = this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;
	const alertTemplate: IDataObject = {};
	if (fields.alertTitle) alertTemplate.title = fields.alertTitle;
	if (fields.alertDescription) alertTemplate.description = fields.alertDescription;
	if (fields.alertSeverity) alertTemplate.severity = fields.alertSeverity;
	if (fields.recommendedActions) alertTemplate.recommendedActions = fields.recommendedActions;
	let body: IDataObject = {
		...(fields.displayName ? { displayName: fields.displayName } : {}),
		...(fields.status ? { status: fields.status } : {}),
		...(fields.queryText ? { queryCondition: { queryText: fields.queryText } } : {}),
		...(fields.frequency ? { schedule: { frequency: fields.frequency } } : {}),
		...(Object.keys(alertTemplate).length ? { detectionAction: { alertTemplate } } : {}),
	};
	if (fields.moreJson !== undefined) body = mergeDeep(body, readJsonObject.call(this, 'updateFields.moreJson', 'More (JSON)', itemIndex));
	if (Object.keys(body).length === 0) {
		throw new NodeOperationError(this.getNode(), 'Nothing to update: add at least one field under "Update Fields".', { itemIndex });
	}
	refuseRemovedMembers.call(this, body, itemIndex);
	return await ruleRequest.call(this, { method: 'PATCH', path: rulePath(id), body, permission: WRITE_PERMISSION, itemIndex });
}
