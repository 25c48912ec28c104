import type { INodeProperties } from 'n8n-workflow';

import { operationSelector } from '../../descriptions/common';

import * as runQuery from './runQuery.operation';

export { runQuery };

export const description: INodeProperties[] = [
	operationSelector('advancedHunting', 'runQuery', [
		{
			name: 'Run Query',
			value: 'runQuery',
			action: 'Run an advanced hunting query',
			description: 'Run a KQL query over up to 30 days of raw Defender data',
		},
	]),
	...runQuery.description,
];
