import type { HandlerResult, RequestContext, Router } from '../server';
import type { CloudAppsEntity, CloudAppsEntityKey } from '../store/types';
import type { FieldTable } from './common';
import {
	applyFilters,
	badRequest,
	CLOUD_APPS_ROLES,
	cloudAppsRoute,
	decodeEntityKey,
	filtersOf,
	listPage,
	notFound,
	pagingOf,
	requestParameters,
	sortOf,
	sortRecords,
	state,
	without,
} from './common';

type KeyedEntity = CloudAppsEntity & { _id: string };

/** Filters of api-entities.md ("Filters"); `entity` on a user also selects its accounts, as the page says. */
const ENTITY_FIELDS: FieldTable<CloudAppsEntity> = {
	type: { kind: 'string', operators: ['eq', 'neq'], values: (entity) => [entity.type] },
	isAdmin: { kind: 'boolean', operators: ['eq'], values: (entity) => [entity.isAdmin] },
	entity: { kind: 'entity', operators: ['eq', 'neq'], values: (entity) => (entity.parent ? [keyOf(entity), entity.parent] : [keyOf(entity)]) },
	userGroups: { kind: 'string', operators: ['eq', 'neq'], values: (entity) => entity.userGroups },
	app: { kind: 'integer', operators: ['eq', 'neq'], values: (entity) => [entity.saas] },
	instance: { kind: 'integer', operators: ['eq', 'neq'], values: (entity) => [entity.saas] },
	isExternal: { kind: 'boolean', operators: ['eq'], values: (entity) => [entity.isExternal] },
	domain: { kind: 'string', operators: ['eq', 'neq', 'isset', 'isnotset'], values: (entity) => (entity.domain ? [entity.domain] : []) },
	organization: { kind: 'string', operators: ['eq', 'neq', 'isset', 'isnotset'], values: (entity) => (entity.organization ? [entity.organization] : []) },
	lastSeen: { kind: 'timestamp', operators: ['lte', 'gte', 'range'], values: (entity) => [entity.lastSeen] },
	status: { kind: 'integer', operators: ['eq', 'neq'], values: (entity) => [entity.status] },
	score: { kind: 'integer', operators: ['lt', 'gt', 'isset', 'isnotset'], values: (entity) => [entity.score] },
};

/** api-entities-list.md: sortField date or severity (the emulator reads them as last seen and score). */
const ENTITY_SORT = { fields: { date: (entity: KeyedEntity) => entity.lastSeen, severity: (entity: KeyedEntity) => entity.score }, defaultField: 'date' };

function keyOf(entity: CloudAppsEntityKey): CloudAppsEntityKey {
	return { id: entity.id, saas: entity.saas, inst: entity.inst };
}

function sameKey(a: CloudAppsEntityKey, b: CloudAppsEntityKey): boolean {
	return a.id === b.id && a.saas === b.saas && a.inst === b.inst;
}

function withSortId(entity: CloudAppsEntity): KeyedEntity {
	return { ...entity, _id: `${entity.saas}/${entity.inst}/${entity.id}` };
}

function serialize(entity: CloudAppsEntity): CloudAppsEntity {
	return { ...entity };
}

function listEntities(context: RequestContext): HandlerResult {
	const parameters = requestParameters(context);
	const matching = applyFilters(context, state(context).entities, filtersOf(context, parameters), ENTITY_FIELDS).map(withSortId);
	const sort = sortOf(context, parameters, ENTITY_SORT);
	return listPage(sortRecords(matching, sort.key, sort.direction), pagingOf(context, parameters), (entity) => without(entity, ['_id']));
}

function findEntity(context: RequestContext, key: CloudAppsEntityKey): CloudAppsEntity {
	return state(context).entities.find((entity) => sameKey(entity, key)) ?? notFound(context, `Entity ${JSON.stringify(key)}`);
}

/** api-entities-fetch.md: pk is base64 of `{"id","saas","inst"}`. */
function fetchEntity(context: RequestContext): HandlerResult {
	const key = decodeEntityKey(context.params.pk);
	if (!key) return badRequest(context, 'The entity key must be base64 of {"id": "...", "saas": <app id>, "inst": <instance>}.');
	return { status: 200, body: serialize(findEntity(context, key)) };
}

/**
 * api-entities-fetch-tree.md: a user gives all its accounts; an account gives its parent and siblings. The page calls
 * pk "the ID of the entity" while the fetch page encodes it: both forms are served. The tree record is not documented:
 * the emulator answers the user with its accounts in `children`.
 */
function fetchTree(context: RequestContext): HandlerResult {
	const tenant = state(context);
	const key = decodeEntityKey(context.params.pk);
	const entity = key ? findEntity(context, key) : (tenant.entities.find((candidate) => candidate.type === 'user' && candidate.id === context.params.pk) ?? notFound(context, `Entity ${context.params.pk}`));
	const root = entity.parent ? findEntity(context, entity.parent) : entity;
	const children = tenant.entities.filter((candidate) => candidate.parent && sameKey(candidate.parent, root));
	return { status: 200, body: { ...serialize(root), children: children.map(serialize) } };
}

export function registerEntityRoutes(router: Router): void {
	// api-entities-list.md: GET or POST /api/v1/entities/
	cloudAppsRoute(router, 'GET', '/api/v1/entities/', CLOUD_APPS_ROLES.investigationRead, listEntities);
	cloudAppsRoute(router, 'POST', '/api/v1/entities/', CLOUD_APPS_ROLES.investigationRead, listEntities);
	// api-entities-fetch.md: GET /api/v1/entities/<pk>/
	cloudAppsRoute(router, 'GET', '/api/v1/entities/:pk/', CLOUD_APPS_ROLES.investigationRead, fetchEntity);
	// api-entities-fetch-tree.md: GET /api/v1/entities/<pk>/retrieve_tree/
	cloudAppsRoute(router, 'GET', '/api/v1/entities/:pk/retrieve_tree/', CLOUD_APPS_ROLES.investigationRead, fetchTree);
}
