import { responseActionOperation } from './common';

export const { description, execute } = responseActionOperation({
	operation: 'offboard',
	segment: 'offboard',
	actionType: 'Offboard',
	permission: 'Machine.Offboard',
	commentHint: 'Offboarding stops the device\'s sensor; Defender no longer protects or reports on it.',
});
