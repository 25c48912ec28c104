import type { IDataObject, IExecuteFunctions, IHttpRequestMethods, INodeProperties } from 'n8n-workflow';

import { InvalidPathValueError, validateId, type IdFormat } from '../transport/paths';
import { defenderApiRequest, defenderApiRequestAllItems } from '../transport/request';
import { isIpAddress } from '../transport/validation';

/**
 * What every Defender for Cloud Apps operation shares (CloudAppSecurityDocs/api-introduction.md): calls below the
 * tenant's API URL with the documented trailing slashes, lists as POST bodies of `filters` / `skip` / `limit`,
 * filters as `{field: {operator: value}}` (AND between fields), timestamps in Unix milliseconds. Every value is
 * checked here before a request, and a refused one names its field.
 */

export interface CloudAppsCall {
	method: IHttpRequestMethods;
	path: string;
	body?: IDataObject;
	query?: Record<string, string | number | undefined>;
	/** The permission named in the error when Microsoft answers 403 (api-authentication-application.md). */
	permission: string;
	itemIndex: number;
	idempotent?: boolean;
}

export type CloudAppsFilters = Record<string, IDataObject>;

export async function cloudAppsRequest(this: IExecuteFunctions, call: CloudAppsCall): Promise<IDataObject> {
	return await defenderApiRequest.call(this, { api: 'cloudApps', ...call });
}

/** Every (or `limit`) record of a list, page by page (`skip` / `limit` / `hasNext`: the transport's paging). */
export async function cloudAppsList(this: IExecuteFunctions, call: CloudAppsCall, limit?: number): Promise<IDataObject[]> {
	return await defenderApiRequestAllItems.call(this, { api: 'cloudApps', idempotent: true, ...call }, { limit });
}

/** The ids of alerts, files and IP ranges are 24 hex digits (`603f704aaf7417985bbf3b22` in the pages). */
export function objectIdFormat(label: string): IdFormat {
	return { label, pattern: /^[0-9a-f]{24}$/i, example: '603f704aaf7417985bbf3b22' };
}

/** Activity ids carry letters, digits, `_` and `-` only (nothing that could leave its path segment). */
export const ACTIVITY_ID: IdFormat = { label: 'Activity ID', pattern: /^[A-Za-z0-9][A-Za-z0-9_-]{0,254}$/, example: '8b8ad0c55d2046ee91e0b0a7e3a2c35c_12345_0d9e21de-4b5c-4e52-9c1f-7ac7c1b5b7a0' };

export function validateObjectId(value: unknown, label: string): string {
	return validateId(value, objectIdFormat(label)).toLowerCase();
}

function refuse(field: string, message: string): never {
	throw new InvalidPathValueError(field, message);
}

/** A list of ids from a string (comma- or newline-separated) or an array, each checked. */
export function validateObjectIds(value: unknown, label: string): string[] {
	const items = Array.isArray(value) ? value : String(value ?? '').split(/[\s,]+/);
	const ids = [...new Set(items.map((item) => String(item).trim()).filter(Boolean).map((item) => validateObjectId(item, label)))];
	if (ids.length === 0) refuse(label, `${label} is empty: enter one or more ids, e.g. 603f704aaf7417985bbf3b22.`);
	return ids;
}

/** Whole numbers from a string or list, e.g. app ids `11161, 20893`. */
export function integerList(value: unknown, label: string): number[] {
	const items = Array.isArray(value) ? value : String(value ?? '').split(/[\s,]+/);
	return items
		.map((item) => String(item).trim())
		.filter(Boolean)
		.map((item) => (/^\d{1,12}$/.test(item) ? Number(item) : refuse(label, `${label}: "${item.slice(0, 40)}" is not a whole number (an app id is, e.g. 11161).`)));
}

export function stringList(value: unknown): string[] {
	const items = Array.isArray(value) ? value : String(value ?? '').split(',');
	return items.map((item) => String(item).trim()).filter(Boolean);
}

/** An n8n date (ISO text, a Luxon DateTime or a JS Date from an expression, or milliseconds) as Unix milliseconds. */
export function toMilliseconds(value: unknown, label: string): number {
	if (typeof value === 'number' && Number.isFinite(value)) return value;
	const candidate = value as { toMillis?: () => number; getTime?: () => number } | null;
	if (candidate && typeof candidate.toMillis === 'function') return candidate.toMillis();
	if (candidate && typeof candidate.getTime === 'function') return candidate.getTime();
	const text = String(value ?? '').trim();
	const parsed = /^\d{10,13}$/.test(text) ? Number(text) : Date.parse(text);
	if (!Number.isFinite(parsed)) refuse(label, `${label} "${text.slice(0, 40)}" is not a date; pick one or give an ISO date such as 2026-01-31T12:00:00Z.`);
	return parsed;
}

/** Milliseconds as n8n shows dates (ISO 8601, UTC); undefined stays undefined. */
export function isoDate(milliseconds: unknown): string | undefined {
	const value = typeof milliseconds === 'number' ? milliseconds : typeof milliseconds === 'string' && milliseconds !== '' ? Date.parse(milliseconds) : NaN;
	return Number.isFinite(value) ? new Date(value).toISOString() : undefined;
}

export const YES_NO_EITHER = [
	{ name: 'Either', value: '' },
	{ name: 'Yes', value: 'yes' },
	{ name: 'No', value: 'no' },
];

/** Adds `field: {operator: value}` unless the value is empty. */
export function addCondition(filters: CloudAppsFilters, field: string, operator: string, value: unknown): void {
	if (value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0)) return;
	filters[field] = { ...(filters[field] ?? {}), [operator]: value as IDataObject[keyof IDataObject] };
}

/** Yes / No / Either choices as a boolean filter. */
export function addBooleanCondition(filters: CloudAppsFilters, field: string, choice: unknown): void {
	if (choice === 'yes') addCondition(filters, field, 'eq', true);
	if (choice === 'no') addCondition(filters, field, 'eq', false);
}

export const FILTER_JSON_LABEL = 'Filter (JSON)';

/**
 * The raw `filters` object of the Options, as the pages write it, merged over the fields (its operators win on the
 * same field). It must be a JSON object of field: {operator: value}.
 */
export function mergeFilterJson(filters: CloudAppsFilters, raw: unknown): CloudAppsFilters {
	if (raw === undefined || raw === null || raw === '') return filters;
	let parsed: unknown = raw;
	if (typeof raw === 'string') {
		try {
			parsed = JSON.parse(raw);
		} catch (error) {
			refuse(FILTER_JSON_LABEL, `${FILTER_JSON_LABEL} is not valid JSON (${(error as Error).message}). Write it as on Microsoft's pages, e.g. {"severity": {"eq": [2]}}.`);
		}
	}
	if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
		refuse(FILTER_JSON_LABEL, `${FILTER_JSON_LABEL} must be a JSON object of field: {operator: value}, e.g. {"severity": {"eq": [2]}}.`);
	}
	const merged: CloudAppsFilters = { ...filters };
	for (const [field, conditions] of Object.entries(parsed as IDataObject)) {
		if (typeof conditions !== 'object' || conditions === null || Array.isArray(conditions)) {
			refuse(FILTER_JSON_LABEL, `${FILTER_JSON_LABEL}: "${field}" must map to an object of operator: value, e.g. {"eq": [2]}.`);
		}
		merged[field] = { ...(merged[field] ?? {}), ...(conditions as IDataObject) };
	}
	return merged;
}

export const filterJsonOption: INodeProperties = {
	displayName: FILTER_JSON_LABEL,
	name: 'filterJson',
	type: 'json',
	default: '',
	placeholder: '{"entity.service": {"eq": [11161]}}',
	description: 'Microsoft\'s own filters object (field: {operator: value}), merged over the fields above; see the Filters section of each Cloud Apps API page',
};

/** Sort By / Sort Direction of a list page (sortField, sortDirection). */
export function sortOptions(fields: Array<{ name: string; value: string }>): INodeProperties[] {
	return [
		{ displayName: 'Sort By', name: 'sortField', type: 'options', options: fields, default: fields[0].value },
		{
			displayName: 'Sort Direction',
			name: 'sortDirection',
			type: 'options',
			options: [
				{ name: 'Newest / Highest First', value: 'desc' },
				{ name: 'Oldest / Lowest First', value: 'asc' },
			],
			default: 'desc',
		},
	];
}

/** The Options of a sortable Get Many: Filter (JSON), any extra option, Sort By and Sort Direction. */
export function listOptions(sortFields: Array<{ name: string; value: string }>, extra: INodeProperties[] = []): INodeProperties {
	return { displayName: 'Options', name: 'options', type: 'collection', placeholder: 'Add option', default: {}, options: [filterJsonOption, ...extra, ...sortOptions(sortFields)] };
}

export function sortBody(options: IDataObject): IDataObject {
	return {
		...(options.sortField ? { sortField: options.sortField } : {}),
		...(options.sortDirection ? { sortDirection: options.sortDirection } : {}),
	};
}

/** `10.0.0.0/8` or `2001:db8::/32`: the subnets of an IP range (api-data-enrichment-create.md). */
export function validateSubnets(value: unknown, label = 'Subnets'): string[] {
	const subnets = String(Array.isArray(value) ? value.join(',') : (value ?? ''))
		.split(/[\s,]+/)
		.map((item) => item.trim())
		.filter(Boolean);
	if (subnets.length === 0) refuse(label, `${label} is empty: enter one or more ranges, e.g. 203.0.113.0/24, 2001:db8::/32.`);
	for (const subnet of subnets) {
		const [address, mask, extra] = subnet.split('/');
		const maxMask = address.includes(':') ? 128 : 32;
		if (extra !== undefined || mask === undefined || !/^\d{1,3}$/.test(mask) || Number(mask) > maxMask || !isIpAddress(address)) {
			refuse(label, `${label}: "${subnet.slice(0, 60)}" is not an IPv4 or IPv6 range; write address/prefix, e.g. 203.0.113.0/24.`);
		}
	}
	return subnets;
}

/** A list call's limit: Return All, or Limit. */
export function readReturnLimit(this: IExecuteFunctions, itemIndex: number): number | undefined {
	if (this.getNodeParameter('returnAll', itemIndex, false) as boolean) return undefined;
	const limit = this.getNodeParameter('limit', itemIndex, 50) as number;
	if (!Number.isInteger(limit) || limit < 1) refuse('Limit', `Limit must be a whole number of at least 1, not ${limit}.`);
	return limit;
}
