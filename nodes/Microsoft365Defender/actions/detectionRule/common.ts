import { jsonParse, NodeOperationError, updateDisplayOptions, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { apiPath, fromField } from '../../transport/paths';
import { defenderApiRequest, type ApiRequest } from '../../transport/request';

/**
 * Custom detection rules exist in Graph beta only (api-reference/beta/api/security-detectionrule-*.md,
 * security-rulesroot-post-detectionrules.md), hence "Preview" in the operation names. Beta calls go
 * alone, not in a $batch (the node batches v1.0 calls only).
 */
export const RULES_PATH = '/beta/security/rules/detectionRules';
export const READ_PERMISSION = 'CustomDetection.Read.All';
export const WRITE_PERMISSION = 'CustomDetection.ReadWrite.All';

export function showFor(operation: string, properties: INodeProperties[]): INodeProperties[] {
	return updateDisplayOptions({ show: { resource: ['detectionRule'], operation: [operation] } }, properties);
}

export const ruleIdField: INodeProperties = {
	displayName: 'Rule ID',
	name: 'ruleId',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'office-encoded-powershell',
};

export function readRuleId(this: IExecuteFunctions, itemIndex: number): string {
	const id = String(this.getNodeParameter('ruleId', itemIndex, '') ?? '').trim();
	if (!id) throw new NodeOperationError(this.getNode(), 'Rule ID is empty: give the ID of the detection rule.', { itemIndex });
	return id;
}

export const rulePath = (id: string) => RULES_PATH + apiPath`/${fromField('Rule ID', id)}`;

export async function ruleRequest(this: IExecuteFunctions, request: Omit<ApiRequest, 'api'>): Promise<IDataObject> {
	return await defenderApiRequest.call(this, { api: 'graph', ...request });
}

export const SEVERITIES = [
	{ name: 'High', value: 'high' },
	{ name: 'Informational', value: 'informational' },
	{ name: 'Low', value: 'low' },
	{ name: 'Medium', value: 'medium' },
];

/** The schedules the Defender portal offers; the create page's example sends frequency "PT1H". */
export const FREQUENCIES = [
	{ name: 'Continuous (Near Real Time)', value: 'PT0S' },
	{ name: 'Every Hour', value: 'PT1H' },
	{ name: 'Every 3 Hours', value: 'PT3H' },
	{ name: 'Every 12 Hours', value: 'PT12H' },
	{ name: 'Every 24 Hours', value: 'PT24H' },
];

export const STATUSES = [
	{ name: 'Enabled', value: 'enabled' },
	{ name: 'Disabled', value: 'disabled' },
];

export function jsonField(name: string, displayName: string, description: string, show: Record<string, string[]>): INodeProperties {
	return { displayName, name, type: 'json', default: '{}', description, displayOptions: { show } };
}

export function readJsonObject(this: IExecuteFunctions, name: string, label: string, itemIndex: number): IDataObject {
	const raw = this.getNodeParameter(name, itemIndex, '{}') as unknown;
	if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) return raw as IDataObject;
	let parsed: unknown;
	try {
		parsed = jsonParse(String(raw ?? '').trim() || '{}');
	} catch {
		throw new NodeOperationError(this.getNode(), `${label} is not valid JSON.`, { description: `Check quotes, commas and brackets in ${label}.`, itemIndex });
	}
	if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
		throw new NodeOperationError(this.getNode(), `${label} must be a JSON object ({ … }).`, { itemIndex });
	}
	return parsed as IDataObject;
}

const isObject = (value: unknown): value is IDataObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Deep merge of JSON objects: what `extra` names wins; lists are replaced, not joined. */
export function mergeDeep(base: IDataObject, extra: IDataObject): IDataObject {
	const result: IDataObject = { ...base };
	for (const [key, value] of Object.entries(extra)) result[key] = isObject(value) && isObject(result[key]) ? mergeDeep(result[key] as IDataObject, value) : value;
	return result;
}

/** Refuses what Microsoft removed on 2026-10-01, with the replacement, before any request. */
export function refuseRemovedMembers(this: IExecuteFunctions, body: IDataObject, itemIndex: number): void {
	const text = JSON.stringify(body);
	if (text.includes('disableUserResponseAction')) {
		throw new NodeOperationError(this.getNode(), 'The response action disableUserResponseAction was removed by Microsoft on 2026-10-01.', {
			description: "Use the detection action's automatedActions instead.",
			itemIndex,
		});
	}
	if ('isEnabled' in body) {
		throw new NodeOperationError(this.getNode(), 'isEnabled was removed by Microsoft on 2026-10-01.', { description: 'Set status ("enabled" or "disabled") instead.', itemIndex });
	}
}
