import type { INodeProperties } from 'n8n-workflow';

import { operationSelector } from '../../descriptions/common';

import * as createOrUpdate from './createOrUpdate.operation';
import * as deleteIndicator from './delete.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as importMany from './importMany.operation';

export { createOrUpdate, deleteIndicator, get, getAll, importMany };

export const description: INodeProperties[] = [
	operationSelector('indicator', 'createOrUpdate', [
		{ name: 'Create or Update', value: 'createOrUpdate', action: 'Create or update an indicator', description: 'Block, allow or audit a file hash, certificate, IP address, domain or URL' },
		{ name: 'Delete', value: 'delete', action: 'Delete an indicator by ID or value', description: 'Delete an indicator by ID or value' },
		{ name: 'Get', value: 'get', action: 'Get an indicator', description: 'Get an indicator by ID' },
		{ name: 'Get Many', value: 'getAll', action: 'Get many indicators', description: 'List indicators, filtered' },
		{ name: 'Import Many', value: 'importMany', action: 'Import many indicators', description: 'Create or update one indicator per input item, 500 per call' },
	]),
	...createOrUpdate.description,
	...get.description,
	...getAll.description,
	...deleteIndicator.description,
	...importMany.description,
];
