import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

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

type LocatorMode = NonNullable<INodeProperties['modes']>[number];

// Resource locator modes take no default (see scan-allowlist.json for n8n's lint rule on them).
export function listMode(searchListMethod: string): LocatorMode {
	return { displayName: 'From List', name: 'list', type: 'list', typeOptions: { searchListMethod, searchable: true } };
}

export function idMode(placeholder: string, pattern?: { regex: string; errorMessage: string }): LocatorMode {
	return {
		displayName: 'By ID',
		name: 'id',
		type: 'string',
		placeholder,
		...(pattern ? { validation: [{ type: 'regex', properties: pattern }] } : {}),
	};
}

/** Pasting the page's address from the Defender portal; `idPattern` captures the id in it. */
export function portalUrlMode(example: string, pagePattern: string, what: string): LocatorMode {
	return {
		displayName: 'By URL',
		name: 'url',
		type: 'string',
		placeholder: example,
		extractValue: { type: 'regex', regex: `https?://[^/]+/${pagePattern}` },
		validation: [
			{
				type: 'regex',
				properties: {
					regex: `https?://[^/]+/${pagePattern}.*`,
					errorMessage: `Paste the ${what} address from the Defender portal, e.g. ${example}`,
				},
			},
		],
	};
}

export function locator(displayName: string, name: string, modes: LocatorMode[], description?: string): INodeProperties {
	return {
		displayName,
		name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		...(description ? { description } : {}),
		modes,
	};
}

export const incidentLocator = locator('Incident', 'incidentId', [
	listMode('searchIncidents'),
	idMode('2972395', { regex: '^\\s*\\d+\\s*$', errorMessage: 'An incident ID is a number, e.g. 2972395' }),
	portalUrlMode('https://security.microsoft.com/incidents/2972395', 'incidents?2?/(\\d+)', "incident's"),
]);

export const alertLocator = locator('Alert', 'alertId', [
	listMode('searchAlerts'),
	idMode('da637551227677560813_-961444813'),
	portalUrlMode('https://security.microsoft.com/alerts/da637551227677560813_-961444813', 'alerts/([^/?#]+)', "alert's"),
]);

/** The Operation field of one resource. */
export function operationSelector(resource: string, defaultOperation: string, options: INodePropertyOptions[]): INodeProperties {
	return {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: [resource] } },
		options,
		default: defaultOperation,
	};
}

/** The optional "Filters" collection of a Get Many operation or the trigger. */
export function filtersCollection(options: INodeProperties[]): INodeProperties {
	return { displayName: 'Filters', name: 'filters', type: 'collection', placeholder: 'Add filter', default: {}, options };
}

export const DEFAULT_CONCURRENCY = 100;

/** 1 GiB: an investigation package fits many times over; a larger memory dump is the user's choice. */
export const DEFAULT_MAX_DOWNLOAD_MB = 1024;
export const MAX_DOWNLOAD_SIZE_PARAMETER = 'requestOptions.maxDownloadSizeMb';
export const MAX_DOWNLOAD_SIZE_SETTING = 'Request Options → Maximum Download Size (MB)';
/** The operations that download a file (an investigation package, a live response result). */
const DOWNLOADING_OPERATIONS = ['collectInvestigationPackage', 'downloadPackage', 'getFile', 'runCommands', 'runScript'];

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
		{
			displayName: 'Tenant',
			name: 'tenant',
			type: 'string',
			default: '',
			placeholder: 'fabrikam.onmicrosoft.com',
			description: 'Multi-tenant app (MSSP): the customer tenant (GUID or verified domain) to work in instead of the credential\'s; may be an expression, so one workflow can loop over tenants. Tokens and rate limits are kept per tenant.',
		},
		{
			displayName: 'Maximum Download Size (MB)',
			name: 'maxDownloadSizeMb',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: DEFAULT_MAX_DOWNLOAD_MB,
			displayOptions: { show: { '/operation': DOWNLOADING_OPERATIONS } },
			description: 'The largest file (investigation package, live response result) the node downloads, in MB of 1,048,576 bytes, counted after decompression. A larger file is refused with an error and nothing is kept.',
		},
	],
};

/**
 * The node's description. n8n's nodes panel lists the node and its trigger as one entry and shows
 * the trigger's description on it (its merge of a node with its trigger), so the trigger opens
 * with this too.
 */
export const NODE_DESCRIPTION =
	'Triage incidents and alerts, hunt with KQL, and respond on devices (isolate, scan, quarantine), accounts (disable, revoke sessions) and mailboxes (remove phishing) with Microsoft Defender XDR and Defender for Endpoint';
