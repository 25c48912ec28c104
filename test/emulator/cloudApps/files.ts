import type { HandlerResult, RequestContext, Router } from '../server';
import type { CloudAppsEntityKey, CloudAppsFile, CloudAppsState } from '../store/types';
import type { FieldTable } from './common';
import { applyFilters, CLOUD_APPS_ROLES, cloudAppsRoute, filtersOf, listPage, notFound, pagingOf, requestParameters, state } from './common';

/** An owner matches its own key and its user's (selecting a user selects its accounts, as api-entities.md says of `entity`). */
function ownerKeys(file: CloudAppsFile, tenant: CloudAppsState): CloudAppsEntityKey[] {
	const owner = tenant.entities.find((entity) => entity.id === file.owner.id && entity.saas === file.owner.saas && entity.inst === file.owner.inst);
	return owner?.parent ? [file.owner, owner.parent] : [file.owner];
}

/** Filters of api-files.md ("Filters"). */
const FILE_FIELDS: FieldTable<CloudAppsFile> = {
	service: { kind: 'integer', operators: ['eq', 'neq'], values: (file) => [file.appId] },
	instance: { kind: 'integer', operators: ['eq', 'neq'], values: (file) => [file.instance] },
	fileType: { kind: 'integer', operators: ['eq', 'neq'], values: (file) => [file.fileType[0]] },
	allowDeleted: { kind: 'boolean', operators: ['eq'], values: () => [] },
	policy: { kind: 'string', operators: ['cabinetmatchedrulesequals', 'neq', 'isset', 'isnotset'], values: () => [] },
	filename: { kind: 'string', operators: ['eq'], values: (file) => [file.name] },
	modifiedDate: { kind: 'timestamp', operators: ['lte', 'gte', 'range', 'lte_ndays', 'gte_ndays'], values: (file) => [file.modifiedDate] },
	createdDate: { kind: 'timestamp', operators: ['lte', 'gte', 'range'], values: (file) => [file.createdDate] },
	'collaborators.entity': { kind: 'entity', operators: ['eq', 'neq'], values: () => [] },
	'collaborators.domains': { kind: 'string', operators: ['eq', 'neq'], values: (file) => file.collaborators.map((collaborator) => collaborator.domain) },
	'collaborators.groups': { kind: 'string', operators: ['eq', 'neq'], values: () => [] },
	'collaborators.withDomain': { kind: 'string', operators: ['eq', 'neq', 'deq'], values: (file) => file.collaborators.map((collaborator) => collaborator.domain) },
	'owner.entity': { kind: 'entity', operators: ['eq', 'neq'], values: ownerKeys },
	'owner.orgUnit': { kind: 'string', operators: ['eq', 'neq'], values: (file) => (file.ownerOrgUnit ? [file.ownerOrgUnit] : []) },
	sharing: { kind: 'integer', operators: ['eq', 'neq'], values: (file) => [file.fileAccessLevel[0]] },
	fileId: { kind: 'string', operators: ['eq', 'neq'], values: (file) => [file._id] },
	fileLabels: { kind: 'string', operators: ['eq', 'neq', 'isset', 'isnotset'], values: (file) => file.fileLabels },
	fileScanLabels: { kind: 'string', operators: ['eq', 'neq', 'isset', 'isnotset'], values: () => [] },
	extension: { kind: 'string', operators: ['eq', 'neq'], values: (file) => [file.fileExtension] },
	mimeType: { kind: 'string', operators: ['eq', 'neq'], values: (file) => [file.mimeType] },
	trashed: { kind: 'boolean', operators: ['eq'], values: (file) => [file.trashed] },
	parentFolder: { kind: 'string', operators: ['eq', 'neq'], values: () => [] },
	folder: { kind: 'boolean', operators: ['eq'], values: (file) => [file.isFolder] },
	quarantined: { kind: 'boolean', operators: ['eq'], values: (file) => [file.quarantined] },
	snapshotLastModifiedDate: { kind: 'timestamp', operators: ['lte', 'gte', 'range'], values: () => [] },
};

function listFiles(context: RequestContext): HandlerResult {
	const parameters = requestParameters(context);
	const filters = filtersOf(context, parameters);
	// api-files.md: allowDeleted "false or not set: Returns non-deleted (including trashed) files".
	const allowDeleted = (filters.allowDeleted as { eq?: unknown } | undefined)?.eq === true;
	const candidates = state(context).files.filter((file) => allowDeleted || !file.deleted);
	// api-files-list.md documents no sort: the emulator keeps the store's order.
	return listPage(applyFilters(context, candidates, filters, FILE_FIELDS), pagingOf(context, parameters), (file) => file);
}

export function registerFileRoutes(router: Router): void {
	// api-files-list.md: GET or POST /api/v1/files/
	cloudAppsRoute(router, 'GET', '/api/v1/files/', CLOUD_APPS_ROLES.investigationRead, listFiles);
	cloudAppsRoute(router, 'POST', '/api/v1/files/', CLOUD_APPS_ROLES.investigationRead, listFiles);
	// api-files-fetch.md: GET /api/v1/files/<pk>/
	cloudAppsRoute(router, 'GET', '/api/v1/files/:pk/', CLOUD_APPS_ROLES.investigationRead, (context) => {
		const file = state(context).files.find((candidate) => candidate._id === context.params.pk);
		return { status: 200, body: file ?? notFound(context, `File ${context.params.pk}`) };
	});
}
