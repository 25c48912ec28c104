import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { INDICATOR_ACTIONS, INDICATOR_SEVERITIES, INDICATOR_TYPES } from '../../descriptions/mde';
import { detectIndicatorType, validateIndicatorValue, validateUrl, type IndicatorType } from '../../transport/validation';
import { listOf } from '../defenderForEndpoint';

/** The fields of one indicator, shared by Create or Update and Import Many. */
export const indicatorFields: INodeProperties[] = [
	{
		displayName: 'Value',
		name: 'indicatorValue',
		type: 'string',
		default: '',
		required: true,
		placeholder: '220e7d15b011d7fac48f2bd61114db1022197f7f',
		description: 'The file hash, certificate thumbprint, IP address, domain or URL',
	},
	{
		displayName: 'Type',
		name: 'indicatorType',
		type: 'options',
		options: [{ name: 'Detect From Value', value: 'auto', description: 'SHA-1, SHA-256, MD5, IP address, URL or domain, from the value\'s form' }, ...INDICATOR_TYPES],
		default: 'auto',
		description: 'What the value is. Detection takes 40 hexadecimal characters as a file SHA-1: choose Certificate Thumbprint explicitly.',
	},
	{
		displayName: 'Action',
		name: 'action',
		type: 'options',
		options: INDICATOR_ACTIONS,
		default: 'Block',
		description: 'What Defender does when it sees the indicator',
	},
	{
		displayName: 'Title',
		name: 'title',
		type: 'string',
		default: '',
		required: true,
		description: 'Title of the alerts the indicator raises',
	},
	{
		displayName: 'Description',
		name: 'description',
		type: 'string',
		typeOptions: { rows: 2 },
		default: '={{ "Added by n8n workflow \\"" + $workflow.name + "\\"" }}',
		required: true,
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add field',
		default: {},
		options: [
			{ displayName: 'Application', name: 'application', type: 'string', default: '', description: 'Application the indicator is associated with (taken for new indicators only)' },
			{ displayName: 'Device Groups', name: 'rbacGroupNames', type: 'string', default: '', placeholder: 'Workstations, Servers', description: 'Comma-separated names of the device groups the indicator applies to; empty means all devices' },
			{ displayName: 'Educate URL', name: 'educateUrl', type: 'string', default: '', placeholder: 'https://intranet.contoso.com/blocked', description: 'Support page shown to users (Block and Warn URL indicators)' },
			{ displayName: 'Expiration Time', name: 'expirationTime', type: 'dateTime', default: '', description: 'When the indicator stops applying; empty means never' },
			{ displayName: 'Generate Alert', name: 'generateAlert', type: 'boolean', default: true, description: 'Whether a match raises an alert (required for Audit)' },
			{ displayName: 'Recommended Actions', name: 'recommendedActions', type: 'string', default: '', description: 'Shown in the alerts the indicator raises' },
			{ displayName: 'Severity', name: 'severity', type: 'options', options: INDICATOR_SEVERITIES, default: 'Medium', description: 'Severity of the alerts the indicator raises' },
		],
	},
];

export interface IndicatorInput {
	value: string;
	type: IndicatorType;
	body: IDataObject;
}

/** Reads and checks one item's indicator; throws an error naming the field when something is wrong. */
export function readIndicator(this: IExecuteFunctions, itemIndex: number): IndicatorInput {
	const rawValue = String(this.getNodeParameter('indicatorValue', itemIndex, '')).trim();
	const chosen = this.getNodeParameter('indicatorType', itemIndex, 'auto') as string;
	if (rawValue === '') throw new NodeOperationError(this.getNode(), 'Value is empty: enter the hash, IP address, domain or URL.', { itemIndex });
	const type = (chosen === 'auto' ? detectIndicatorType(rawValue) : chosen) as IndicatorType | undefined;
	if (!type) {
		throw new NodeOperationError(this.getNode(), `Value "${rawValue.slice(0, 80)}" is not a hash, IP address, domain or URL, so its type cannot be detected.`, {
			description: 'Check the value, or choose its Type explicitly.',
			itemIndex,
		});
	}
	const value = validateIndicatorValue(rawValue, type, 'Value');
	const action = this.getNodeParameter('action', itemIndex, 'Block') as string;
	const title = String(this.getNodeParameter('title', itemIndex, '')).trim();
	if (!title) throw new NodeOperationError(this.getNode(), 'Title is empty: Defender for Endpoint requires a title for every indicator.', { itemIndex });
	const description = String(this.getNodeParameter('description', itemIndex, '')).trim();
	if (!description) throw new NodeOperationError(this.getNode(), 'Description is empty: Defender for Endpoint requires a description for every indicator.', { itemIndex });
	const extra = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;

	const body: IDataObject = { indicatorValue: value, indicatorType: type, action, title, description };
	if (extra.severity) body.severity = extra.severity;
	if (typeof extra.recommendedActions === 'string' && extra.recommendedActions.trim()) body.recommendedActions = extra.recommendedActions.trim();
	if (typeof extra.application === 'string' && extra.application.trim()) body.application = extra.application.trim();
	if (typeof extra.educateUrl === 'string' && extra.educateUrl.trim()) body.educateUrl = validateUrl(extra.educateUrl, 'Educate URL');
	const groups = listOf(extra.rbacGroupNames);
	if (groups.length > 0) body.rbacGroupNames = groups;
	if (extra.expirationTime) {
		const expires = Date.parse(String(extra.expirationTime));
		if (Number.isNaN(expires)) {
			throw new NodeOperationError(this.getNode(), `Expiration Time "${String(extra.expirationTime)}" is not a date.`, { itemIndex });
		}
		if (expires <= Date.now()) {
			throw new NodeOperationError(this.getNode(), `Expiration Time ${new Date(expires).toISOString()} is in the past: the indicator would never apply.`, { itemIndex });
		}
		body.expirationTime = new Date(expires).toISOString().replace(/\.000Z$/, 'Z');
	}
	if (action === 'Audit') {
		if (extra.generateAlert === false) {
			throw new NodeOperationError(this.getNode(), 'Action Audit needs Generate Alert: an audit indicator only raises alerts.', {
				description: 'Turn Generate Alert on, or choose another action.',
				itemIndex,
			});
		}
		body.generateAlert = true;
	} else if (typeof extra.generateAlert === 'boolean') {
		body.generateAlert = extra.generateAlert;
	}
	return { value, type, body };
}
