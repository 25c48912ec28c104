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
			options: [
				{ name: 'Full', value: 'Full', description: 'Cut the device off the network except for the Defender service' },
				{ name: 'Selective', value: 'Selective', description: 'Also let Outlook, Teams and Skype for Business through (Windows only)' },
				{ name: 'Unmanaged Device (Contain)', value: 'UnManagedDevice', description: 'Contain a device that is not onboarded: onboarded devices stop talking to it' },
			],
			default: 'Full',
		},
	],
	body(itemIndex) {
		return { IsolationType: this.getNodeParameter('isolationType', itemIndex, 'Full') as string };
	},
});
