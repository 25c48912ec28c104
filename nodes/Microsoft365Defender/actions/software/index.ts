import type { INodeProperties } from 'n8n-workflow';

import { operationSelector } from '../../descriptions/common';

import * as getAll from './getAll.operation';

export { getAll };

export const description: INodeProperties[] = [
	operationSelector('software', 'getAll', [{ name: 'Get Many', value: 'getAll', action: 'Get many software', description: 'List the organization\'s software inventory' }]),
	...getAll.description,
];
