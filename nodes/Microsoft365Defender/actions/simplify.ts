import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { CLOUD_APPS_ALERT_STATUS_NAMES, CLOUD_APPS_RESOLUTION_NAMES, CLOUD_APPS_SEVERITY_NAMES } from '../descriptions/cloudApps';
import { isoDate } from './cloudApps';

/**
 * Simplify and Fields to Return (node version 1.1 on). Microsoft's objects carry dozens of fields
 * (an alert's evidence alone can be hundreds of lines); an analyst's next node and an AI agent's
 * context need the dozen that say what happened, to what, and how bad it is. Version 1 has
 * neither field, so workflows saved with it keep Microsoft's whole objects.
 *
 * Graph's incident and alert list pages document no `$select`, so Fields to Return picks locally
 * on every API, the same way.
 */

type Simplifier = (item: IDataObject) => IDataObject;

/** The node versions that have Simplify: 1.1 and later. */
const FROM_VERSION_1_1 = { '@version': [{ _cnd: { gte: 1.1 } }] };

function pick(fields: readonly string[], extra?: (item: IDataObject) => IDataObject): Simplifier {
	return (item) => {
		const simplified: IDataObject = {};
		for (const field of fields) if (item[field] !== undefined) simplified[field] = item[field];
		return extra ? { ...simplified, ...extra(item) } : simplified;
	};
}

function nested(value: unknown, field: string): unknown {
	return value && typeof value === 'object' ? (value as IDataObject)[field] : undefined;
}

/** The value that names each kind of evidence (security-alert.md's evidence types). */
const EVIDENCE_NAMES: Record<string, (evidence: IDataObject) => unknown> = {
	analyzedMessage: (evidence) => evidence.subject ?? evidence.networkMessageId,
	cloudApplication: (evidence) => evidence.displayName,
	device: (evidence) => evidence.deviceDnsName ?? evidence.mdeDeviceId,
	file: (evidence) => nested(evidence.fileDetails, 'sha256') ?? nested(evidence.fileDetails, 'fileName'),
	ip: (evidence) => evidence.ipAddress,
	mailbox: (evidence) => evidence.primaryAddress ?? evidence.displayName,
	oauthApplication: (evidence) => evidence.displayName,
	process: (evidence) => nested(evidence.imageFile, 'fileName') ?? evidence.processCommandLine,
	registryKey: (evidence) => evidence.registryKey,
	registryValue: (evidence) => evidence.registryValueName ?? evidence.registryKey,
	securityGroup: (evidence) => evidence.displayName,
	url: (evidence) => evidence.url,
	user: (evidence) =>
		nested(evidence.userAccount, 'userPrincipalName') ?? nested(evidence.userAccount, 'accountName') ?? nested(evidence.userAccount, 'displayName'),
};

/** An evidence entry's kind, what it is, and Defender's verdict on it. */
export function describeEvidence(entry: IDataObject): IDataObject {
	const type = String(entry['@odata.type'] ?? '')
		.replace('#microsoft.graph.security.', '')
		.replace(/Evidence$/, '');
	const name = EVIDENCE_NAMES[type]?.(entry);
	return {
		type,
		...(name !== undefined ? { name } : {}),
		...(entry.verdict !== undefined ? { verdict: entry.verdict } : {}),
		...(entry.remediationStatus !== undefined ? { remediationStatus: entry.remediationStatus } : {}),
	};
}

/** One line per evidence entry. */
function simplifyEvidence(evidence: unknown): IDataObject[] | undefined {
	if (!Array.isArray(evidence)) return undefined;
	return evidence.map(describeEvidence);
}

const simplifyAlert = pick(
	[
		'id', 'incidentId', 'title', 'severity', 'status', 'classification', 'determination', 'category',
		'serviceSource', 'detectionSource', 'assignedTo', 'createdDateTime', 'lastUpdateDateTime',
		'firstActivityDateTime', 'lastActivityDateTime', 'threatDisplayName', 'mitreTechniques', 'alertWebUrl',
	],
	(alert) => (Array.isArray(alert.evidence) ? { evidence: simplifyEvidence(alert.evidence) } : {}),
);

const simplifyIncident = pick(
	[
		'id', 'displayName', 'severity', 'status', 'classification', 'determination', 'assignedTo', 'customTags',
		'createdDateTime', 'lastUpdateDateTime', 'incidentWebUrl', 'description', 'summary',
	],
	(incident) => (Array.isArray(incident.alerts) ? { alerts: (incident.alerts as IDataObject[]).map(simplifyAlert) } : {}),
);

const simplifyDevice = pick([
	'id', 'computerDnsName', 'osPlatform', 'osVersion', 'healthStatus', 'onboardingStatus', 'riskScore',
	'exposureLevel', 'deviceValue', 'lastSeen', 'lastIpAddress', 'lastExternalIpAddress', 'machineTags',
	'rbacGroupName', 'aadDeviceId',
]);

/** machine.md's alert resource, as the device's related alerts return it. */
const simplifyDeviceAlert = pick([
	'id', 'incidentId', 'title', 'severity', 'status', 'classification', 'determination', 'category',
	'detectionSource', 'machineId', 'computerDnsName', 'alertCreationTime', 'lastUpdateTime', 'mitreTechniques',
]);

const simplifyMachineAction = pick([
	'id', 'type', 'status', 'machineId', 'computerDnsName', 'requestor', 'requestorComment',
	'creationDateTimeUtc', 'lastUpdateDateTimeUtc',
]);

const simplifyVulnerability = pick([
	'id', 'name', 'severity', 'cvssV3', 'epss', 'exposedMachines', 'publicExploit', 'exploitVerified',
	'publishedOn', 'updatedOn', 'description',
]);

const simplifyRecommendation = pick([
	'id', 'recommendationName', 'productName', 'vendor', 'recommendationCategory', 'severityScore',
	'exposedMachinesCount', 'totalMachineCount', 'remediationType', 'status', 'publicExploit', 'activeAlert',
	'weaknesses', 'exposureImpact', 'configScoreImpact',
]);

/** An evidence item of Incident Get Evidence keeps its identifiers and drops Microsoft's whole entry. */
function withoutWholeEvidence(item: IDataObject): IDataObject {
	const readable = { ...item };
	delete readable.evidence;
	return readable;
}

/**
 * Defender for Cloud Apps records (api-alerts.md's properties; activities, files and entities as their lists return
 * them): codes named, millisecond timestamps as n8n dates (ISO 8601), the portal link kept.
 */
function named(names: readonly string[], code: unknown): unknown {
	return typeof code === 'number' ? (names[code] ?? code) : code;
}

const simplifyCloudAppsAlert: Simplifier = (alert) =>
	pick(['title', 'description', 'threatScore', 'comment', 'handledByUser'], (item) => ({
		id: item._id,
		severity: named(CLOUD_APPS_SEVERITY_NAMES, item.severityValue),
		resolutionStatus: named(CLOUD_APPS_RESOLUTION_NAMES, item.resolutionStatusValue),
		status: named(CLOUD_APPS_ALERT_STATUS_NAMES, item.statusValue),
		time: isoDate(item.timestamp),
		...(item.resolveTime ? { resolvedTime: item.resolveTime } : {}),
		...(Array.isArray(item.entities)
			? { entities: (item.entities as IDataObject[]).map((entity) => ({ type: entity.type, id: entity.id, label: entity.label, ...(entity.saas !== undefined ? { saas: entity.saas, inst: entity.inst } : {}) })) }
			: {}),
		url: item.URL,
	}) as IDataObject)(alert);

const simplifyCloudAppsActivity: Simplifier = (activity) =>
	pick(['description', 'appName', 'appId', 'ipAddress', 'eventTypeName'], (item) => ({
		id: item._id,
		time: isoDate(item.timestamp),
		user: nested(item.user, 'userName'),
		country: nested(item.location, 'countryCode'),
		device: nested(item.device, 'type'),
		userAgent: nested(item.userAgent, 'userAgent'),
	}) as IDataObject)(activity);

const simplifyCloudAppsFile: Simplifier = (file) =>
	pick(['name', 'appName', 'ownerAddress', 'ownerName', 'fileExtension', 'quarantined', 'alternateLink'], (item) => ({
		id: item._id,
		sharing: Array.isArray(item.fileAccessLevel) ? item.fileAccessLevel[1] : item.fileAccessLevel,
		fileType: Array.isArray(item.fileType) ? item.fileType[1] : item.fileType,
		created: isoDate(item.createdDate),
		modified: isoDate(item.modifiedDate),
		...(Array.isArray(item.collaborators) ? { sharedWith: (item.collaborators as IDataObject[]).map((collaborator) => collaborator.email ?? collaborator.domain) } : {}),
	}) as IDataObject)(file);

const simplifyCloudAppsEntity: Simplifier = (entity) =>
	pick(['id', 'saas', 'inst', 'type', 'displayName', 'email', 'domain', 'appName', 'isAdmin', 'isExternal', 'score'], (item) => ({
		status: named(['n/a', 'staged', 'active', 'suspended', 'deleted'], item.status),
		lastSeen: isoDate(item.lastSeen),
	}) as IDataObject)(entity);

/** The operations that offer Simplify, and how each simplifies one result object. */
const SIMPLIFIERS: Record<string, Record<string, Simplifier>> = {
	incident: { get: simplifyIncident, getAll: simplifyIncident, update: simplifyIncident, getEvidence: withoutWholeEvidence },
	alert: { get: simplifyAlert, getAll: simplifyAlert, update: simplifyAlert },
	device: {
		get: simplifyDevice,
		getAll: simplifyDevice,
		find: simplifyDevice,
		getAlerts: simplifyDeviceAlert,
		getVulnerabilities: simplifyVulnerability,
		getRecommendations: simplifyRecommendation,
	},
	machineAction: { get: simplifyMachineAction, getAll: simplifyMachineAction },
	vulnerability: { getAll: simplifyVulnerability },
	software: { getVulnerabilities: simplifyVulnerability },
	recommendation: { getAll: simplifyRecommendation, getVulnerabilities: simplifyVulnerability },
	cloudAppsAlert: { get: simplifyCloudAppsAlert, getAll: simplifyCloudAppsAlert },
	cloudAppsActivity: { get: simplifyCloudAppsActivity, getAll: simplifyCloudAppsActivity },
	cloudAppsFile: { get: simplifyCloudAppsFile, getAll: simplifyCloudAppsFile },
	cloudAppsEntity: { get: simplifyCloudAppsEntity, getAll: simplifyCloudAppsEntity },
};

/** Simplify and Fields to Return for every operation that has them, one pair per resource. */
export const outputProperties: INodeProperties[] = Object.entries(SIMPLIFIERS).flatMap(([resource, operations]) => {
	const show = { resource: [resource], operation: Object.keys(operations), ...FROM_VERSION_1_1 };
	return [
		{
			displayName: 'Simplify',
			name: 'simplify',
			type: 'boolean',
			default: true,
			description: 'Whether to return a simplified version of the response instead of the raw data',
			displayOptions: { show },
		},
		{
			displayName: 'Fields to Return',
			name: 'fieldsToReturn',
			type: 'string',
			default: '',
			placeholder: 'e.g. displayName, severity, alerts.title',
			description: 'Comma-separated fields of Microsoft\'s object to keep; empty returns every field. Dots reach into objects and lists of objects, e.g. alerts.title.',
			displayOptions: { show: { ...show, simplify: [false] } },
		},
	] satisfies INodeProperties[];
});

const FIELD_PATH = /^[A-Za-z_@][\w@#-]*(\.[A-Za-z_@][\w@#-]*)*$/;

function readFieldsToReturn(this: IExecuteFunctions, itemIndex: number): string[] {
	const raw = String(this.getNodeParameter('fieldsToReturn', itemIndex, '') ?? '');
	const fields = raw.split(',').map((field) => field.trim()).filter(Boolean);
	for (const field of fields) {
		if (!FIELD_PATH.test(field)) {
			throw new NodeOperationError(this.getNode(), `"${field}" in "Fields to Return" is not a field name`, {
				itemIndex,
				description: 'List field names separated by commas, e.g. "id, severity, status"; use dots for fields inside objects, e.g. "alerts.title".',
			});
		}
	}
	return fields;
}

/**
 * Copies the value at a dotted path into `target` under the same path; through an array of
 * objects (an incident's alerts) the path applies to each element.
 */
function copyPath(source: IDataObject, target: IDataObject, path: string[]): void {
	const [head, ...rest] = path;
	const value = source[head];
	if (value === undefined) return;
	if (rest.length === 0) {
		target[head] = value;
		return;
	}
	if (Array.isArray(value)) {
		const elements = (target[head] ??= value.map(() => ({}))) as IDataObject[];
		value.forEach((element, index) => {
			if (element && typeof element === 'object') copyPath(element as IDataObject, elements[index], rest);
		});
		return;
	}
	if (!value || typeof value !== 'object') return;
	copyPath(value as IDataObject, (target[head] ??= {}) as IDataObject, rest);
}

function keepFields(item: IDataObject, fields: string[]): IDataObject {
	const kept: IDataObject = {};
	for (const field of fields) copyPath(item, kept, field.split('.'));
	return kept;
}

/**
 * How Simplify and Fields to Return shape this item's result, read before any request so a bad
 * field list fails without calling Microsoft; undefined keeps the result as it came.
 */
export function outputShapeFor(
	this: IExecuteFunctions,
	resource: string,
	operation: string,
	itemIndex: number,
): Simplifier | undefined {
	const simplifier = SIMPLIFIERS[resource]?.[operation];
	if (!simplifier) return undefined;
	// Hidden in version 1, so the fallback keeps its whole objects.
	if (this.getNodeParameter('simplify', itemIndex, false) as boolean) return simplifier;
	const fields = readFieldsToReturn.call(this, itemIndex);
	return fields.length ? (item) => keepFields(item, fields) : undefined;
}

export function applyOutputShape(shape: Simplifier | undefined, result: IDataObject | IDataObject[]): IDataObject | IDataObject[] {
	if (!shape) return result;
	return Array.isArray(result) ? result.map(shape) : shape(result);
}
