import type { INodeProperties } from 'n8n-workflow';

import { operationProperty } from '../securityItems';
import * as addComment from './addComment.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import { INCIDENT } from './kind';
import * as update from './update.operation';

export { addComment, get, getAll, update };

export const description: INodeProperties[] = [
	operationProperty(INCIDENT, 'Change status, owner, classification, determination or tags'),
	...get.description,
	...getAll.description,
	...update.description,
	...addComment.description,
];
