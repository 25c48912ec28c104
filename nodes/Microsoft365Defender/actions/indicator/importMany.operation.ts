import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { toNodeError } from '../../transport/errors';
import { mdeRequest, showFor } from '../defenderForEndpoint';
import { indicatorFields, readIndicator, type IndicatorInput } from './fields';

/** Microsoft's documented maximum of indicators per import call. */
export const IMPORT_BATCH_SIZE = 500;

export const description = showFor('indicator', 'importMany', [
	{
		displayName: 'All input items are sent together, in calls of up to 500 indicators (Microsoft\'s maximum). Each output item says whether its indicator was imported.',
		name: 'importNotice',
		type: 'notice',
		default: '',
	},
	...indicatorFields,
]);

interface Pending extends IndicatorInput {
	itemIndex: number;
}

function outcome(itemIndex: number, json: IDataObject): INodeExecutionData {
	return { json, pairedItem: { item: itemIndex } };
}

/**
 * Sees all input items at once: each becomes one indicator, checked locally first (a wrong one is
 * reported as a failed item and not sent), then sent in chunks of 500 to /api/indicators/import.
 * Every input item gets exactly one output item, paired to it, with `isFailed` and `failureReason`.
 */
export async function executeAll(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	const results: INodeExecutionData[] = new Array(items.length);
	const pending: Pending[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			pending.push({ itemIndex, ...readIndicator.call(this, itemIndex) });
		} catch (error) {
			const nodeError = toNodeError(this.getNode(), error, itemIndex);
			results[itemIndex] = outcome(itemIndex, {
				indicatorValue: String(this.getNodeParameter('indicatorValue', itemIndex, '')),
				id: null,
				isFailed: true,
				failureReason: nodeError.message,
				sent: false,
			});
		}
	}

	const chunks = Math.ceil(pending.length / IMPORT_BATCH_SIZE);
	for (let chunk = 0; chunk < chunks; chunk++) {
		const batch = pending.slice(chunk * IMPORT_BATCH_SIZE, (chunk + 1) * IMPORT_BATCH_SIZE);
		let answers: IDataObject[];
		try {
			const response = await mdeRequest.call(this, {
				method: 'POST',
				path: '/api/indicators/import',
				body: { Indicators: batch.map((entry) => entry.body) },
				permission: 'Ti.ReadWrite.All',
				// An import submits or updates: repeating it after a server error gives the same indicators.
				idempotent: true,
				itemIndex: batch[0].itemIndex,
			});
			answers = Array.isArray(response.value) ? (response.value as IDataObject[]) : [];
		} catch (error) {
			const nodeError = toNodeError(this.getNode(), error, batch[0].itemIndex);
			if (!this.continueOnFail()) throw nodeError;
			for (const entry of batch) {
				results[entry.itemIndex] = outcome(entry.itemIndex, {
					indicatorValue: entry.value,
					indicatorType: entry.type,
					id: null,
					isFailed: true,
					failureReason: nodeError.message,
					sent: true,
					error: nodeError.message,
				});
			}
			continue;
		}
		batch.forEach((entry, position) => {
			// Microsoft answers one result per indicator, in order; match by value if the counts differ.
			const answer =
				answers.length === batch.length
					? answers[position]
					: answers.find((candidate) => String(candidate.indicator ?? '').toLowerCase() === entry.value.toLowerCase());
			results[entry.itemIndex] = outcome(entry.itemIndex, {
				indicatorValue: entry.value,
				indicatorType: entry.type,
				action: entry.body.action,
				id: answer?.id ?? null,
				isFailed: answer ? answer.isFailed === true : true,
				failureReason: answer ? (answer.failureReason ?? null) : 'Microsoft returned no result for this indicator.',
				sent: true,
			});
		});
		if (chunks > 1) this.logger.info(`Microsoft 365 Defender: indicator import ${chunk + 1} of ${chunks} sent (${batch.length} indicators)`);
	}
	return results;
}
