import { responseActionOperation } from './common';

export const { description, execute } = responseActionOperation({
	operation: 'restrictAppExecution',
	segment: 'restrictCodeExecution',
	actionType: 'RestrictCodeExecution',
	permission: 'Machine.RestrictExecution',
	commentHint: 'Only Microsoft-signed applications can run until the restriction is removed.',
});
