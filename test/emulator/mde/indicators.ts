import type { EntitySchema } from '../graph/odata';
import type { HandlerResult, RequestContext, Router } from '../server';
import type { Store } from '../store/store';
import { bodyObject, callerRoles, entity, isDomainName, isIpAddress, isUrl, listEntities, MD5, mdeTimestamp, requestorName, SHA1, SHA256 } from './common';
import { MDE_ROLES, mdeRoute } from './permissions';
import type { IndicatorRecord } from './state';
import { indicators, isActiveIndicator, settings } from './state';

/**
 * ti-indicator.md (MicrosoftDocs/defender-docs, defender-endpoint/api): indicatorType, action and severity.
 * An indicator can carry any of the actions; a submit or import takes only those of "Indicator Types"
 * (Alert and AlertAndBlock are the prior actions, no longer taken).
 */
export const INDICATOR_TYPES = ['FileSha1', 'FileSha256', 'FileMd5', 'CertificateThumbprint', 'IpAddress', 'DomainName', 'Url'] as const;
export const INDICATOR_ACTIONS = ['Alert', 'Warn', 'Block', 'Audit', 'BlockAndRemediate', 'AlertAndBlock', 'Allowed'] as const;
export const INDICATOR_SUBMIT_ACTIONS = ['Allowed', 'Audit', 'Block', 'BlockAndRemediate', 'Warn'] as const;
export const INDICATOR_SEVERITIES = ['Informational', 'Low', 'Medium', 'High'] as const;

export const INDICATOR_SCHEMA: EntitySchema = {
	typeName: 'microsoft.windowsDefenderATP.api.Indicator',
	properties: {
		id: { type: 'string', filterable: true },
		indicatorValue: { type: 'string', filterable: true },
		indicatorType: { type: 'enum', enumTypeName: 'microsoft.windowsDefenderATP.api.IndicatorType', enumValues: INDICATOR_TYPES, filterable: true },
		action: { type: 'enum', enumTypeName: 'microsoft.windowsDefenderATP.api.IndicatorAction', enumValues: INDICATOR_ACTIONS, filterable: true },
		application: { type: 'string', filterable: true },
		createdBy: { type: 'string', filterable: true },
		createdByDisplayName: { type: 'string', filterable: true },
		title: { type: 'string', filterable: true },
		description: { type: 'string' },
		severity: { type: 'enum', enumTypeName: 'microsoft.windowsDefenderATP.api.IndicatorSeverity', enumValues: INDICATOR_SEVERITIES, filterable: true },
		expirationTime: { type: 'datetime', filterable: true },
		generateAlert: { type: 'boolean', filterable: true },
		rbacGroupNames: { type: 'stringCollection', filterable: true },
		rbacGroupIds: { type: 'stringCollection', filterable: true },
		creationTimeDateTimeUtc: { type: 'datetime', filterable: true, sortable: true },
		lastUpdateTime: { type: 'datetime', sortable: true },
	},
};

/** Thrown for a wrong indicator: the API answers 400 with it, the import reports it as the item's failure. */
class IndicatorInputError extends Error {
	constructor(
		readonly code: string,
		message: string,
	) {
		super(message);
	}
}

function rbacGroups(store: Store): Map<string, number> {
	const groups = new Map<string, number>();
	for (const machine of store.machines) groups.set(machine.rbacGroupName, machine.rbacGroupId);
	return groups;
}

function stringField(body: Record<string, unknown>, name: string, required: boolean): string | null {
	const value = body[name];
	if (value === undefined || value === null || value === '') {
		if (required) throw new IndicatorInputError('MissingRequiredParameter', `Parameter ${name} is missing.`);
		return null;
	}
	if (typeof value !== 'string') throw new IndicatorInputError('InvalidInput', `Invalid input ${name}.`);
	return value;
}

function enumField<T extends string>(body: Record<string, unknown>, name: string, allowed: readonly T[], required: boolean): T | null {
	const value = stringField(body, name, required);
	if (value === null) return null;
	const match = allowed.find((candidate) => candidate.toLowerCase() === value.toLowerCase());
	if (!match) throw new IndicatorInputError('InvalidInput', `Invalid input ${name}: ${value}. Possible values are: ${allowed.join(', ')}.`);
	return match;
}

function checkValue(type: string, value: string): string {
	const hash = (pattern: RegExp) => {
		if (!pattern.test(value)) throw new IndicatorInputError('InvalidHashValue', `Hash value ${value} is invalid.`);
		return value.toLowerCase();
	};
	switch (type) {
		case 'FileSha1':
		case 'CertificateThumbprint':
			return hash(SHA1);
		case 'FileSha256':
			return hash(SHA256);
		case 'FileMd5':
			return hash(MD5);
		case 'IpAddress':
			if (value.includes('/')) throw new IndicatorInputError('InvalidIpAddress', `IP address ${value} is invalid. CIDR notation isn't supported.`);
			if (!isIpAddress(value)) throw new IndicatorInputError('InvalidIpAddress', `IP address ${value} is invalid.`);
			return value;
		case 'DomainName':
			if (!isDomainName(value)) throw new IndicatorInputError('InvalidDomainName', `Domain name ${value} is invalid.`);
			return value.toLowerCase();
		default:
			if (!isUrl(value)) throw new IndicatorInputError('InvalidUrl', `URL ${value} is invalid.`);
			return value;
	}
}

/** Submit or update one indicator (same value and type = update), as POST /api/indicators and the import do. */
function upsertIndicator(context: RequestContext, input: unknown): IndicatorRecord {
	if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new IndicatorInputError('InvalidRequestBody', 'Request body is incorrect');
	const body = input as Record<string, unknown>;
	const { store, clock } = context.runtime;
	const indicatorType = enumField(body, 'indicatorType', INDICATOR_TYPES, true) as string;
	const indicatorValue = checkValue(indicatorType, (stringField(body, 'indicatorValue', true) as string).trim());
	const action = enumField(body, 'action', INDICATOR_SUBMIT_ACTIONS, true) as string;
	const title = stringField(body, 'title', true) as string;
	const description = stringField(body, 'description', true) as string;
	const severity = enumField(body, 'severity', INDICATOR_SEVERITIES, false) ?? 'Informational';
	const generateAlert = body.generateAlert ?? false;
	if (typeof generateAlert !== 'boolean') throw new IndicatorInputError('InvalidInput', `Invalid input generateAlert: ${JSON.stringify(body.generateAlert)}.`);
	if (action === 'Audit' && !generateAlert) {
		throw new IndicatorInputError('InvalidInput', 'Invalid input generateAlert: the GenerateAlert parameter must be set to true when creating an action with Audit.');
	}
	const expirationText = stringField(body, 'expirationTime', false);
	const expirationMs = expirationText === null ? null : Date.parse(expirationText);
	if (expirationMs !== null && Number.isNaN(expirationMs)) throw new IndicatorInputError('InvalidInput', `Invalid input expirationTime: ${expirationText}.`);
	const now = clock.nowMs();
	if (expirationMs !== null && expirationMs <= now) throw new IndicatorInputError('InvalidInput', 'Invalid input expirationTime: the expiration time must be in the future.');
	let groupNames: string[] = [];
	if (Array.isArray(body.rbacGroupNames)) groupNames = body.rbacGroupNames.map(String);
	else if (typeof body.rbacGroupNames === 'string') groupNames = body.rbacGroupNames.split(',').map((name) => name.trim()).filter(Boolean);
	else if (body.rbacGroupNames !== undefined && body.rbacGroupNames !== null) throw new IndicatorInputError('InvalidInput', 'Invalid input rbacGroupNames.');
	const groups = rbacGroups(store);
	const unknownGroup = groupNames.find((name) => !groups.has(name));
	if (unknownGroup) throw new IndicatorInputError('InvalidInput', `Invalid input rbacGroupNames: device group '${unknownGroup}' was not found.`);

	const list = indicators(store);
	const existing = list.find((record) => record.indicatorType === indicatorType && record.indicatorValue.toLowerCase() === indicatorValue.toLowerCase());
	const limits = settings(store);
	if (!existing && list.filter((record) => isActiveIndicator(record, now)).length >= limits.maxActiveIndicators) {
		throw new IndicatorInputError('BadRequest', `The tenant has reached the limit of ${limits.maxActiveIndicators} active indicators. Delete indicators or let them expire before adding new ones.`);
	}
	const caller = requestorName(context);
	const appId = String(context.principal?.appid ?? '');
	const fields = {
		indicatorValue,
		indicatorType,
		action,
		title,
		description,
		severity,
		generateAlert,
		recommendedActions: stringField(body, 'recommendedActions', false),
		expirationTime: expirationMs === null ? null : new Date(expirationMs).toISOString().replace(/\.000Z$/, 'Z'),
		rbacGroupNames: groupNames,
		rbacGroupIds: groupNames.map((name) => String(groups.get(name))),
		educateUrl: stringField(body, 'educateUrl', false),
		externalId: stringField(body, 'externalId', false),
		lastUpdateTime: mdeTimestamp(now),
		lastUpdatedBy: caller,
	};
	if (existing) {
		Object.assign(existing, fields);
		return existing;
	}
	const record: IndicatorRecord = {
		id: String(limits.nextIndicatorId++),
		application: stringField(body, 'application', false),
		source: caller,
		sourceType: 'AadApp',
		createdBy: appId,
		createdByDisplayName: caller,
		createdBySource: 'PublicApi',
		creationTimeDateTimeUtc: mdeTimestamp(now),
		mitreTechniques: [],
		...fields,
		lastUpdatedBy: null,
	};
	list.push(record);
	return record;
}

export function serializeIndicator(record: IndicatorRecord): Record<string, unknown> {
	return { ...record, rbacGroupNames: [...record.rbacGroupNames], rbacGroupIds: [...record.rbacGroupIds], mitreTechniques: [...record.mitreTechniques] };
}

/** Ti.ReadWrite sees (and may change) only the indicators its app created; Ti.ReadWrite.All sees all. */
function visibleIndicators(context: RequestContext): IndicatorRecord[] {
	const all = indicators(context.runtime.store);
	if (callerRoles(context).includes('Ti.ReadWrite.All')) return all;
	const appId = String(context.principal?.appid ?? '');
	return all.filter((record) => record.createdBy === appId);
}

function submit(context: RequestContext): HandlerResult {
	const body = bodyObject(context);
	try {
		return entity(context, 'Indicators/$entity', serializeIndicator(upsertIndicator(context, body)));
	} catch (error) {
		if (error instanceof IndicatorInputError) return context.fail(400, error.code, error.message);
		throw error;
	}
}

function importIndicators(context: RequestContext): HandlerResult {
	const body = bodyObject(context);
	const list = body.Indicators;
	if (list === undefined || list === null) return context.fail(400, 'MissingRequiredParameter', 'Parameter Indicators is missing.');
	if (!Array.isArray(list)) return context.fail(400, 'InvalidRequestBody', 'Request body is incorrect');
	const allowed = settings(context.runtime.store).maxImportBatch;
	if (list.length > allowed) {
		return context.fail(400, 'MaximumBatchSizeExceeded', `Maximum batch size exceeded. Received: ${list.length}, allowed: ${allowed}.`);
	}
	const value = list.map((input) => {
		const indicator = typeof input === 'object' && input !== null ? (input as Record<string, unknown>).indicatorValue : undefined;
		try {
			const record = upsertIndicator(context, input);
			return { id: record.id, indicator: record.indicatorValue, isFailed: false, failureReason: null };
		} catch (error) {
			if (!(error instanceof IndicatorInputError)) throw error;
			return { id: null, indicator: typeof indicator === 'string' ? indicator : null, isFailed: true, failureReason: error.message };
		}
	});
	return { status: 200, body: { value } };
}

export function registerIndicatorRoutes(router: Router): void {
	const route = mdeRoute(router);

	route('GET', '/api/indicators', MDE_ROLES.indicators, (context) =>
		listEntities({
			context,
			items: visibleIndicators(context).map(serializeIndicator),
			schema: INDICATOR_SCHEMA,
			entitySet: 'Indicators',
			maxTop: 10_000,
			serialize: (item) => item,
		}),
	);
	route('POST', '/api/indicators', MDE_ROLES.indicators, submit);
	route('POST', '/api/indicators/import', MDE_ROLES.indicators, importIndicators);
	route('DELETE', '/api/indicators/:id', MDE_ROLES.indicators, (context) => {
		const id = context.params.id;
		const record = visibleIndicators(context).find((candidate) => candidate.id === id);
		if (!record) return context.fail(404, 'ResourceNotFound', `Indicator ${id} was not found`);
		const list = indicators(context.runtime.store);
		list.splice(list.indexOf(record), 1);
		return { status: 204 };
	});
}
