import type { INodeProperties } from 'n8n-workflow';

import { operationSelector } from '../../descriptions/common';

import * as get from './get.operation';
import * as getAll from './getAll.operation';

export { get, getAll };

export const description: INodeProperties[] = [
	operationSelector('cloudAppsFile', 'getAll', [
		{ name: 'Get', value: 'get', action: 'Get a Cloud Apps file', description: 'Get one file\'s metadata by ID' },
		{ name: 'Get Many', value: 'getAll', action: 'Get many Cloud Apps files', description: 'List files by sharing level, owner, type, quarantine, app and dates' },
	]),
	...get.description,
	...getAll.description,
];
