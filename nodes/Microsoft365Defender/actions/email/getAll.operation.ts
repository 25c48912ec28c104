import { updateDisplayOptions, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { filtersCollection, returnAllOrLimit } from '../../descriptions/common';
import { allOf, anyOf, odataDateTime, odataString } from '../../transport/odata';
import { defenderApiRequestAllItems } from '../../transport/request';
import { ANALYZED_EMAILS_PATH, DELIVERY_ACTIONS, DELIVERY_LOCATIONS, EMAIL_READ_PERMISSION, THREAT_TYPES } from './common';

/**
 * The page documents startTime / endTime as query parameters and $count, $filter, $skiptoken, $top;
 * it names no $top maximum, so pages are asked for 100 at a time.
 */
const PAGE_SIZE = 100;

export const description = updateDisplayOptions({ show: { resource: ['email'], operation: ['getAll'] } }, [
	...returnAllOrLimit(),
	filtersCollection([
		{ displayName: 'Delivery Action (Latest)', name: 'deliveryAction', type: 'multiOptions', options: DELIVERY_ACTIONS, default: [] },
		{ displayName: 'Delivery Location (Latest)', name: 'deliveryLocation', type: 'multiOptions', options: DELIVERY_LOCATIONS, default: [] },
		{ displayName: 'End Time', name: 'endTime', type: 'dateTime', default: '', description: 'End of the search window (Microsoft\'s endTime)' },
		{ displayName: 'Network Message ID', name: 'networkMessageId', type: 'string', default: '', description: 'All recipients\' copies of one message' },
		{ displayName: 'Recipient', name: 'recipientEmailAddress', type: 'string', default: '', placeholder: 'adele.vance@contoso.com' },
		{ displayName: 'Sender', name: 'sender', type: 'string', default: '', placeholder: 'it-support@contoso-helpdesk.com', description: 'The P1 (envelope) sender address' },
		{ displayName: 'Start Time', name: 'startTime', type: 'dateTime', default: '', description: 'Start of the search window (Microsoft\'s startTime)' },
		{ displayName: 'Subject', name: 'subject', type: 'string', default: '', description: 'The exact subject' },
		{ displayName: 'Threat Types', name: 'threatTypes', type: 'multiOptions', options: THREAT_TYPES, default: [], description: 'Emails with any of these threats' },
	]),
]);

const text = (value: unknown) => String(value ?? '').trim();
const list = (value: unknown) => (Array.isArray(value) ? value.map(String) : []);

export function analyzedEmailFilter(filters: IDataObject): string | undefined {
	const equals = (field: string, value: unknown) => (text(value) ? `${field} eq ${odataString(text(value))}` : undefined);
	const threats = list(filters.threatTypes);
	return allOf([
		equals('networkMessageId', filters.networkMessageId),
		equals('recipientEmailAddress', filters.recipientEmailAddress),
		equals('senderDetail/fromAddress', filters.sender),
		equals('subject', filters.subject),
		anyOf('latestDelivery/action', list(filters.deliveryAction)),
		anyOf('latestDelivery/location', list(filters.deliveryLocation)),
		threats.length ? `threatTypes/any(t: ${threats.map((threat) => `t eq ${odataString(threat)}`).join(' or ')})` : undefined,
	]);
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const returnAll = this.getNodeParameter('returnAll', itemIndex) as boolean;
	const limit = returnAll ? undefined : (this.getNodeParameter('limit', itemIndex) as number);
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	return await defenderApiRequestAllItems.call(
		this,
		{
			api: 'graph',
			method: 'GET',
			path: ANALYZED_EMAILS_PATH,
			query: {
				startTime: filters.startTime ? odataDateTime('Start Time', filters.startTime) : undefined,
				endTime: filters.endTime ? odataDateTime('End Time', filters.endTime) : undefined,
				$top: Math.min(limit ?? PAGE_SIZE, PAGE_SIZE),
				$filter: analyzedEmailFilter(filters),
			},
			permission: EMAIL_READ_PERMISSION,
			itemIndex,
		},
		{ limit },
	);
}
