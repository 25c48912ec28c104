import type { INodeProperties } from 'n8n-workflow';

import { operationSelector } from '../../descriptions/common';

import * as getAll from './getAll.operation';

export { getAll };

export const description: INodeProperties[] = [
	operationSelector('recommendation', 'getAll', [{ name: 'Get Many', value: 'getAll', action: 'Get many security recommendations', description: 'List the security recommendations for the organization' }]),
	...getAll.description,
];
