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
		{ name: 'Create', value: 'create', action: 'Create a detection rule', description: 'Create a rule that raises alerts on a schedule (Preview: Graph beta)' },
		{ name: 'Delete', value: 'delete', action: 'Delete a detection rule', description: 'Delete a rule by ID' },
		{ name: 'Get', value: 'get', action: 'Get a detection rule', description: 'Get a rule by ID' },
		{ name: 'Get Many', value: 'getAll', action: 'Get many detection rules', description: 'List the tenant\'s custom detection rules' },
		{ name: 'Update', value: 'update', action: 'Update a detection rule', description: 'Change a rule' },
	]),
	...get.description,
	...getAll.description,
	...create.description,
	...update.description,
	...deleteRule.description,
];
