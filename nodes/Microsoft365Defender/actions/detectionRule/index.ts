import type { INodeProperties } from 'n8n-workflow';

import { operationSelector } from '../../descriptions/common';
import * as create from './create.operation';
import * as deleteRule from './delete.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as update from './update.operation';

export { create, deleteRule, get, getAll, update };

export const description: INodeProperties[] = [
	operationSelector('detectionRule', 'getAll', [
		{ name: 'Create (Preview)', value: 'create', action: 'Create a custom detection rule from a KQL query (Graph beta)', description: 'Create a rule that raises alerts on a schedule' },
		{ name: 'Delete (Preview)', value: 'delete', action: 'Delete a custom detection rule (Graph beta)', description: 'Delete a rule by ID' },
		{ name: 'Get (Preview)', value: 'get', action: 'Get a custom detection rule (Graph beta)', description: 'Get a rule by ID' },
		// eslint-disable-next-line n8n-nodes-base/node-param-option-name-wrong-for-get-many -- Graph beta only: every name of this resource says Preview
		{ name: 'Get Many (Preview)', value: 'getAll', action: 'Get many custom detection rules (Graph beta)', description: 'List the tenant\'s custom detection rules' },
		{ name: 'Update (Preview)', value: 'update', action: 'Update a custom detection rule: query, schedule, status or alert (Graph beta)', description: 'Change a rule' },
	]),
	...get.description,
	...getAll.description,
	...create.description,
	...update.description,
	...deleteRule.description,
];
