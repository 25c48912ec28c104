import type { INodeProperties } from 'n8n-workflow';

import { filtersCollection } from '../descriptions/common';
import { ALERT_FILTER_STATUSES, INCIDENT_STATUSES, SERVICE_SOURCES, SEVERITIES } from '../descriptions/enums';
import { DEFAULT_MAX_EVENTS_PER_POLL, DEFAULT_OVERLAP_MINUTES } from './state';

const INCIDENT_EVENTS = ['newIncident', 'updatedIncident'];
const ALERT_EVENTS = ['newAlert', 'updatedAlert'];
const UPDATED_EVENTS = ['updatedIncident', 'updatedAlert'];

export const triggerProperties: INodeProperties[] = [
	{
		displayName: 'Trigger On',
		name: 'event',
		type: 'options',
		noDataExpression: true,
		required: true,
		options: [
			{ name: 'New Alert', value: 'newAlert', description: 'An alert was created' },
			{ name: 'New Incident', value: 'newIncident', description: 'An incident was created' },
			{
				name: 'Updated Alert',
				value: 'updatedAlert',
				description: 'An alert changed (status, assignment, classification, comments, ...)',
			},
			{
				name: 'Updated Incident',
				value: 'updatedIncident',
				description: 'An incident changed (status, assignment, new alerts, comments, ...)',
			},
		],
		default: 'newIncident',
	},
	filtersCollection([
		{
			displayName: 'Assigned To',
			name: 'assignedTo',
			type: 'string',
			default: '',
			placeholder: 'analyst@contoso.com',
			description: 'Only items owned by this user principal name',
		},
		{
			displayName: 'Minimum Severity',
			name: 'minimumSeverity',
			type: 'options',
			options: [
				{ name: 'Informational', value: 'informational' },
				{ name: 'Low', value: 'low' },
				{ name: 'Medium', value: 'medium' },
				{ name: 'High', value: 'high' },
			],
			default: 'medium',
			description: 'Only items at least this severe',
		},
		{
			displayName: 'Service Source',
			name: 'serviceSource',
			type: 'multiOptions',
			options: SERVICE_SOURCES,
			default: [],
			description: 'Only alerts raised by one of these products',
			displayOptions: { show: { '/event': ALERT_EVENTS } },
		},
		{
			displayName: 'Severity',
			name: 'severity',
			type: 'multiOptions',
			options: SEVERITIES,
			default: [],
			description: 'Only items with one of these severities',
		},
		{
			displayName: 'Status',
			name: 'incidentStatus',
			type: 'multiOptions',
			options: INCIDENT_STATUSES,
			default: [],
			description: 'Only incidents with one of these statuses',
			displayOptions: { show: { '/event': INCIDENT_EVENTS } },
		},
		{
			displayName: 'Status',
			name: 'alertStatus',
			type: 'multiOptions',
			options: ALERT_FILTER_STATUSES,
			default: [],
			description: 'Only alerts with one of these statuses',
			displayOptions: { show: { '/event': ALERT_EVENTS } },
		},
		{
			displayName: 'Tags',
			name: 'tags',
			type: 'string',
			default: '',
			placeholder: 'Ransomware, VIP',
			description:
				'Comma-separated; only items carrying at least one of these tags (custom or system tags, any case). Checked in n8n after fetching.',
		},
		{
			displayName: 'Title Contains',
			name: 'titleContains',
			type: 'string',
			default: '',
			placeholder: 'PowerShell',
			description: 'Only items whose title contains this text (any case). Checked in n8n after fetching.',
		},
	]),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Include Alerts',
				name: 'includeAlerts',
				type: 'boolean',
				default: true,
				description: 'Whether to return each incident with its alerts (and their evidence)',
				displayOptions: { show: { '/event': INCIDENT_EVENTS } },
			},
			{
				displayName: 'Include Newly Created',
				name: 'includeCreated',
				type: 'boolean',
				default: true,
				description:
					'Whether a newly created item also counts as updated. Turn off to fire only for changes to items that already existed.',
				displayOptions: { show: { '/event': UPDATED_EVENTS } },
			},
			{
				displayName: 'Look-Back Overlap (Minutes)',
				name: 'overlapMinutes',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 1440 },
				default: DEFAULT_OVERLAP_MINUTES,
				description:
					'How far before the newest change already seen each poll looks again, to catch items Microsoft lists late (up to about 10 minutes is documented). Items seen twice are emitted once. New events also fire for items Graph publishes up to 24 hours after their creation time.',
			},
			{
				displayName: 'Max Events per Poll',
				name: 'maxEventsPerPoll',
				type: 'number',
				typeOptions: { minValue: 1, numberPrecision: 0 },
				default: DEFAULT_MAX_EVENTS_PER_POLL,
				description:
					'Most events one poll emits (one workflow execution). A larger backlog or burst is emitted oldest first over the next polls, nothing lost or repeated.',
			},
			{
				displayName: 'Simplify',
				name: 'simplify',
				type: 'boolean',
				default: true,
				description: 'Whether to return a simplified version of the response instead of the raw data',
			},
			{
				displayName: 'Start From',
				name: 'startFrom',
				type: 'dateTime',
				default: '',
				description:
					'On first activation, emit everything from this date on instead of starting from now. Has no effect once the trigger has polled (its position is kept until the event is changed).',
			},
			{
				displayName: 'Tenant',
				name: 'tenant',
				type: 'string',
				default: '',
				placeholder: 'fabrikam.onmicrosoft.com',
				description:
					'Multi-tenant app (MSSP): the customer tenant (GUID or verified domain) to watch instead of the credential\'s. The trigger keeps its position per tenant: another tenant starts from now.',
			},
		],
	},
];
