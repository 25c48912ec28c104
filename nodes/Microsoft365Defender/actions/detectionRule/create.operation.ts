import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { FREQUENCIES, jsonField, mergeDeep, readJsonObject, refuseRemovedMembers, RULES_PATH, ruleRequest, SEVERITIES, showFor, STATUSES, WRITE_PERMISSION } from './common';

/** POST /beta/security/rules/detectionRules: id (chosen by the client), displayName, queryCondition, schedule and status required. */
export const description = showFor('create', [
	{
		displayName: 'Define Using',
		name: 'defineUsing',
		type: 'options',
		options: [
			{ name: 'Fields', value: 'fields' },
			{ name: 'JSON (Whole Rule)', value: 'json', description: 'The rule as Microsoft\'s create page shows it, e.g. kept in a repository' },
		],
		default: 'fields',
	},
	jsonField('ruleJson', 'Rule (JSON)', 'The whole detectionRule body', { defineUsing: ['json'] }),
	...[
		{ displayName: 'Rule ID', name: 'ruleId', type: 'string' as const, default: '', required: true, placeholder: 'office-encoded-powershell', description: 'Your own unique ID for the rule' },
		{ displayName: 'Name', name: 'displayName', type: 'string' as const, default: '', required: true },
		{ displayName: 'Query', name: 'queryText', type: 'string' as const, typeOptions: { rows: 6 }, default: '', required: true, placeholder: 'DeviceProcessEvents | where FileName == "powershell.exe"', description: 'The advanced hunting (KQL) query' },
		{ displayName: 'Frequency', name: 'frequency', type: 'options' as const, options: FREQUENCIES, default: 'PT1H' },
		{ displayName: 'Status', name: 'status', type: 'options' as const, options: STATUSES, default: 'enabled' },
		{ displayName: 'Alert Title', name: 'alertTitle', type: 'string' as const, default: '', required: true },
		{ displayName: 'Alert Severity', name: 'alertSeverity', type: 'options' as const, options: SEVERITIES, default: 'medium' },
		{
			displayName: 'Additional Fields',
			name: 'additionalFields',
			type: 'collection' as const,
			placeholder: 'Add field',
			default: {},
			options: [
				{ displayName: 'Alert Category', name: 'category', type: 'string' as const, default: '', placeholder: 'Execution' },
				{ displayName: 'Alert Description', name: 'alertDescription', type: 'string' as const, typeOptions: { rows: 3 }, default: '' },
				{ displayName: 'Description', name: 'description', type: 'string' as const, default: '', description: 'Description of the rule' },
				{
					displayName: 'More (JSON)',
					name: 'moreJson',
					type: 'json' as const,
					default: '{}',
					description: 'Merged into the rule: entity mappings, tactics, automatedActions, incidentConfiguration …',
				},
				{ displayName: 'Recommended Actions', name: 'recommendedActions', type: 'string' as const, typeOptions: { rows: 2 }, default: '' },
			],
		},
	].map((field) => ({ ...field, displayOptions: { show: { defineUsing: ['fields'] } } })),
]);

function ruleFromFields(this: IExecuteFunctions, itemIndex: number): IDataObject {
	const text = (name: string, label: string) => {
		const value = String(this.getNodeParameter(name, itemIndex, '') ?? '').trim();
		if (!value) throw new NodeOperationError(this.getNode(), `${label} is empty.`, { description: `${label} is required to create a detection rule.`, itemIndex });
		return value;
	};
	const extra = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const alertTemplate: IDataObject = { title: text('alertTitle', 'Alert Title'), severity: this.getNodeParameter('alertSeverity', itemIndex) as string };
	if (extra.alertDescription) alertTemplate.description = extra.alertDescription;
	if (extra.category) alertTemplate.category = extra.category;
	if (extra.recommendedActions) alertTemplate.recommendedActions = extra.recommendedActions;
	const rule: IDataObject = {
		id: text('ruleId', 'Rule ID'),
		displayName: text('displayName', 'Name'),
		status: this.getNodeParameter('status', itemIndex) as string,
		queryCondition: { queryText: text('queryText', 'Query') },
		schedule: { frequency: this.getNodeParameter('frequency', itemIndex) as string },
		detectionAction: { alertTemplate },
		...(extra.description ? { description: extra.description } : {}),
	};
	return extra.moreJson === undefined ? rule : mergeDeep(rule, readJsonObject.call(this, 'additionalFields.moreJson', 'More (JSON)', itemIndex));
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const body =
		this.getNodeParameter('defineUsing', itemIndex) === 'json' ? readJsonObject.call(this, 'ruleJson', 'Rule (JSON)', itemIndex) : ruleFromFields.call(this, itemIndex);
	refuseRemovedMembers.call(this, body, itemIndex);
	return await ruleRequest.call(this, { method: 'POST', path: RULES_PATH, body, permission: WRITE_PERMISSION, itemIndex });
}
