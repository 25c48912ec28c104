import type { INodeProperties } from 'n8n-workflow';

import * as getAll from './getAll.operation';

export { getAll };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['software'] } },
		options: [{ name: 'Get Many', value: 'getAll', action: 'Get many software', description: 'List the organization\'s software inventory' }],
		default: 'getAll',
	},
	...getAll.description,
];
