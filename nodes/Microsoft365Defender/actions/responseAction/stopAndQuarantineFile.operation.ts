import { validateSha1 } from '../../transport/validation';
import { responseActionOperation } from './common';

export const { description, execute } = responseActionOperation({
	operation: 'stopAndQuarantineFile',
	segment: 'StopAndQuarantineFile',
	actionType: 'StopAndQuarantineFile',
	permission: 'Machine.StopAndQuarantine',
	commentHint: 'E.g. the alert that found the file.',
	fields: [
		{
			displayName: 'File SHA-1',
			name: 'sha1',
			type: 'string',
			default: '',
			required: true,
			placeholder: '87662bc3d60e4200ceaf7aae249d1c343f4b83c9',
			description: 'SHA-1 of the file to stop and quarantine (files of trusted third-party publishers or signed by Microsoft cannot be)',
		},
	],
	body(itemIndex) {
		return { Sha1: validateSha1(this.getNodeParameter('sha1', itemIndex, ''), 'File SHA-1') };
	},
});
