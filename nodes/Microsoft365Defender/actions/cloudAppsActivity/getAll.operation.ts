import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { filtersCollection, returnAllOrLimit } from '../../descriptions/common';
import { OFFICE_365_APP_ID } from '../../descriptions/cloudApps';
import { showFor } from '../defenderForEndpoint';
import {
	addBooleanCondition,
	addCondition,
	cloudAppsList,
	cloudAppsRequest,
	integerList,
	listOptions,
	mergeFilterJson,
	readReturnLimit,
	sortBody,
	stringList,
	toMilliseconds,
	validateObjectId,
	YES_NO_EITHER,
	type CloudAppsFilters,
} from '../cloudApps';

export const description = showFor('cloudAppsActivity', 'getAll', [
	...returnAllOrLimit(),
	filtersCollection([
		{ displayName: 'Admin Activities', name: 'admin', type: 'options', options: YES_NO_EITHER, default: '' },
		{ displayName: 'After', name: 'after', type: 'dateTime', default: '', description: 'Activities that happened at or after this time' },
		{ displayName: 'Alert ID', name: 'alertId', type: 'string', default: '', description: 'Activities behind this Cloud Apps alert' },
		{ displayName: 'App IDs', name: 'services', type: 'string', default: '', placeholder: '11161, 20893', description: 'Comma-separated app (service) IDs' },
		{ displayName: 'Before', name: 'before', type: 'dateTime', default: '', description: 'Activities that happened at or before this time' },
		{ displayName: 'Countries', name: 'countries', type: 'string', default: '', placeholder: 'US, GB', description: 'Comma-separated two-letter country/region codes the activities came from' },
		{ displayName: 'Entity App ID', name: 'entityApp', type: 'number', default: OFFICE_365_APP_ID, description: 'App ID of the performing entity (11161 for a Microsoft 365 user)' },
		{ displayName: 'Entity ID', name: 'entityId', type: 'string', default: '', description: 'ID of the user or account entity that performed the activities' },
		{ displayName: 'Event Types', name: 'eventTypes', type: 'string', default: '', description: 'Comma-separated event types' },
		{ displayName: 'Impersonated', name: 'impersonated', type: 'options', options: YES_NO_EITHER, default: '' },
		{ displayName: 'IP Addresses', name: 'ips', type: 'string', default: '', description: 'Comma-separated IP addresses the activities came from' },
		{ displayName: 'Text', name: 'text', type: 'string', default: '', description: 'Free-text search' },
		{ displayName: 'User Names', name: 'users', type: 'string', default: '', placeholder: 'adele.vance@contoso.com', description: 'Comma-separated user names that performed the activities' },
	]),
	listOptions(
		[
			{ name: 'Date', value: 'date' },
			{ name: 'Saved (Created)', value: 'created' },
		],
		[
			{
				displayName: 'Scan Mode',
				name: 'scan',
				type: 'boolean',
				default: false,
				description:
					'Whether to read in Microsoft\'s scan mode, made for pulls of more than 5,000 activities: up to 5,000 a call, following nextQueryFilters (api-activities-investigate-script.md). Bound the pull (e.g. After) so Microsoft does not throttle it.',
			},
		],
	),
]);

function activityFilters(this: IExecuteFunctions, itemIndex: number, options: IDataObject): CloudAppsFilters {
	const values = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const filters: CloudAppsFilters = {};
	addCondition(filters, 'service', 'eq', integerList(values.services, 'App IDs'));
	addCondition(filters, 'user.username', 'eq', stringList(values.users));
	addCondition(filters, 'activity.eventType', 'eq', stringList(values.eventTypes));
	addCondition(filters, 'ip.address', 'eq', stringList(values.ips));
	addCondition(filters, 'location.country', 'eq', stringList(values.countries).map((code) => code.toUpperCase()));
	addBooleanCondition(filters, 'activity.type', values.admin);
	addBooleanCondition(filters, 'activity.impersonated', values.impersonated);
	if (values.after) addCondition(filters, 'date', 'gte', toMilliseconds(values.after, 'After'));
	if (values.before) addCondition(filters, 'date', 'lte', toMilliseconds(values.before, 'Before'));
	if (values.alertId) addCondition(filters, 'activity.alertId', 'eq', [validateObjectId(values.alertId, 'Alert ID')]);
	const entityId = String(values.entityId ?? '').trim();
	if (entityId) addCondition(filters, 'entity', 'eq', [{ id: entityId, saas: Number(values.entityApp ?? OFFICE_365_APP_ID), inst: 0 }]);
	const text = String(values.text ?? '').trim();
	if (text) addCondition(filters, 'text', 'text', text);
	return mergeFilterJson(filters, options.filterJson);
}

/** api-activities-investigate-script.md: scan-mode limit is 500 to 5,000 a call. */
const SCAN_PAGE = { min: 500, max: 5000 };

/**
 * Scan mode: each answer holds up to `limit` records, drops the last ones that share the edge timestamp, and gives
 * `nextQueryFilters` for the rest, until hasNext is false. Records are also kept once by `_id`, so a service that
 * repeated an edge record would not double it.
 */
async function scan(this: IExecuteFunctions, itemIndex: number, filters: CloudAppsFilters, sort: IDataObject, limit: number | undefined): Promise<IDataObject[]> {
	const records: IDataObject[] = [];
	const seen = new Set<string>();
	const pageSize = Math.min(SCAN_PAGE.max, Math.max(SCAN_PAGE.min, limit ?? SCAN_PAGE.max));
	let query: IDataObject = filters;
	for (let call = 1; ; call++) {
		const page = await cloudAppsRequest.call(this, {
			method: 'POST',
			path: '/api/v1/activities/',
			body: { filters: query, isScan: true, limit: pageSize, ...sort },
			permission: 'Investigation.read',
			itemIndex,
			idempotent: true,
		});
		const data = Array.isArray(page.data) ? (page.data as IDataObject[]) : [];
		let added = 0;
		for (const record of data) {
			const id = String(record._id ?? '');
			if (id !== '' && seen.has(id)) continue;
			seen.add(id);
			records.push(record);
			added++;
			if (limit !== undefined && records.length >= limit) return records;
		}
		this.logger.info(`Microsoft 365 Defender: Cloud Apps activities scan: ${records.length} activities after ${call} calls`);
		if (page.hasNext !== true) return records;
		const next = page.nextQueryFilters;
		if (typeof next !== 'object' || next === null || Array.isArray(next)) {
			throw new NodeOperationError(this.getNode(), 'Defender for Cloud Apps said more activities follow (hasNext) but gave no nextQueryFilters to read them.', { itemIndex });
		}
		if (added === 0 && JSON.stringify(next) === JSON.stringify(query)) {
			throw new NodeOperationError(this.getNode(), 'The activities scan stopped advancing: Defender for Cloud Apps returned the same query with no new activity.', {
				itemIndex,
				description: `${records.length} activities were read. Narrow the filters (e.g. After / Before) and run again.`,
			});
		}
		query = next as IDataObject;
	}
}

/** api-activities-list.md: POST /api/v1/activities/ (filters, sortField date / created, sortDirection, skip, limit). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const filters = activityFilters.call(this, itemIndex, options);
	const limit = readReturnLimit.call(this, itemIndex);
	const sort = sortBody(options);
	if (options.scan === true) return await scan.call(this, itemIndex, filters, sort, limit);
	return await cloudAppsList.call(this, { method: 'POST', path: '/api/v1/activities/', body: { filters, ...sort }, permission: 'Investigation.read', itemIndex }, limit);
}
