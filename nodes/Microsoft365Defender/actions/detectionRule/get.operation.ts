import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { READ_PERMISSION, readRuleId, ruleIdField, rulePath, ruleRequest, showFor } from './common';

export const description = showFor('get', [ruleIdField]);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	return await ruleRequest.call(this, { method: 'GET', path: rulePath(readRuleId.call(this, itemIndex)), permission: READ_PERMISSION, itemIndex });
}
