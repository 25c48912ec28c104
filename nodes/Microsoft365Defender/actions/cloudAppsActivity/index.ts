import type { INodeProperties } from 'n8n-workflow';

import { operationSelector } from '../../descriptions/common';

import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as sendFeedback from './sendFeedback.operation';

export { get, getAll, sendFeedback };

export const description: INodeProperties[] = [
	operationSelector('cloudAppsActivity', 'getAll', [
		{ name: 'Get', value: 'get', action: 'Get a Cloud Apps activity', description: 'Get one activity by ID' },
		{ name: 'Get Many', value: 'getAll', action: 'Get many Cloud Apps activities', description: 'List activities, filtered; scan mode for big pulls' },
		{ name: 'Send Feedback', value: 'sendFeedback', action: 'Send feedback on a Cloud Apps activity', description: 'Tell Microsoft about an activity' },
	]),
	...get.description,
	...getAll.description,
	...sendFeedback.description,
];
