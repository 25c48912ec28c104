import type { INodeProperties } from 'n8n-workflow';

import * as request from './request.operation';

export { request };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['customApiCall'] } },
		options: [
			{
				name: 'Make a Request',
				value: 'request',
				action: 'Make a custom API call',
				description: 'Call any Defender for Endpoint or Microsoft Graph endpoint with this credential, paging and retries',
			},
		],
		default: 'request',
	},
	...request.description,
];
