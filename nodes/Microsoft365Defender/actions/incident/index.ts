import type { INodeProperties } from 'n8n-workflow';

import { operationProperty } from '../securityItems';
import * as addComment from './addComment.operation';
import * as get from './get.operation';
import * as getEvidence from './getEvidence.operation';
import * as getAll from './getAll.operation';
import { INCIDENT } from './kind';
import * as update from './update.operation';

export { addComment, get, getAll, getEvidence, update };

const operation = operationProperty(INCIDENT, 'Change status, owner, classification, determination or tags');
operation.options = [
	...(operation.options ?? []),
	{
		name: 'Get Evidence',
		value: 'getEvidence',
		action: 'Get an incident\'s evidence',
		description: 'One item per entity, to branch to the right containment',
	},
].sort((a, b) => a.name.localeCompare(b.name));

export const description: INodeProperties[] = [
	operation,
	...get.description,
	...getEvidence.description,
	...getAll.description,
	...update.description,
	...addComment.description,
];
