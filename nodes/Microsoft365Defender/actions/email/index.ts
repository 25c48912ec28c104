import type { INodeProperties } from 'n8n-workflow';

import { operationSelector } from '../../descriptions/common';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as remediate from './remediate.operation';

export { get, getAll, remediate };

export const description: INodeProperties[] = [
	operationSelector('email', 'getAll', [
		{ name: 'Get', value: 'get', action: 'Get an analyzed email', description: 'Get one recipient\'s copy of an email Defender for Office 365 analyzed' },
		{ name: 'Get Many', value: 'getAll', action: 'Get many analyzed emails', description: 'Find the emails of a campaign in Defender for Office 365' },
		{
			name: 'Remediate',
			value: 'remediate',
			action: 'Remediate emails',
			description: 'Remove a threat from the mailboxes it reached',
		},
	]),
	...getAll.description,
	...get.description,
	...remediate.description,
];
