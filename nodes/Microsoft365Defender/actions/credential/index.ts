import type { INodeProperties } from 'n8n-workflow';

import { operationSelector } from '../../descriptions/common';

import * as checkPermissions from './checkPermissions.operation';

export { checkPermissions };

export const description: INodeProperties[] = [
	operationSelector('credential', 'checkPermissions', [
		{
			name: 'Check Permissions',
			value: 'checkPermissions',
			action: 'Check the permissions of the credential',
			description: 'List the application permissions the credential\'s tokens carry and the operations each one unlocks',
		},
	]),
	...checkPermissions.description,
];
