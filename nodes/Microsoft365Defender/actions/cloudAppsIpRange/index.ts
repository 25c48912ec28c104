import type { INodeProperties } from 'n8n-workflow';

import { operationSelector } from '../../descriptions/common';

import * as create from './create.operation';
import * as deleteIpRange from './delete.operation';
import * as getAll from './getAll.operation';
import * as update from './update.operation';

export { create, deleteIpRange, getAll, update };

export const description: INodeProperties[] = [
	operationSelector('cloudAppsIpRange', 'getAll', [
		{ name: 'Create', value: 'create', action: 'Create a Cloud Apps IP range', description: 'Add a named range (corporate, VPN, risky …)' },
		{ name: 'Delete', value: 'delete', action: 'Delete a Cloud Apps IP range' },
		{ name: 'Get Many', value: 'getAll', action: 'Get many Cloud Apps IP ranges' },
		{ name: 'Update', value: 'update', action: 'Update a Cloud Apps IP range', description: 'Change some fields; the others keep their values' },
	]),
	...getAll.description,
	...create.description,
	...update.description,
	...deleteIpRange.description,
];
