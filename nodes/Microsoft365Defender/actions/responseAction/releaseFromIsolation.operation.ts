import { responseActionOperation } from './common';

export const { description, execute } = responseActionOperation({
	operation: 'releaseFromIsolation',
	segment: 'unisolate',
	actionType: 'Unisolate',
	permission: 'Machine.Isolate',
	commentHint: 'E.g. why the device is safe again.',
});
