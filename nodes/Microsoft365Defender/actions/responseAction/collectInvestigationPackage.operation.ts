import { NodeOperationError } from 'n8n-workflow';

import { assertPackageReady, downloadPackageFields, withInvestigationPackage } from '../investigationPackage';
import { responseActionOperation } from './common';

export const { description, execute } = responseActionOperation({
	operation: 'collectInvestigationPackage',
	segment: 'collectInvestigationPackage',
	actionType: 'CollectInvestigationPackage',
	permission: 'Machine.CollectForensics',
	commentHint: 'With Wait for Completion and Download Package the node returns the package itself; else download it later with Machine Action → Download Investigation Package.',
	completionFields: downloadPackageFields,
	async afterCompletion(action, itemIndex) {
		if (!(this.getNodeParameter('downloadPackage', itemIndex, false) as boolean)) return action;
		const wait = action.wait as { timedOut?: boolean; waitedSeconds?: number } | undefined;
		if (wait?.timedOut) {
			throw new NodeOperationError(this.getNode(), `The investigation package was not downloaded: machine action ${String(action.id)} was still ${String(action.status)} after ${String(wait.waitedSeconds)} s.`, {
				description: 'Raise Timeout (Seconds), or download it later with Machine Action → Download Investigation Package and this machine action ID.',
				itemIndex,
			});
		}
		assertPackageReady.call(this, action, itemIndex);
		return await withInvestigationPackage.call(this, action, itemIndex);
	},
});
