import type { INodeProperties } from 'n8n-workflow';

import { operationSelector } from '../../descriptions/common';

import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as start from './start.operation';

export { get, getAll, start };

export const description: INodeProperties[] = [
	operationSelector('investigation', 'getAll', [
		{ name: 'Get', value: 'get', action: 'Get an automated investigation', description: 'Get an automated investigation by ID' },
		{ name: 'Get Many', value: 'getAll', action: 'Get many automated investigations', description: 'List automated investigations, filtered' },
		{ name: 'Start', value: 'start', action: 'Start an automated investigation', description: 'Start an automated investigation on a device (50 per hour)' },
	]),
	...get.description,
	...getAll.description,
	...start.description,
];
