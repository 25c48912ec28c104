import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
	type INodePropertyOptions,
} from 'n8n-workflow';

import { filtersCollection, operationSelector, returnAllOrLimit } from '../descriptions/common';
import { CLASSIFICATIONS, DETERMINATIONS, SEVERITIES } from '../descriptions/enums';
import { allOf, anyOf, odataDateTime, odataString } from '../transport/odata';
import { apiPath, validateId, type IdFormat } from '../transport/paths';
import { defenderApiRequest, defenderApiRequestAllItems } from '../transport/request';
import { oneAtATimePerObject } from './objectOrder';

/**
 * Incidents and alerts_v2 share Graph's shape: the same get / list / update / comment calls,
 * filters and enums. Each kind describes what differs; the operations are built from it.
 */
export interface SecurityItemKind {
	resource: 'incident' | 'alert';
	noun: string;
	collectionPath: string;
	locator: INodeProperties;
	idFormat: IdFormat;
	readPermission: string;
	writePermission: string;
	/** Largest `$top` the endpoint accepts. */
	maxPageSize: number;
	/** Statuses to filter on (every documented member but the sentinel). */
	statuses: INodePropertyOptions[];
	/** Statuses an update may set. */
	settableStatuses: INodePropertyOptions[];
	extraFilters: INodeProperties[];
	extraFilterClauses: (filters: IDataObject) => Array<string | undefined>;
	/** Options shared by Get and Get Many, e.g. expanding an incident's alerts. */
	readOptions: INodeProperties[];
	readQuery: (options: IDataObject) => Record<string, string | undefined>;
}

export type OperationModule = {
	description: INodeProperties[];
	execute: (this: IExecuteFunctions, itemIndex: number) => Promise<IDataObject | IDataObject[]>;
};

function show(kind: SecurityItemKind, operation: string, properties: INodeProperties[]) {
	return updateDisplayOptions({ show: { resource: [kind.resource], operation: [operation] } }, properties);
}

function readItemId(this: IExecuteFunctions, kind: SecurityItemKind, itemIndex: number): string {
	const raw = this.getNodeParameter(kind.locator.name, itemIndex, undefined, { extractValue: true });
	return validateId(raw, kind.idFormat);
}

function itemPath(kind: SecurityItemKind, id: string): string {
	return kind.collectionPath + apiPath`/${id}`;
}

function readOptionsCollection(kind: SecurityItemKind): INodeProperties[] {
	if (kind.readOptions.length === 0) return [];
	return [
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add option',
			default: {},
			options: kind.readOptions,
		},
	];
}

export function getOperation(kind: SecurityItemKind): OperationModule {
	return {
		description: show(kind, 'get', [kind.locator, ...readOptionsCollection(kind)]),
		async execute(itemIndex) {
			const id = readItemId.call(this, kind, itemIndex);
			const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
			return await defenderApiRequest.call(this, {
				api: 'graph',
				method: 'GET',
				path: itemPath(kind, id),
				query: kind.readQuery(options),
				batchable: true,
				permission: kind.readPermission,
				itemIndex,
			});
		},
	};
}

function dateFilter(label: string, field: string, operator: 'ge' | 'le'): INodeProperties {
	return {
		displayName: label,
		name: `${field}${operator === 'ge' ? 'After' : 'Before'}`,
		type: 'dateTime',
		default: '',
	};
}

function securityItemFilters(kind: SecurityItemKind): INodeProperties {
	return filtersCollection([
		{ displayName: 'Assigned To', name: 'assignedTo', type: 'string', default: '', placeholder: 'analyst@contoso.com' },
		{ displayName: 'Classification', name: 'classification', type: 'multiOptions', options: CLASSIFICATIONS, default: [] },
		dateFilter('Created After', 'created', 'ge'),
		dateFilter('Created Before', 'created', 'le'),
		{ displayName: 'Determination', name: 'determination', type: 'multiOptions', options: DETERMINATIONS, default: [] },
		dateFilter('Last Updated After', 'lastUpdated', 'ge'),
		dateFilter('Last Updated Before', 'lastUpdated', 'le'),
		{ displayName: 'Severity', name: 'severity', type: 'multiOptions', options: SEVERITIES, default: [] },
		{ displayName: 'Status', name: 'status', type: 'multiOptions', options: kind.statuses, default: [] },
		...kind.extraFilters,
	]);
}

const asList = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);

export function buildItemFilter(kind: SecurityItemKind, filters: IDataObject): string | undefined {
	const dateClause = (name: string, field: string, operator: 'ge' | 'le') =>
		filters[name] ? `${field} ${operator} ${odataDateTime(name, filters[name])}` : undefined;
	return allOf([
		anyOf('status', asList(filters.status)),
		anyOf('severity', asList(filters.severity)),
		anyOf('classification', asList(filters.classification)),
		anyOf('determination', asList(filters.determination)),
		filters.assignedTo ? `assignedTo eq ${odataString(String(filters.assignedTo).trim())}` : undefined,
		dateClause('createdAfter', 'createdDateTime', 'ge'),
		dateClause('createdBefore', 'createdDateTime', 'le'),
		dateClause('lastUpdatedAfter', 'lastUpdateDateTime', 'ge'),
		dateClause('lastUpdatedBefore', 'lastUpdateDateTime', 'le'),
		...kind.extraFilterClauses(filters),
	]);
}

export function getManyOperation(kind: SecurityItemKind): OperationModule {
	return {
		description: show(kind, 'getAll', [
			...returnAllOrLimit(kind.maxPageSize),
			securityItemFilters(kind),
			...readOptionsCollection(kind),
		]),
		async execute(itemIndex) {
			const returnAll = this.getNodeParameter('returnAll', itemIndex) as boolean;
			const limit = returnAll ? undefined : (this.getNodeParameter('limit', itemIndex) as number);
			const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
			const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
			return await defenderApiRequestAllItems.call(
				this,
				{
					api: 'graph',
					method: 'GET',
					path: kind.collectionPath,
					query: {
						$top: Math.min(limit ?? kind.maxPageSize, kind.maxPageSize),
						$filter: buildItemFilter(kind, filters),
						...kind.readQuery(options),
					},
					permission: kind.readPermission,
					itemIndex,
				},
				{ limit },
			);
		},
	};
}

export function updateFieldOptions(kind: SecurityItemKind): INodeProperties[] {
	const firstStatus = kind.settableStatuses[0].value;
	return [
		{ displayName: 'Assigned To', name: 'assignedTo', type: 'string', default: '', placeholder: 'analyst@contoso.com', description: 'User principal name of the owner; an empty value is ignored' },
		{ displayName: 'Classification', name: 'classification', type: 'options', options: CLASSIFICATIONS, default: 'unknown' },
		{ displayName: 'Determination', name: 'determination', type: 'options', options: DETERMINATIONS, default: 'unknown' },
		{ displayName: 'Status', name: 'status', type: 'options', options: kind.settableStatuses, default: firstStatus },
	];
}

export function requireSomeFields(this: IExecuteFunctions, fields: IDataObject, itemIndex: number): void {
	if (Object.keys(fields).length === 0) {
		throw new NodeOperationError(this.getNode(), 'Nothing to update: add at least one field under "Update Fields".', {
			itemIndex,
		});
	}
}

export async function patchItem(
	this: IExecuteFunctions,
	kind: SecurityItemKind,
	itemIndex: number,
	id: string,
	body: IDataObject,
): Promise<IDataObject> {
	return await defenderApiRequest.call(this, {
		api: 'graph',
		method: 'PATCH',
		path: itemPath(kind, id),
		body,
		batchable: true,
		permission: kind.writePermission,
		itemIndex,
	});
}

/** How an update confirms its write stuck, for read-modify-writes another writer may race. */
export type ConfirmWrite = (this: IExecuteFunctions, fields: IDataObject, id: string, itemIndex: number) => Promise<boolean>;

const MAX_WRITE_ATTEMPTS = 3;

export function updateOperation(
	kind: SecurityItemKind,
	extraFields: INodeProperties[],
	bodyFrom: (this: IExecuteFunctions, fields: IDataObject, id: string, itemIndex: number) => Promise<IDataObject>,
	confirmWrite?: ConfirmWrite,
): OperationModule {
	return {
		description: show(kind, 'update', [
			kind.locator,
			{
				displayName: 'Update Fields',
				name: 'updateFields',
				type: 'collection',
				placeholder: 'Add field',
				default: {},
				options: [...updateFieldOptions(kind), ...extraFields].sort((a, b) =>
					a.displayName.localeCompare(b.displayName),
				),
			},
		]),
		async execute(itemIndex) {
			const id = readItemId.call(this, kind, itemIndex);
			const fields = this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;
			requireSomeFields.call(this, fields, itemIndex);
			// Items updating one object go one after another, in input order.
			return await oneAtATimePerObject(this, `${kind.resource}/${id}`, async () => {
				for (let attempt = 1; ; attempt++) {
					const body = await bodyFrom.call(this, fields, id, itemIndex);
					const updated = await patchItem.call(this, kind, itemIndex, id, body);
					if (!confirmWrite || (await confirmWrite.call(this, fields, id, itemIndex))) return updated;
					if (attempt >= MAX_WRITE_ATTEMPTS) {
						throw new NodeOperationError(this.getNode(), `Another writer kept changing ${kind.noun} ${id} while this item updated it; the change was tried ${attempt} times.`, {
							description: 'Another workflow or an analyst is editing the same field right now. Run the item again once it has settled.',
							itemIndex,
						});
					}
				}
			});
		},
	};
}

/** The fields every kind shares, copied from the form as Graph names them. */
export function commonUpdateBody(fields: IDataObject): IDataObject {
	const body: IDataObject = {};
	for (const field of ['status', 'classification', 'determination'] as const) {
		if (fields[field] !== undefined) body[field] = fields[field];
	}
	if (typeof fields.assignedTo === 'string' && fields.assignedTo.trim() !== '') {
		body.assignedTo = fields.assignedTo.trim();
	}
	return body;
}

export function getItem(this: IExecuteFunctions, kind: SecurityItemKind, id: string, itemIndex: number) {
	return defenderApiRequest.call(this, {
		api: 'graph',
		method: 'GET',
		path: itemPath(kind, id),
		batchable: true,
		permission: kind.readPermission,
		itemIndex,
	});
}

export function addCommentOperation(kind: SecurityItemKind): OperationModule {
	return {
		description: show(kind, 'addComment', [
			kind.locator,
			{
				displayName: 'Comment',
				name: 'comment',
				type: 'string',
				typeOptions: { rows: 3 },
				default: '',
				required: true,
				description: `Text added to the ${kind.noun}'s comments in the Defender portal`,
			},
		]),
		async execute(itemIndex) {
			const id = readItemId.call(this, kind, itemIndex);
			const comment = String(this.getNodeParameter('comment', itemIndex, '')).trim();
			if (!comment) {
				throw new NodeOperationError(this.getNode(), 'Comment is empty: write the text to add.', { itemIndex });
			}
			const response = await defenderApiRequest.call(this, {
				api: 'graph',
				method: 'POST',
				path: `${itemPath(kind, id)}/comments`,
				body: { '@odata.type': 'microsoft.graph.security.alertComment', comment },
				batchable: true,
				permission: kind.writePermission,
				itemIndex,
			});
			const comments = Array.isArray(response.value) ? (response.value as IDataObject[]) : [];
			return { [`${kind.resource}Id`]: id, comment, comments };
		},
	};
}

export function operationProperty(kind: SecurityItemKind, updateSummary: string): INodeProperties {
	const { noun } = kind;
	return operationSelector(kind.resource, 'getAll', [
		{ name: 'Add Comment', value: 'addComment', action: `Add a comment to an ${noun}`, description: `Add a comment to an ${noun}` },
		{ name: 'Get', value: 'get', action: `Get an ${noun}`, description: `Get an ${noun} by ID` },
		{ name: 'Get Many', value: 'getAll', action: `Get many ${noun}s`, description: `List ${noun}s, filtered` },
		{ name: 'Update', value: 'update', action: `Update an ${noun}`, description: updateSummary },
	]);
}
