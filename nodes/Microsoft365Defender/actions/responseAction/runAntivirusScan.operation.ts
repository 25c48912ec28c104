import { SCAN_TYPES } from '../../descriptions/mde';
import { responseActionOperation } from './common';

export const { description, execute } = responseActionOperation({
	operation: 'runAntivirusScan',
	segment: 'runAntiVirusScan',
	actionType: 'RunAntiVirusScan',
	permission: 'Machine.Scan',
	commentHint: 'E.g. the alert that prompted the scan.',
	fields: [
		{
			displayName: 'Scan Type',
			name: 'scanType',
			type: 'options',
			options: SCAN_TYPES,
			default: 'Quick',
		},
	],
	body(itemIndex) {
		return { ScanType: this.getNodeParameter('scanType', itemIndex, 'Quick') as string };
	},
});
