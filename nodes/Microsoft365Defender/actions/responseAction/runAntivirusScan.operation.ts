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
			options: [
				{ name: 'Quick', value: 'Quick', description: 'Places malware usually lives' },
				{ name: 'Full', value: 'Full', description: 'Every file; can take hours' },
			],
			default: 'Quick',
		},
	],
	body(itemIndex) {
		return { ScanType: this.getNodeParameter('scanType', itemIndex, 'Quick') as string };
	},
});
