import type { INodeProperties } from 'n8n-workflow';

import { operationProperty } from '../securityItems';
import * as addComment from './addComment.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import { ALERT } from './kind';
import * as update from './update.operation';

export { addComment, get, getAll, update };

export const description: INodeProperties[] = [
	operationProperty(ALERT, 'Change status, owner, classification or determination'),
	...get.description,
	...getAll.description,
	...update.description,
	...addComment.description,
];
