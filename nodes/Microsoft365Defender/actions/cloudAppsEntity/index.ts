import type { INodeProperties } from 'n8n-workflow';

import { operationSelector } from '../../descriptions/common';

import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as getTree from './getTree.operation';

export { get, getAll, getTree };

export const description: INodeProperties[] = [
	operationSelector('cloudAppsEntity', 'getAll', [
		{ name: 'Get', value: 'get', action: 'Get a Cloud Apps user or account', description: 'Get one user or account entity' },
		{ name: 'Get Many', value: 'getAll', action: 'Get many Cloud Apps users and accounts', description: 'List users and their app accounts, filtered' },
		{ name: 'Get Tree', value: 'getTree', action: 'Get a Cloud Apps entity tree', description: 'A user with all its accounts, or an account with its user and siblings' },
	]),
	...get.description,
	...getAll.description,
	...getTree.description,
];
