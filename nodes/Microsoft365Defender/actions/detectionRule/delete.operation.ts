import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { readRuleId, ruleIdField, rulePath, ruleRequest, showFor, WRITE_PERMISSION } from './common';

export const description = showFor('delete', [ruleIdField]);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const id = readRuleId.call(this, itemIndex);
	await ruleRequest.call(this, { method: 'DELETE', path: rulePath(id), permission: WRITE_PERMISSION, itemIndex });
	return { id, deleted: true };
}
