import { responseActionOperation } from './common';

export const { description, execute } = responseActionOperation({
	operation: 'removeAppRestriction',
	segment: 'unrestrictCodeExecution',
	actionType: 'UnrestrictCodeExecution',
	permission: 'Machine.RestrictExecution',
	commentHint: 'E.g. why applications may run again.',
});
