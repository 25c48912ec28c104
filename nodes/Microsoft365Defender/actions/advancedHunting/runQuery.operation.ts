import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import { defenderApiRequest } from '../../transport/request';

const properties: INodeProperties[] = [
	{
		displayName: 'Query',
		name: 'query',
		type: 'string',
		typeOptions: { rows: 6 },
		default: '',
		required: true,
		placeholder: 'DeviceProcessEvents | where FileName =~ "powershell.exe" | take 100',
		description: 'Kusto (KQL) query over the advanced hunting tables. Microsoft returns at most 100,000 rows and 30 days of data.',
	},
	{
		displayName: 'Time Range',
		name: 'timespan',
		type: 'options',
		options: [
			{ name: 'As in the Query (Default 30 Days)', value: '' },
			{ name: 'Custom (ISO 8601)', value: 'custom' },
			{ name: 'Past 1 Hour', value: 'PT1H' },
			{ name: 'Past 24 Hours', value: 'P1D' },
			{ name: 'Past 30 Days', value: 'P30D' },
			{ name: 'Past 7 Days', value: 'P7D' },
		],
		default: '',
	},
	{
		displayName: 'Custom Time Range',
		name: 'customTimespan',
		type: 'string',
		default: 'P3D',
		placeholder: 'P3D or 2026-01-01T00:00:00Z/2026-01-08T00:00:00Z',
		description: 'An ISO 8601 duration (P3D, PT12H) or interval (start/end)',
		displayOptions: { show: { timespan: ['custom'] } },
	},
	{
		displayName: 'Output',
		name: 'output',
		type: 'options',
		options: [
			{ name: 'One Item per Row', value: 'rows' },
			{ name: 'One Item With Schema and Rows', value: 'table' },
		],
		default: 'rows',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['advancedHunting'], operation: ['runQuery'] } },
	properties,
);

const ISO_DURATION = /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/;

function readTimespan(this: IExecuteFunctions, itemIndex: number): string | undefined {
	const choice = this.getNodeParameter('timespan', itemIndex, '') as string;
	if (choice !== 'custom') return choice || undefined;
	const value = String(this.getNodeParameter('customTimespan', itemIndex, '')).trim();
	const parts = value.split('/');
	const valid =
		(parts.length === 1 && ISO_DURATION.test(value)) ||
		(parts.length === 2 && parts.every((part) => ISO_DURATION.test(part) || !Number.isNaN(Date.parse(part))));
	if (!valid) {
		throw new NodeOperationError(this.getNode(), `Custom Time Range "${value}" is not an ISO 8601 duration or interval.`, {
			description: 'Use a duration such as P3D (3 days) or PT12H (12 hours), or an interval such as 2026-01-01T00:00:00Z/2026-01-08T00:00:00Z.',
			itemIndex,
		});
	}
	return value;
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject | IDataObject[]> {
	const query = String(this.getNodeParameter('query', itemIndex, '')).trim();
	if (!query) {
		throw new NodeOperationError(this.getNode(), 'Query is empty: write a KQL query.', { itemIndex });
	}
	const timespan = readTimespan.call(this, itemIndex);
	const output = this.getNodeParameter('output', itemIndex, 'rows') as string;
	const response = await defenderApiRequest.call(this, {
		api: 'graph',
		method: 'POST',
		path: '/v1.0/security/runHuntingQuery',
		body: timespan ? { Query: query, Timespan: timespan } : { Query: query },
		idempotent: true,
		permission: 'ThreatHunting.Read.All',
		itemIndex,
	});
	const rows = Array.isArray(response.results) ? (response.results as IDataObject[]) : [];
	if (output === 'table') return { schema: response.schema ?? [], results: rows, rowCount: rows.length };
	return rows;
}
