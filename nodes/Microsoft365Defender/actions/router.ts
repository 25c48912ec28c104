import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { DEFAULT_CONCURRENCY } from '../descriptions/common';
import { forEachConcurrently } from '../transport/concurrency';
import { toNodeError } from '../transport/errors';
import * as advancedHunting from './advancedHunting';
import * as alert from './alert';
import * as incident from './incident';
import type { OperationModule } from './securityItems';

const resources: Record<string, Record<string, OperationModule>> = {
	incident: { get: incident.get, getAll: incident.getAll, update: incident.update, addComment: incident.addComment },
	alert: { get: alert.get, getAll: alert.getAll, update: alert.update, addComment: alert.addComment },
	advancedHunting: { runQuery: advancedHunting.runQuery },
};

function errorItem(error: Error, itemIndex: number): INodeExecutionData {
	const json: IDataObject = { error: error.message };
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		if (error.description) json.description = error.description;
		if (error instanceof NodeApiError && error.httpCode) json.httpCode = error.httpCode;
	}
	return { json, pairedItem: { item: itemIndex } };
}

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const handler = resources[resource]?.[operation];
	if (!handler) {
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not known for "${resource}".`);
	}

	const concurrency = this.getNodeParameter('requestOptions.concurrency', 0, DEFAULT_CONCURRENCY) as number;
	const outputs: INodeExecutionData[][] = new Array(items.length);
	let done = 0;
	await forEachConcurrently(items.length, concurrency, async (itemIndex) => {
		try {
			const result = await handler.execute.call(this, itemIndex);
			outputs[itemIndex] = this.helpers.constructExecutionMetaData(this.helpers.returnJsonArray(result), {
				itemData: { item: itemIndex },
			});
		} catch (error) {
			const nodeError = toNodeError(this.getNode(), error, itemIndex);
			if (!this.continueOnFail()) throw nodeError;
			outputs[itemIndex] = [errorItem(nodeError, itemIndex)];
		}
		done++;
		if (items.length >= 100 && done % 100 === 0) {
			this.logger.info(`Microsoft 365 Defender: ${resource} ${operation}: ${done} of ${items.length} items done`);
		}
	});
	return [outputs.flat()];
}
