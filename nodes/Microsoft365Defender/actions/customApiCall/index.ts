import type { INodeProperties } from 'n8n-workflow';

import { operationSelector } from '../../descriptions/common';

import * as request from './request.operation';

export { request };

export const description: INodeProperties[] = [
	operationSelector('customApiCall', 'request', [
		{
			name: 'Make a Request',
			value: 'request',
			action: 'Make a custom API call to Graph or Defender for Endpoint',
			description: 'Call any Defender for Endpoint or Microsoft Graph endpoint with this credential, paging and retries',
		},
	]),
	...request.description,
];
