import {
	NodeOperationError,
	jsonParse,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestMethods,
} from 'n8n-workflow';

import type { DefenderApi } from '../../transport/apis/descriptor';
import { defenderApiRequest, defenderApiRequestAllItems, type QueryValue } from '../../transport/request';
import { hasDotSegment } from '../../transport/url';
import { toNodeError } from '../../transport/errors';
import { showFor } from '../defenderForEndpoint';

export const description = showFor('customApiCall', 'request', [
	{
		displayName: 'API',
		name: 'api',
		type: 'options',
		options: [
			{ name: 'Defender for Endpoint', value: 'mde', description: 'Paths start with /api/, e.g. /api/machines' },
			{ name: 'Microsoft Graph', value: 'graph', description: 'Paths start with the version, e.g. /v1.0/security/incidents' },
		],
		default: 'mde',
		description: 'Which API to call, with the credential\'s token for it',
	},
	{
		displayName: 'Method',
		name: 'method',
		type: 'options',
		options: [
			{ name: 'DELETE', value: 'DELETE' },
			{ name: 'GET', value: 'GET' },
			{ name: 'PATCH', value: 'PATCH' },
			{ name: 'POST', value: 'POST' },
			{ name: 'PUT', value: 'PUT' },
		],
		default: 'GET',
	},
	{
		displayName: 'Path',
		name: 'path',
		type: 'string',
		default: '',
		required: true,
		placeholder: '/api/machines/1e5bc9d7e413ddd7902c2932e418702b84d0cc07/recommendations',
		description: 'Path below the API\'s address (the environment in the credential decides the host). A query string here is merged with the Query Parameters below.',
	},
	{
		displayName: 'Query Parameters',
		name: 'queryParameters',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add parameter',
		default: {},
		options: [
			{
				displayName: 'Parameter',
				name: 'parameter',
				values: [
					{ displayName: 'Name', name: 'name', type: 'string', default: '', placeholder: '$filter' },
					{ displayName: 'Value', name: 'value', type: 'string', default: '', placeholder: "healthStatus eq 'Active'" },
				],
			},
		],
	},
	{
		displayName: 'Body',
		name: 'body',
		type: 'json',
		default: '{}',
		description: 'JSON body. Defender for Endpoint body names are case-sensitive (Comment, not comment).',
		displayOptions: { show: { method: ['PATCH', 'POST', 'PUT'] } },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Follow Next Links',
				name: 'followNextLink',
				type: 'boolean',
				default: false,
				description: 'Whether to read every page (@odata.nextLink) and return one item per entry of "value"',
			},
			{
				displayName: 'Limit',
				name: 'limit',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 50,
				description: 'Max number of results to return',
				displayOptions: { show: { followNextLink: [true] } },
			},
			{
				displayName: 'Permission (for Error Messages)',
				name: 'permission',
				type: 'string',
				default: '',
				placeholder: 'Machine.Read.All',
				description: 'The application permission the call needs; a 403 error then names it',
			},
			{
				displayName: 'Safe to Retry',
				name: 'safeToRetry',
				type: 'boolean',
				default: false,
				description: 'Whether a POST may be sent again after a server error. GET, PUT, PATCH and DELETE are retried anyway; throttling (429) is always waited out.',
			},
			{
				displayName: 'Split Value Into Items',
				name: 'splitValue',
				type: 'boolean',
				default: false,
				description: 'Whether to return one item per entry of the response\'s "value" list instead of the whole response',
			},
		],
	},
]);

/** The APIs the API parameter offers; a Graph path under /beta/ goes to Graph beta. */
type CustomCallApi = Extract<DefenderApi, 'graph' | 'mde'>;

const API_PREFIX: Record<CustomCallApi, RegExp> = {
	mde: /^\/api\//i,
	graph: /^\/(v1\.0|beta)\//i,
};

const EXAMPLE: Record<CustomCallApi, string> = {
	mde: '/api/machines',
	graph: '/v1.0/security/incidents',
};

/** Splits and checks the path: it must stay below the API's base address. */
export function parsePath(this: IExecuteFunctions, api: CustomCallApi, raw: string, itemIndex: number): { path: string; query: Record<string, string> } {
	const text = raw.trim();
	const invalid = (reason: string): never => {
		throw new NodeOperationError(this.getNode(), `Path "${text.slice(0, 120)}" ${reason}`, {
			description: `Enter a path such as ${EXAMPLE[api]}; the host comes from the credential.`,
			itemIndex,
		});
	};
	if (text === '') invalid('is empty.');
	if (/^[a-z][a-z0-9+.-]*:/i.test(text) || text.startsWith('//')) invalid('is a full URL: enter only the path.');
	if (!text.startsWith('/')) invalid('must start with "/".');
	if (/[\u0000-\u001f#]/.test(text)) invalid('contains "#" or control characters.');
	const [pathPart, queryPart] = text.split(/\?(.*)/s, 2);
	if (/[\s\\]/.test(pathPart)) invalid('contains spaces or backslashes; percent-encode them (a query string after "?" may contain spaces).');
	// URL resolution reads %2e as a dot, so "/api/.%2e/x" would leave /api/; a server may decode %2f into a slash.
	if (hasDotSegment(pathPart)) invalid('contains "." or ".." segments (also written with %2e).');
	if (/%2f|%5c/i.test(pathPart)) invalid('contains an encoded slash (%2F or %5C).');
	if (!API_PREFIX[api].test(pathPart)) {
		invalid(api === 'mde' ? 'does not start with /api/, where the Defender for Endpoint API lives.' : 'does not start with the Graph version (/v1.0/ or /beta/).');
	}
	const query: Record<string, string> = {};
	if (queryPart) for (const [name, value] of new URLSearchParams(queryPart.replace(/\+/g, '%2B'))) query[name] = value;
	return { path: pathPart, query };
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject | IDataObject[]> {
	const api = this.getNodeParameter('api', itemIndex) as CustomCallApi;
	const method = this.getNodeParameter('method', itemIndex) as IHttpRequestMethods;
	const { path, query: pathQuery } = parsePath.call(this, api, String(this.getNodeParameter('path', itemIndex, '')), itemIndex);
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;

	const query: Record<string, QueryValue> = { ...pathQuery };
	const parameters = (this.getNodeParameter('queryParameters.parameter', itemIndex, []) as IDataObject[]) ?? [];
	for (const parameter of parameters) {
		const name = String(parameter.name ?? '').trim();
		if (!name) throw new NodeOperationError(this.getNode(), 'A query parameter has no name: fill in its Name or remove it.', { itemIndex });
		query[name] = String(parameter.value ?? '');
	}

	let body: IDataObject | IDataObject[] | undefined;
	if (['POST', 'PATCH', 'PUT'].includes(method)) {
		const raw = this.getNodeParameter('body', itemIndex, '{}') as unknown;
		if (typeof raw === 'string') {
			const text = raw.trim();
			if (text !== '') {
				try {
					body = jsonParse<IDataObject | IDataObject[]>(text);
				} catch {
					throw new NodeOperationError(this.getNode(), 'Body is not valid JSON.', { description: 'Check quotes, commas and brackets in the Body field.', itemIndex });
				}
			}
		} else if (typeof raw === 'object' && raw !== null) {
			body = raw as IDataObject;
		}
		if (body !== undefined && (typeof body !== 'object' || body === null)) {
			throw new NodeOperationError(this.getNode(), 'Body must be a JSON object or array.', { itemIndex });
		}
	}

	const request = {
		api: api === 'graph' && /^\/beta\//i.test(path) ? ('graphBeta' as const) : api,
		method,
		path,
		query,
		body,
		permission: String(options.permission ?? '').trim() || undefined,
		idempotent: method === 'POST' ? options.safeToRetry === true : undefined,
		itemIndex,
	};
	let response: IDataObject;
	try {
		if (options.followNextLink === true) {
			const limit = Number(options.limit ?? 50);
			if (!Number.isInteger(limit) || limit < 1) throw new NodeOperationError(this.getNode(), `Limit must be a whole number of at least 1, not ${limit}.`, { itemIndex });
			return await defenderApiRequestAllItems.call(this, request, { limit });
		}
		response = await defenderApiRequest.call(this, request);
	} catch (error) {
		throw toNodeError(this.getNode(), error, itemIndex);
	}
	if (options.splitValue === true && Array.isArray(response.value)) return response.value as IDataObject[];
	return Object.keys(response).length === 0 ? { success: true } : response;
}
