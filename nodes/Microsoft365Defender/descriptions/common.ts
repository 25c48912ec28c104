import type { INodeProperties } from 'n8n-workflow';

/** Return All / Limit; `maxPage`, when given, is shown as a hint on Limit. */
export function returnAllOrLimit(maxPage?: number): INodeProperties[] {
	return [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 50,
			description: 'Max number of results to return',
			...(maxPage ? { hint: `Microsoft sends at most ${maxPage.toLocaleString('en-US')} per page` } : {}),
			displayOptions: { show: { returnAll: [false] } },
		},
	];
}

export const incidentLocator: INodeProperties = {
	displayName: 'Incident',
	name: 'incidentId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchIncidents', searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: '2972395',
			validation: [
				{
					type: 'regex',
					properties: { regex: '^\\s*\\d+\\s*$', errorMessage: 'An incident ID is a number, e.g. 2972395' },
				},
			],
		},
		{
			displayName: 'By URL',
			name: 'url',
			type: 'string',
			placeholder: 'https://security.microsoft.com/incidents/2972395?tid=...',
			extractValue: { type: 'regex', regex: 'https?://[^/]+/incidents?2?/(\\d+)' },
			validation: [
				{
					type: 'regex',
					properties: {
						regex: 'https?://[^/]+/incidents?2?/(\\d+).*',
						errorMessage: 'Paste the incident\'s address from the Defender portal, e.g. https://security.microsoft.com/incidents/2972395',
					},
				},
			],
		},
	],
};

export const alertLocator: INodeProperties = {
	displayName: 'Alert',
	name: 'alertId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchAlerts', searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'da637551227677560813_-961444813',
		},
		{
			displayName: 'By URL',
			name: 'url',
			type: 'string',
			placeholder: 'https://security.microsoft.com/alerts/da637551227677560813_-961444813',
			extractValue: { type: 'regex', regex: 'https?://[^/]+/alerts/([^/?#]+)' },
			validation: [
				{
					type: 'regex',
					properties: {
						regex: 'https?://[^/]+/alerts/([^/?#]+).*',
						errorMessage: 'Paste the alert\'s address from the Defender portal, e.g. https://security.microsoft.com/alerts/da637551227677560813_-961444813',
					},
				},
			],
		},
	],
};

export const DEFAULT_CONCURRENCY = 100;

export const requestOptions: INodeProperties = {
	displayName: 'Request Options',
	name: 'requestOptions',
	type: 'collection',
	placeholder: 'Add option',
	default: {},
	options: [
		{
			displayName: 'Items Processed at Once',
			name: 'concurrency',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 500 },
			default: DEFAULT_CONCURRENCY,
			description: 'How many input items are processed at the same time. Microsoft\'s rate limits are kept either way; output order always follows the input.',
		},
	],
};
