import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { filtersCollection, returnAllOrLimit } from '../../descriptions/common';
import { FILE_TYPES, OFFICE_365_APP_ID, SHARING_LEVELS } from '../../descriptions/cloudApps';
import { showFor } from '../defenderForEndpoint';
import {
	addBooleanCondition,
	addCondition,
	cloudAppsList,
	filterJsonOption,
	integerList,
	mergeFilterJson,
	readReturnLimit,
	stringList,
	toMilliseconds,
	YES_NO_EITHER,
	type CloudAppsFilters,
} from '../cloudApps';

export const description = showFor('cloudAppsFile', 'getAll', [
	...returnAllOrLimit(100),
	filtersCollection([
		{ displayName: 'App IDs', name: 'services', type: 'string', default: '', placeholder: '15600, 20892', description: 'Comma-separated app IDs, e.g. 15600 OneDrive for Business' },
		{ displayName: 'Created After', name: 'createdAfter', type: 'dateTime', default: '' },
		{ displayName: 'Created Before', name: 'createdBefore', type: 'dateTime', default: '' },
		{ displayName: 'Extensions', name: 'extensions', type: 'string', default: '', placeholder: 'docx, xlsx', description: 'Comma-separated file extensions' },
		{ displayName: 'File Name', name: 'filename', type: 'string', default: '', description: 'Exact file name' },
		{ displayName: 'File Type', name: 'fileType', type: 'multiOptions', options: FILE_TYPES, default: [] },
		{ displayName: 'Modified After', name: 'modifiedAfter', type: 'dateTime', default: '' },
		{ displayName: 'Modified Before', name: 'modifiedBefore', type: 'dateTime', default: '' },
		{ displayName: 'Owner App ID', name: 'ownerApp', type: 'number', default: OFFICE_365_APP_ID, description: 'App ID of the owner entity (11161 for a Microsoft 365 user, which also selects the files its app accounts own)' },
		{ displayName: 'Owner Entity ID', name: 'ownerId', type: 'string', default: '', description: 'ID of the user or account entity that owns the files' },
		{ displayName: 'Owner Organizational Units', name: 'ownerOrgUnits', type: 'string', default: '', description: 'Comma-separated organizational units of the owners' },
		{ displayName: 'Quarantined', name: 'quarantined', type: 'options', options: YES_NO_EITHER, default: '' },
		{ displayName: 'Sharing Level', name: 'sharing', type: 'multiOptions', options: SHARING_LEVELS, default: [] },
		{ displayName: 'Shared With Domains', name: 'domains', type: 'string', default: '', placeholder: 'gmail.com', description: 'Comma-separated domains the files are shared with' },
		{ displayName: 'Trashed', name: 'trashed', type: 'options', options: YES_NO_EITHER, default: '' },
	]),
	{ displayName: 'Filter Options', name: 'filterOptions', type: 'collection', placeholder: 'Add option', default: {}, options: [filterJsonOption] },
]);

function fileFilters(this: IExecuteFunctions, itemIndex: number): CloudAppsFilters {
	const values = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const options = this.getNodeParameter('filterOptions', itemIndex, {}) as IDataObject;
	const filters: CloudAppsFilters = {};
	addCondition(filters, 'service', 'eq', integerList(values.services, 'App IDs'));
	addCondition(filters, 'sharing', 'eq', values.sharing);
	addCondition(filters, 'fileType', 'eq', values.fileType);
	addCondition(filters, 'extension', 'eq', stringList(values.extensions).map((extension) => extension.replace(/^\./, '')));
	addCondition(filters, 'owner.orgUnit', 'eq', stringList(values.ownerOrgUnits));
	addCondition(filters, 'collaborators.withDomain', 'eq', stringList(values.domains));
	const filename = String(values.filename ?? '').trim();
	if (filename) addCondition(filters, 'filename', 'eq', [filename]);
	const ownerId = String(values.ownerId ?? '').trim();
	if (ownerId) addCondition(filters, 'owner.entity', 'eq', [{ id: ownerId, saas: Number(values.ownerApp ?? OFFICE_365_APP_ID), inst: 0 }]);
	addBooleanCondition(filters, 'quarantined', values.quarantined);
	addBooleanCondition(filters, 'trashed', values.trashed);
	if (values.modifiedAfter) addCondition(filters, 'modifiedDate', 'gte', toMilliseconds(values.modifiedAfter, 'Modified After'));
	if (values.modifiedBefore) addCondition(filters, 'modifiedDate', 'lte', toMilliseconds(values.modifiedBefore, 'Modified Before'));
	if (values.createdAfter) addCondition(filters, 'createdDate', 'gte', toMilliseconds(values.createdAfter, 'Created After'));
	if (values.createdBefore) addCondition(filters, 'createdDate', 'lte', toMilliseconds(values.createdBefore, 'Created Before'));
	return mergeFilterJson(filters, options.filterJson);
}

/** api-files-list.md: POST /api/v1/files/ (filters, skip, limit; no sort documented). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const filters = fileFilters.call(this, itemIndex);
	const limit = readReturnLimit.call(this, itemIndex);
	return await cloudAppsList.call(this, { method: 'POST', path: '/api/v1/files/', body: { filters }, permission: 'Investigation.read', itemIndex }, limit);
}
