import { randomBytes } from 'node:crypto';
import { isIpAddress } from '../mde/common';
import { subnetOf } from '../store/cloudAppsSeed';
import type { HandlerResult, RequestContext, Router } from '../server';
import type { CloudAppsSubnet, CloudAppsSubnetTag } from '../store/types';
import type { FieldTable } from './common';
import {
	applyFilters,
	badRequest,
	CLOUD_APPS_ROLES,
	cloudAppsRoute,
	filtersOf,
	listPage,
	notFound,
	pagingOf,
	requestParameters,
	sortOf,
	sortRecords,
	state,
} from './common';

/** Filters of api-data-enrichment.md ("Filters"). */
const SUBNET_FIELDS: FieldTable<CloudAppsSubnet> = {
	category: { kind: 'integer', operators: ['eq', 'neq'], values: (subnet) => [subnet.category] },
	tags: { kind: 'string', operators: ['eq', 'neq'], values: (subnet) => subnet.tags.map((tag) => tag.id) },
	builtIn: { kind: 'boolean', operators: ['eq'], values: (subnet) => [subnet.builtIn] },
};

/** api-data-enrichment-list.md: sortField category, tags or name. */
const SUBNET_SORT = {
	fields: {
		category: (subnet: CloudAppsSubnet) => subnet.category,
		tags: (subnet: CloudAppsSubnet) => subnet.tags.map((tag) => tag.name).join(','),
		name: (subnet: CloudAppsSubnet) => subnet.name.toLowerCase(),
	},
	defaultField: 'name',
};

/** api-data-enrichment-create.md / -update.md: 1 corporate, 2 administrative, 3 risky, 4 VPN, 5 cloud provider, 6 other. */
const CATEGORIES = [1, 2, 3, 4, 5, 6];

function isCidr(text: string): boolean {
	const [address, mask, extra] = text.split('/');
	if (extra !== undefined || mask === undefined || !/^\d{1,3}$/.test(mask) || !isIpAddress(address)) return false;
	return Number(mask) <= (address.includes(':') ? 128 : 32);
}

function newObjectId(context: RequestContext): string {
	return Math.floor(context.runtime.clock.nowMs() / 1000).toString(16).padStart(8, '0') + randomBytes(8).toString('hex');
}

/** Tags as strings (the examples) or objects naming `text`, `name` or `id` (the tables); unknown names become new tags. */
function tagsOf(context: RequestContext, raw: unknown): CloudAppsSubnetTag[] {
	if (raw === undefined || raw === null) return [];
	if (!Array.isArray(raw)) return badRequest(context, "'tags' must be a list.");
	const known = state(context).subnets.flatMap((subnet) => subnet.tags);
	return raw.map((item: unknown) => {
		const named = typeof item === 'string' ? item : typeof item === 'object' && item !== null ? ((item as Record<string, unknown>).text ?? (item as Record<string, unknown>).name) : undefined;
		const id = typeof item === 'object' && item !== null ? (item as Record<string, unknown>).id : undefined;
		const existing = known.find((tag) => (id !== undefined && tag.id === id) || (typeof named === 'string' && tag.name.toLowerCase() === named.toLowerCase()));
		if (existing) return existing;
		if (typeof named !== 'string' || named.trim() === '') return badRequest(context, "Each tag must be a name or an object with 'text'.");
		const tagId = newObjectId(context);
		return { _id: tagId, id: tagId, name: named, target: 1, type: 0 };
	});
}

/**
 * The body of create and update. api-data-enrichment-update.md: the update is not built for partial updates; an
 * optional field left out (organization, tags) is emptied.
 */
function ruleOf(context: RequestContext, ownId?: string): Pick<CloudAppsSubnet, 'name' | 'category' | 'subnets' | 'organization' | 'tags'> {
	const parameters = requestParameters(context);
	const { name, category, subnets, organization } = parameters;
	if (typeof name !== 'string' || name.trim() === '') return badRequest(context, "'name' is required.");
	if (state(context).subnets.some((subnet) => subnet._id !== ownId && subnet.name.toLowerCase() === name.toLowerCase())) {
		return badRequest(context, `An IP range named '${name}' already exists: names are unique.`);
	}
	if (typeof category !== 'number' || !CATEGORIES.includes(category)) return badRequest(context, `'category' must be one of ${CATEGORIES.join(', ')}.`);
	if (!Array.isArray(subnets) || subnets.length === 0) return badRequest(context, "'subnets' must be a non-empty list of IPv4 or IPv6 ranges (CIDR).");
	for (const subnet of subnets) if (typeof subnet !== 'string' || !isCidr(subnet)) return badRequest(context, `'${String(subnet)}' is not an IPv4 or IPv6 range (CIDR).`);
	if (organization !== undefined && organization !== null && typeof organization !== 'string') return badRequest(context, "'organization' must be a string.");
	return { name, category, subnets: (subnets as string[]).map(subnetOf), organization: (organization as string | undefined) ?? '', tags: tagsOf(context, parameters.tags) };
}

function findSubnet(context: RequestContext): CloudAppsSubnet {
	return state(context).subnets.find((subnet) => subnet._id === context.params.id) ?? notFound(context, `IP range ${context.params.id}`);
}

function listSubnets(context: RequestContext): HandlerResult {
	const parameters = requestParameters(context);
	const matching = applyFilters(context, state(context).subnets, filtersOf(context, parameters), SUBNET_FIELDS);
	const sort = sortOf(context, { sortDirection: 'asc', ...parameters }, SUBNET_SORT);
	return listPage(sortRecords(matching, sort.key, sort.direction), pagingOf(context, parameters), (subnet) => subnet);
}

/** api-data-enrichment-create.md: "Returns the id of the new range as a string". */
function createSubnet(context: RequestContext): HandlerResult {
	const tenant = state(context);
	const rule = ruleOf(context);
	const subnet: CloudAppsSubnet = { _id: newObjectId(context), ...rule, location: null, lastModified: context.runtime.clock.nowMs(), builtIn: false, _tid: tenant.numericTenantId };
	tenant.subnets.push(subnet);
	return { status: 200, body: JSON.stringify(subnet._id) };
}

function updateSubnet(context: RequestContext): HandlerResult {
	const subnet = findSubnet(context);
	Object.assign(subnet, ruleOf(context, subnet._id), { lastModified: context.runtime.clock.nowMs() });
	return { status: 200, body: subnet };
}

function deleteSubnet(context: RequestContext): HandlerResult {
	const subnet = findSubnet(context);
	const tenant = state(context);
	tenant.subnets = tenant.subnets.filter((candidate) => candidate !== subnet);
	return { status: 200 };
}

export function registerSubnetRoutes(router: Router): void {
	// api-data-enrichment-list.md: GET or POST /api/v1/subnet/
	cloudAppsRoute(router, 'GET', '/api/v1/subnet/', CLOUD_APPS_ROLES.subnetRead, listSubnets);
	cloudAppsRoute(router, 'POST', '/api/v1/subnet/', CLOUD_APPS_ROLES.subnetRead, listSubnets);
	// api-data-enrichment-create.md: POST /api/v1/subnet/create_rule/
	cloudAppsRoute(router, 'POST', '/api/v1/subnet/create_rule/', CLOUD_APPS_ROLES.subnetManage, createSubnet);
	// api-data-enrichment-update.md: POST /api/v1/subnet/<ip_range_id>/update_rule/
	cloudAppsRoute(router, 'POST', '/api/v1/subnet/:id/update_rule/', CLOUD_APPS_ROLES.subnetManage, updateSubnet);
	// api-data-enrichment-delete.md: DELETE /api/v1/subnet/<ip_range_id>/
	cloudAppsRoute(router, 'DELETE', '/api/v1/subnet/:id/', CLOUD_APPS_ROLES.subnetManage, deleteSubnet);
}
