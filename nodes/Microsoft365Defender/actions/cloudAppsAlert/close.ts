import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeProperties, type INodePropertyOptions } from 'n8n-workflow';

import { showFor } from '../defenderForEndpoint';
import { cloudAppsRequest, validateObjectIds } from '../cloudApps';
import { alertFilterFields, alertFilters } from './filters';

/**
 * Close as Benign / False Positive / True Positive (api-alerts-close-benign.md, -close-false-positive.md,
 * -close-true-positive.md): one POST closes every alert its `filters` select, by ids or by the alert filters, with a
 * comment, the verdict's documented reason codes, and optional feedback to Microsoft. The answer counts the alerts
 * closed (`closed_benign: n`) and lists ids it did not find.
 */
export interface CloseVerdict {
	operation: 'closeBenign' | 'closeFalsePositive' | 'closeTruePositive';
	path: string;
	/** The key of the count in Microsoft's answer. */
	countKey: string;
	verdict: string;
	reasons?: INodePropertyOptions[];
}

export function closeDescription(verdict: CloseVerdict): INodeProperties[] {
	return showFor('cloudAppsAlert', verdict.operation, [
		{
			displayName: 'Select Alerts By',
			name: 'selectBy',
			type: 'options',
			options: [
				{ name: 'IDs', value: 'ids', description: 'Close the alerts with these IDs' },
				{ name: 'Filters', value: 'filters', description: 'Close every alert the filters select, in one call' },
			],
			default: 'ids',
		},
		{
			displayName: 'Alert IDs',
			name: 'alertIds',
			type: 'string',
			default: '',
			required: true,
			placeholder: '603f704aaf7417985bbf3b22, 603f704aaf7417985bbf3b23',
			description: 'Comma-separated IDs of the alerts to close',
			displayOptions: { show: { selectBy: ['ids'] } },
		},
		...alertFilterFields.map((field) => ({ ...field, displayOptions: { show: { selectBy: ['filters'] } } })),
		{ displayName: 'Comment', name: 'comment', type: 'string', typeOptions: { rows: 2 }, default: '', description: 'Why the alerts are closed; Cloud Apps keeps it on each alert' },
		...(verdict.reasons
			? [
					{
						displayName: 'Reason',
						name: 'reasonId',
						type: 'options',
						options: verdict.reasons,
						default: 4,
						description: 'Why the alerts are closed with this verdict; it helps Microsoft tune the detection',
					} satisfies INodeProperties,
				]
			: []),
		{
			displayName: 'Feedback to Microsoft',
			name: 'feedback',
			type: 'collection',
			placeholder: 'Add feedback',
			default: {},
			options: [
				{ displayName: 'Allow Contact', name: 'allowContact', type: 'boolean', default: false, description: 'Whether Microsoft may contact you about this feedback' },
				{ displayName: 'Contact Email', name: 'contactEmail', type: 'string', placeholder: 'name@email.com', default: '' },
				{ displayName: 'Feedback Text', name: 'feedbackText', type: 'string', default: '', description: 'Sent with the verdict (sendFeedback is set when this is given)' },
			],
		},
	]);
}

export async function closeAlerts(this: IExecuteFunctions, verdict: CloseVerdict, itemIndex: number): Promise<IDataObject> {
	const selectBy = this.getNodeParameter('selectBy', itemIndex, 'ids') as string;
	const ids = selectBy === 'ids' ? validateObjectIds(this.getNodeParameter('alertIds', itemIndex, ''), 'Alert IDs') : undefined;
	const filters = ids ? { id: { eq: ids } } : alertFilters.call(this, itemIndex);
	if (Object.keys(filters).length === 0) {
		// An empty filter would select every alert of the tenant.
		throw new NodeOperationError(this.getNode(), 'No filter is set: closing by filters needs at least one, or every alert of the tenant would be closed.', {
			itemIndex,
			description: 'Add a filter (e.g. Alert Type IDs, Policy IDs, Raised Before) or select the alerts by IDs.',
		});
	}
	const comment = String(this.getNodeParameter('comment', itemIndex, '') ?? '');
	const feedback = this.getNodeParameter('feedback', itemIndex, {}) as IDataObject;
	const feedbackText = String(feedback.feedbackText ?? '').trim();
	const body: IDataObject = {
		filters,
		...(comment ? { comment } : {}),
		...(verdict.reasons ? { reasonId: this.getNodeParameter('reasonId', itemIndex, 4) as number } : {}),
		...(feedbackText ? { sendFeedback: true, feedbackText } : {}),
		...(feedback.allowContact === true ? { allowContact: true, contactEmail: String(feedback.contactEmail ?? '') } : {}),
	};
	const answer = await cloudAppsRequest.call(this, { method: 'POST', path: verdict.path, body, permission: 'Investigation.manage', itemIndex });
	const notFound = Array.isArray(answer.alertsNotFound) ? (answer.alertsNotFound as string[]) : [];
	return {
		verdict: verdict.verdict,
		closed: Number(answer[verdict.countKey] ?? 0),
		...(ids ? { requested: ids.length, alertIds: ids } : { filters }),
		alertsNotFound: notFound,
	};
}
