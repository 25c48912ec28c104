import { ISOLATION_TYPES } from '../../descriptions/mde';
import { responseActionOperation } from './common';

export const { description, execute } = responseActionOperation({
	operation: 'isolate',
	segment: 'isolate',
	actionType: 'Isolate',
	permission: 'Machine.Isolate',
	commentHint: 'E.g. the incident that made it necessary.',
	fields: [
		{
			displayName: 'Isolation Type',
			name: 'isolationType',
			type: 'options',
			options: ISOLATION_TYPES,
			default: 'Full',
		},
	],
	body(itemIndex) {
		return { IsolationType: this.getNodeParameter('isolationType', itemIndex, 'Full') as string };
	},
});
