import type { INodeProperties } from 'n8n-workflow';

import * as getAll from './getAll.operation';

export { getAll };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['recommendation'] } },
		options: [{ name: 'Get Many', value: 'getAll', action: 'Get many security recommendations', description: 'List the security recommendations for the organization' }],
		default: 'getAll',
	},
	...getAll.description,
];
