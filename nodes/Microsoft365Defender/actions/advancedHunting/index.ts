import type { INodeProperties } from 'n8n-workflow';

import * as runQuery from './runQuery.operation';

export { runQuery };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['advancedHunting'] } },
		options: [
			{
				name: 'Run Query',
				value: 'runQuery',
				action: 'Run an advanced hunting query',
				description: 'Run a KQL query over up to 30 days of raw Defender data',
			},
		],
		default: 'runQuery',
	},
	...runQuery.description,
];
