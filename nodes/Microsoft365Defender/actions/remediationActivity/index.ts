import type { INodeProperties } from 'n8n-workflow';

import { operationSelector } from '../../descriptions/common';

import * as get from './get.operation';
import * as getAll from './getAll.operation';

export { get, getAll };

export const description: INodeProperties[] = [
	operationSelector('remediationActivity', 'getAll', [
		{ name: 'Get', value: 'get', action: 'Get a remediation activity', description: 'Get a vulnerability remediation activity (task) by ID' },
		{ name: 'Get Many', value: 'getAll', action: 'Get many remediation activities', description: 'List the vulnerability remediation activities (tasks), filtered' },
	]),
	...get.description,
	...getAll.description,
];
