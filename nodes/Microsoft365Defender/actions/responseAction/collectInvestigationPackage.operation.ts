import { responseActionOperation } from './common';

export const { description, execute } = responseActionOperation({
	operation: 'collectInvestigationPackage',
	segment: 'collectInvestigationPackage',
	actionType: 'CollectInvestigationPackage',
	permission: 'Machine.CollectForensics',
	commentHint: 'Download the package afterwards with Machine Action → Get Investigation Package Download URL.',
});
