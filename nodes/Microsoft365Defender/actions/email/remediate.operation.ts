import { NodeOperationError, updateDisplayOptions, type IDataObject, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { toNodeError } from '../../transport/errors';
import { defenderApiRequest } from '../../transport/request';
import { headerValue } from '../../transport/types';
import { ANALYZED_EMAILS_PATH, EMAIL_REMEDIATE_PERMISSION, REMEDIATION_ACTIONS, REMEDIATION_SEVERITIES } from './common';
import { MAX_PAIRS_PER_REMEDIATION, bulkIdOf, planRemediationCalls, type RemediationPair, type RemediationSettings } from './remediationCalls';

/**
 * POST /security/collaboration/analyzedEmails/remediate (api-reference/v1.0/api/security-analyzedemail-remediate.md):
 * 202 Accepted with a Location into the Action center's history. Graph offers no call to follow a
 * remediation, so there is no Wait for Completion: the link is where to follow it.
 */
export const description = updateDisplayOptions({ show: { resource: ['email'], operation: ['remediate'] } }, [
	{
		displayName: `All input items are sent together: one remediation per ${MAX_PAIRS_PER_REMEDIATION.toLocaleString('en-US')} (message, recipient) pairs that share the settings below. This acts on real mailboxes.`,
		name: 'remediateNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Action',
		name: 'remediationAction',
		type: 'options',
		options: REMEDIATION_ACTIONS,
		default: 'softDelete',
	},
	{
		displayName: 'Network Message ID',
		name: 'networkMessageId',
		type: 'string',
		default: '={{ $json.networkMessageId }}',
		required: true,
		description: 'The message to act on, from Email > Get Many (networkMessageId)',
	},
	{
		displayName: 'Recipient Email Address',
		name: 'recipientEmailAddress',
		type: 'string',
		default: '={{ $json.recipientEmailAddress }}',
		required: true,
		description: 'The mailbox to act in (one recipient per item)',
	},
	{
		displayName: 'Remediation Name',
		name: 'remediationName',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'Clean up phish from incident 42',
		description: 'Shown in the Action center',
	},
	{
		displayName: 'Description',
		name: 'remediationDescription',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'Soft delete the campaign from every recipient',
	},
	{
		displayName: 'Severity',
		name: 'severity',
		type: 'options',
		options: REMEDIATION_SEVERITIES,
		default: 'medium',
	},
	{
		displayName: "Remediate Sender's Copy",
		name: 'remediateSendersCopy',
		type: 'boolean',
		default: false,
		description: "Whether to also act on the sender's copy, for internal or outbound email",
	},
]);

interface Entry {
	itemIndex: number;
	settings: RemediationSettings;
	pair: RemediationPair;
}

const ACTIONS = new Set(REMEDIATION_ACTIONS.map((option) => String(option.value)));
const SEVERITIES = new Set(REMEDIATION_SEVERITIES.map((option) => String(option.value)));

function readEntry(this: IExecuteFunctions, itemIndex: number): Entry {
	const text = (name: string, label: string, what: string) => {
		const value = String(this.getNodeParameter(name, itemIndex, '') ?? '').trim();
		if (!value) throw new NodeOperationError(this.getNode(), `${label} is empty: ${what}`, { itemIndex });
		return value;
	};
	const action = String(this.getNodeParameter('remediationAction', itemIndex));
	if (!ACTIONS.has(action)) {
		throw new NodeOperationError(this.getNode(), `Action "${action}" is not one Microsoft offers.`, { description: `Use one of: ${[...ACTIONS].join(', ')}.`, itemIndex });
	}
	const severity = String(this.getNodeParameter('severity', itemIndex));
	if (!SEVERITIES.has(severity)) {
		throw new NodeOperationError(this.getNode(), `Severity "${severity}" is not one Microsoft offers.`, { description: 'Use low, medium or high.', itemIndex });
	}
	const recipient = text('recipientEmailAddress', 'Recipient Email Address', 'give the mailbox to act in.');
	if (!/^[^\s@]+@[^\s@]+$/.test(recipient)) {
		throw new NodeOperationError(this.getNode(), `Recipient Email Address "${recipient}" is not an email address.`, { itemIndex });
	}
	return {
		itemIndex,
		settings: {
			displayName: text('remediationName', 'Remediation Name', 'name the remediation as the Action center will show it.'),
			description: text('remediationDescription', 'Description', 'say what the remediation does and why.'),
			severity,
			action,
			remediateSendersCopy: this.getNodeParameter('remediateSendersCopy', itemIndex, false) as boolean,
		},
		pair: { networkMessageId: text('networkMessageId', 'Network Message ID', 'give the networkMessageId of the email (Email > Get Many).'), recipientEmailAddress: recipient },
	};
}

function failureFields(error: Error): IDataObject {
	const description = (error as { description?: unknown }).description;
	return { error: error.message, ...(typeof description === 'string' && description ? { description } : {}) };
}

const paired = (itemIndex: number, json: IDataObject): INodeExecutionData => ({ json, pairedItem: { item: itemIndex } });

/**
 * Every input item is checked first (a wrong one fails alone under Continue On Fail, or stops the
 * run before any request); then the pairs go out in as few remediations as allowed. Each item gets
 * one output item with the remediation's bulk id and Action-center link.
 */
export async function executeAll(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	const results: INodeExecutionData[] = new Array(items.length);
	const entries: Entry[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			entries.push(readEntry.call(this, itemIndex));
		} catch (error) {
			const nodeError = toNodeError(this.getNode(), error, itemIndex);
			if (!this.continueOnFail()) throw nodeError;
			results[itemIndex] = paired(itemIndex, { ...failureFields(nodeError), sent: false });
		}
	}

	const calls = planRemediationCalls(entries);
	for (const [callIndex, call] of calls.entries()) {
		const firstItem = call.entries[0][0].itemIndex;
		let location: string | undefined;
		try {
			await defenderApiRequest.call(this, {
				api: 'graph',
				method: 'POST',
				path: `${ANALYZED_EMAILS_PATH}/remediate`,
				body: { ...call.settings, analyzedEmails: call.pairs.map((pair) => ({ ...pair })) },
				permission: EMAIL_REMEDIATE_PERMISSION,
				itemIndex: firstItem,
				onResponseHeaders: (headers) => (location = headerValue(headers, 'location')),
			});
		} catch (error) {
			const nodeError = toNodeError(this.getNode(), error, firstItem);
			if (!this.continueOnFail()) throw nodeError;
			for (const pairEntries of call.entries) {
				for (const entry of pairEntries) {
					results[entry.itemIndex] = paired(entry.itemIndex, { ...entry.pair, action: call.settings.action, ...failureFields(nodeError), sent: true });
				}
			}
			continue;
		}
		const bulkId = bulkIdOf(location) ?? null;
		call.entries.forEach((pairEntries) => {
			pairEntries.forEach((entry, repeat) => {
				results[entry.itemIndex] = paired(entry.itemIndex, {
					...entry.pair,
					action: call.settings.action,
					severity: call.settings.severity,
					remediation: call.settings.displayName,
					remediateSendersCopy: call.settings.remediateSendersCopy,
					bulkId,
					actionCenterUrl: location ?? null,
					pairsInRemediation: call.pairs.length,
					...(repeat > 0 ? { sameAsItem: pairEntries[0].itemIndex } : {}),
					summary: `Submitted "${call.settings.action}" for the message ${entry.pair.networkMessageId} in ${entry.pair.recipientEmailAddress}'s mailbox; follow it in the Action center`,
				});
			});
		});
		if (calls.length > 1) this.logger.info(`Microsoft 365 Defender: email remediation ${callIndex + 1} of ${calls.length} submitted (${call.pairs.length} pairs)`);
	}
	return results;
}
