import { addRoutePermissions, requiredRolesFor } from '../auth/permissions';
import { graphTimestamp } from '../runtime';
import type { HandlerResult, RequestContext, Router } from '../server';
import type { Store } from '../store/store';
import { badRequest, listCollection, metadataUrl } from './common';
import type { EntitySchema } from './odata';

/**
 * Custom detection rules, Graph beta only (microsoftgraph/microsoft-graph-docs-contrib,
 * api-reference/beta/api/): security-detectionrule-list.md (GET, $top; CustomDetection.Read.All or
 * CustomDetection.ReadWrite.All), security-detectionrule-get.md, security-rulesroot-post-detectionrules.md
 * (201; client-provided id, displayName, queryCondition, schedule and status required; isEnabled deprecated
 * and removed on 2026-10-01 in favour of status), security-detectionrule-update.md (PATCH, 200 with the rule),
 * security-detectionrule-delete.md (204); resources/security-detectionrule.md. The user response action
 * disableUserResponseAction is gone since 2026-10-01 (automated actions replace response actions).
 */

const RULES_PATH = '/beta/security/rules/detectionRules';
const RULE_PATH = `${RULES_PATH}/:id`;
const READ = ['CustomDetection.Read.All', 'CustomDetection.ReadWrite.All'];
const WRITE = ['CustomDetection.ReadWrite.All'];

addRoutePermissions([
	{ api: 'graph', method: 'GET', pattern: RULES_PATH, anyOf: READ },
	{ api: 'graph', method: 'GET', pattern: RULE_PATH, anyOf: READ },
	{ api: 'graph', method: 'POST', pattern: RULES_PATH, anyOf: WRITE },
	{ api: 'graph', method: 'PATCH', pattern: RULE_PATH, anyOf: WRITE },
	{ api: 'graph', method: 'DELETE', pattern: RULE_PATH, anyOf: WRITE },
]);

const STATUSES = ['enabled', 'disabled', 'autoDisabled'];
const SCHEMA: EntitySchema = {
	typeName: 'microsoft.graph.security.detectionRule',
	properties: {
		id: { type: 'string', filterable: true },
		displayName: { type: 'string', filterable: true, sortable: true },
		status: { type: 'string', filterable: true },
		createdDateTime: { type: 'datetime', filterable: true, sortable: true },
	},
};

export function detectionRules(store: Store): Map<string, Record<string, unknown>> {
	let rules = store.graph.get('detectionRules') as Map<string, Record<string, unknown>> | undefined;
	if (!rules) {
		rules = new Map([
			[
				'7506',
				{
					'@odata.type': '#microsoft.graph.security.detectionRule',
					id: '7506',
					displayName: 'ban file',
					status: 'enabled',
					createdBy: 'soc@contoso.com',
					createdDateTime: '2026-02-28T16:28:15.3863467Z',
					lastModifiedBy: 'soc@contoso.com',
					lastModifiedDateTime: '2026-05-24T09:26:11.8630516Z',
					queryCondition: { queryText: 'DeviceFileEvents\r\n| where FileName == "ifz30zlx.dll"' },
					schedule: { frequency: 'PT24H' },
					lastRunDetails: { lastRunDateTime: null, status: null, failureReason: null, errorCode: null },
					detectionAction: { alertTemplate: { title: 'unwanted dll', description: 'test', severity: 'low', category: 'Malware' } },
				},
			],
		]);
		store.graph.set('detectionRules', rules);
	}
	return rules;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function merge(target: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
	const result = { ...target };
	for (const [key, value] of Object.entries(patch)) result[key] = isObject(value) && isObject(result[key]) ? merge(result[key] as Record<string, unknown>, value) : value;
	return result;
}

function checkRemovedMembers(context: RequestContext, body: Record<string, unknown>): void {
	if (JSON.stringify(body).includes('disableUserResponseAction')) {
		badRequest(context, "The response action 'disableUserResponseAction' is no longer supported: use the detection action's automatedActions.");
	}
	if (body.status !== undefined && !STATUSES.includes(String(body.status))) {
		badRequest(context, `Cannot convert the literal '${String(body.status)}' to the expected type 'microsoft.graph.security.detectionRuleStatus'.`);
	}
}

function findRule(context: RequestContext): Record<string, unknown> {
	return detectionRules(context.runtime.store).get(context.params.id) ?? context.fail(404, 'NotFound', `Detection rule '${context.params.id}' was not found.`);
}

const withContext = (context: RequestContext, rule: Record<string, unknown>): HandlerResult['body'] => ({ '@odata.context': metadataUrl(context, 'security/rules/detectionRules/$entity'), ...rule });

function create(context: RequestContext): HandlerResult {
	const body = context.body;
	if (!isObject(body)) return badRequest(context, 'Unable to read JSON request payload.');
	for (const name of ['id', 'displayName']) if (typeof body[name] !== 'string' || body[name] === '') return badRequest(context, `The property '${name}' is required.`);
	if (!isObject(body.queryCondition) || typeof body.queryCondition.queryText !== 'string' || body.queryCondition.queryText.trim() === '') {
		return badRequest(context, "The property 'queryCondition.queryText' is required.");
	}
	if (!isObject(body.schedule)) return badRequest(context, "The property 'schedule' is required.");
	if (body.status === undefined) return badRequest(context, "The property 'status' is required.");
	checkRemovedMembers(context, body);
	const rules = detectionRules(context.runtime.store);
	if (rules.has(String(body.id))) return context.fail(409, 'Conflict', `A detection rule with id '${String(body.id)}' already exists.`);
	const now = graphTimestamp(context.runtime.clock.nowMs());
	const creator = String(context.principal?.app_displayname ?? context.principal?.appid ?? 'app');
	const rule = {
		'@odata.type': '#microsoft.graph.security.detectionRule',
		...body,
		createdBy: creator,
		createdDateTime: now,
		lastModifiedBy: creator,
		lastModifiedDateTime: now,
		lastRunDetails: { lastRunDateTime: null, status: null, failureReason: null, errorCode: null },
	};
	rules.set(String(body.id), rule);
	return { status: 201, headers: { Location: `${context.runtime.urls.graph}${RULES_PATH}/${encodeURIComponent(String(body.id))}` }, body: withContext(context, rule) };
}

function update(context: RequestContext): HandlerResult {
	const rule = findRule(context);
	const body = context.body;
	if (!isObject(body) || Object.keys(body).length === 0) return badRequest(context, 'The request body must name at least one property to update.');
	for (const key of ['id', 'createdBy', 'createdDateTime', 'lastModifiedBy', 'lastModifiedDateTime', 'lastRunDetails']) {
		if (key in body) return badRequest(context, `The property '${key}' is read-only and cannot be updated.`);
	}
	checkRemovedMembers(context, body);
	const updated = merge(rule, body);
	updated.lastModifiedDateTime = graphTimestamp(context.runtime.clock.nowMs());
	detectionRules(context.runtime.store).set(context.params.id, updated);
	return { status: 200, body: withContext(context, updated) };
}

export function registerDetectionRuleRoutes(router: Router): void {
	const route = (method: string, pattern: string, handler: (context: RequestContext) => HandlerResult) =>
		router.add({ method, pattern, bucket: 'graph', requiredRoles: requiredRolesFor('graph', method, pattern), handler });
	route('GET', RULES_PATH, (context) =>
		listCollection({
			context,
			items: [...detectionRules(context.runtime.store).values()],
			schema: SCHEMA,
			resourcePath: 'security/rules/detectionRules',
			maxTop: Number.MAX_SAFE_INTEGER,
			defaultPageSize: 100,
			defaultOrder: [],
			tieBreaker: (a, b) => String(a.id).localeCompare(String(b.id)),
			allowedExpand: [],
			serialize: (rule) => rule,
		}),
	);
	route('GET', RULE_PATH, (context) => ({ status: 200, body: withContext(context, findRule(context)) }));
	route('POST', RULES_PATH, create);
	route('PATCH', RULE_PATH, update);
	route('DELETE', RULE_PATH, (context) => {
		findRule(context);
		detectionRules(context.runtime.store).delete(context.params.id);
		return { status: 204 };
	});
}
