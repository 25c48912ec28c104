import { randomUUID } from 'node:crypto';
import type { EntitySchema } from '../graph/odata';
import type { HandlerResult, RequestContext, Router } from '../server';
import type { Machine } from '../store/types';
import { bodyObject, entity, listEntities, MACHINE_ID, mdeTimestamp, requestorName, requireMachine, requiredString, SHA1 } from './common';
import { investigationPackageZip } from './investigationPackage';
import { serializeCommands } from './liveResponseCommands';
import { MDE_ROLES, mdeRoute } from './permissions';
import type { MachineActionRecord, MachineActionStatus, MachineActionType } from './state';
import { cancelRequests, FINAL_STATUSES, MACHINE_ACTION_STATUSES, MACHINE_ACTION_TYPES, machineActions, machineActionState, settings } from './state';

export const MACHINE_ACTION_SCHEMA: EntitySchema = {
	typeName: 'microsoft.windowsDefenderATP.api.MachineAction',
	properties: {
		id: { type: 'string', filterable: true },
		type: { type: 'enum', enumTypeName: 'microsoft.windowsDefenderATP.api.MachineActionType', enumValues: MACHINE_ACTION_TYPES, filterable: true },
		title: { type: 'string' },
		scope: { type: 'string' },
		requestor: { type: 'string', filterable: true },
		requestorComment: { type: 'string' },
		status: { type: 'enum', enumTypeName: 'microsoft.windowsDefenderATP.api.MachineActionStatus', enumValues: MACHINE_ACTION_STATUSES, filterable: true },
		machineId: { type: 'string', filterable: true },
		computerDnsName: { type: 'string' },
		creationDateTimeUtc: { type: 'datetime', filterable: true, sortable: true },
		lastUpdateDateTimeUtc: { type: 'datetime', sortable: true },
		cancellationRequestor: { type: 'string' },
		cancellationComment: { type: 'string' },
		cancellationDateTimeUtc: { type: 'datetime' },
		relatedFileInfo: { type: 'string' },
	},
};

interface ActionDefinition {
	/** Last path segment as Microsoft documents it (matching is case-insensitive). */
	path: string;
	type: MachineActionType;
	roles: readonly string[];
	title: string;
	/** Actions that conflict while one of them is pending, e.g. Isolate and Unisolate. */
	family: string;
	/** OS platforms the action runs on; undefined = all. */
	platforms?: (machine: Machine) => boolean;
	/** Reads the action's own body parameters; returns the scope and related file. */
	parameters?: (context: RequestContext, body: Record<string, unknown>, machine: Machine) => Pick<MachineActionRecord, 'scope' | 'relatedFileInfo'>;
}

const isWindows = (machine: Machine) => machine.osPlatform.startsWith('Windows');

function oneOf(context: RequestContext, body: Record<string, unknown>, name: string, allowed: string[], fallback?: string): string {
	const value = body[name] ?? fallback;
	if (value === undefined) return context.fail(400, 'MissingRequiredParameter', `Parameter ${name} is missing.`);
	if (typeof value !== 'string' || !allowed.includes(value)) {
		return context.fail(400, 'InvalidInput', `Invalid input ${name}: ${String(value)}. Allowed values are: ${allowed.join(', ')}.`);
	}
	return value;
}

const ACTIONS: ActionDefinition[] = [
	{
		path: 'isolate',
		type: 'Isolate',
		roles: MDE_ROLES.isolate,
		title: 'Isolate machine',
		family: 'isolation',
		parameters: (context, body, machine) => {
			const scope = oneOf(context, body, 'IsolationType', ['Full', 'Selective', 'UnManagedDevice'], 'Full');
			if (scope === 'Selective' && !isWindows(machine)) {
				return context.fail(400, 'OsPlatformNotSupported', `OS Platform ${machine.osPlatform} isn't supported for this action.`);
			}
			return { scope, relatedFileInfo: null };
		},
	},
	{ path: 'unisolate', type: 'Unisolate', roles: MDE_ROLES.isolate, title: 'Release machine from isolation', family: 'isolation' },
	{
		path: 'runAntiVirusScan',
		type: 'RunAntiVirusScan',
		roles: MDE_ROLES.scan,
		title: 'Run antivirus scan',
		family: 'scan',
		platforms: isWindows,
		parameters: (context, body) => ({ scope: oneOf(context, body, 'ScanType', ['Quick', 'Full']), relatedFileInfo: null }),
	},
	{ path: 'collectInvestigationPackage', type: 'CollectInvestigationPackage', roles: MDE_ROLES.collectForensics, title: 'Collect investigation package', family: 'collect' },
	{ path: 'restrictCodeExecution', type: 'RestrictCodeExecution', roles: MDE_ROLES.restrictExecution, title: 'Restrict app execution', family: 'restriction', platforms: isWindows },
	{ path: 'unrestrictCodeExecution', type: 'UnrestrictCodeExecution', roles: MDE_ROLES.restrictExecution, title: 'Remove app restriction', family: 'restriction', platforms: isWindows },
	{
		path: 'StopAndQuarantineFile',
		type: 'StopAndQuarantineFile',
		roles: MDE_ROLES.stopAndQuarantine,
		title: 'Stop and quarantine file',
		family: 'quarantine',
		platforms: isWindows,
		parameters: (context, body) => {
			const sha1 = requiredString(context, body, 'Sha1').trim();
			if (!SHA1.test(sha1)) return context.fail(400, 'InvalidHashValue', `Hash value ${sha1} is invalid.`);
			return { scope: null, relatedFileInfo: { fileIdentifier: sha1.toLowerCase(), fileIdentifierType: 'Sha1' } };
		},
	},
	{
		path: 'offboard',
		type: 'Offboard',
		roles: MDE_ROLES.offboard,
		title: 'Offboard machine',
		family: 'offboard',
		platforms: isWindows,
	},
];

/** Microsoft says only "a short time"; ten minutes on the emulator clock. */
const PACKAGE_LINK_VALID_MS = 10 * 60_000;

const FAMILY_OF = new Map<MachineActionType, string>(ACTIONS.map((action) => [action.type, action.family]));

export function serializeMachineAction(record: MachineActionRecord, nowMs: number): Record<string, unknown> {
	const { status, sinceMs } = machineActionState(record, nowMs);
	return {
		id: record.id,
		type: record.type,
		title: record.title,
		requestor: record.requestor,
		requestorComment: record.requestorComment,
		status,
		machineId: record.machineId,
		computerDnsName: record.computerDnsName,
		creationDateTimeUtc: mdeTimestamp(record.createdMs),
		lastUpdateDateTimeUtc: mdeTimestamp(sinceMs),
		cancellationRequestor: record.cancellationRequestor,
		cancellationComment: record.cancellationComment,
		cancellationDateTimeUtc: record.cancellationMs === null ? null : mdeTimestamp(record.cancellationMs),
		errorHResult: status === 'Failed' ? -2147467259 : 0,
		scope: record.scope,
		externalId: null,
		requestSource: 'PublicApi',
		relatedFileInfo: record.relatedFileInfo,
		commands: record.liveResponse ? serializeCommands(record.liveResponse, status, record.createdMs, sinceMs) : [],
		troubleshootInfo: null,
	};
}

function createAction(context: RequestContext, definition: ActionDefinition): HandlerResult {
	const { store, clock } = context.runtime;
	const id = context.params.id;
	if (!MACHINE_ID.test(id)) return context.fail(404, 'ResourceNotFound', `Machine ${id} was not found`);
	const machine = requireMachine(context, id);
	const body = bodyObject(context);
	const comment = requiredString(context, body, 'Comment');
	if (definition.platforms && !definition.platforms(machine)) {
		return context.fail(400, 'OsPlatformNotSupported', `OS Platform ${machine.osPlatform} isn't supported for this action.`);
	}
	const { scope, relatedFileInfo } = definition.parameters?.(context, body, machine) ?? { scope: null, relatedFileInfo: null };

	const now = clock.nowMs();
	const running = machineActions(store).find(
		(action) =>
			action.machineId === machine.id &&
			FAMILY_OF.get(action.type) === definition.family &&
			!FINAL_STATUSES.includes(machineActionState(action, now).status),
	);
	if (running) return context.fail(400, 'BadRequest', 'Action is already in progress');

	const behaviour = settings(store).machineActions;
	const record: MachineActionRecord = {
		id: randomUUID(),
		type: definition.type,
		title: `${definition.title} ${machine.computerDnsName}`,
		scope,
		requestor: requestorName(context),
		requestorComment: comment,
		machineId: machine.id,
		computerDnsName: machine.computerDnsName,
		createdMs: now,
		relatedFileInfo,
		pendingMs: behaviour.pendingMs,
		inProgressMs: behaviour.inProgressMs,
		outcome: behaviour.outcome,
		cancellationRequestor: null,
		cancellationComment: null,
		cancellationMs: null,
	};
	machineActions(store).push(record);
	const response = entity(context, 'MachineActions/$entity', serializeMachineAction(record, now));
	return { ...response, status: 201 };
}

function requireAction(context: RequestContext): MachineActionRecord {
	const id = context.params.id;
	const record = machineActions(context.runtime.store).find((action) => action.id.toLowerCase() === id.toLowerCase());
	if (!record) return context.fail(404, 'ResourceNotFound', `MachineAction ${id} was not found`);
	return record;
}

/** A test (or the admin API) moves an action to a status, as if the device had reported it. */
export function setMachineActionStatus(records: MachineActionRecord[], id: string, status: MachineActionStatus, nowMs: number): MachineActionRecord {
	const record = records.find((action) => action.id === id);
	if (!record) throw new Error(`Machine action '${id}' not found`);
	record.override = { status, atMs: nowMs };
	return record;
}

export function registerMachineActionRoutes(router: Router): void {
	const route = mdeRoute(router);

	for (const definition of ACTIONS) {
		route('POST', `/api/machines/:id/${definition.path}`, definition.roles, (context) => createAction(context, definition));
	}

	route('GET', '/api/machineactions', MDE_ROLES.machineRead, (context) => {
		const now = context.runtime.clock.nowMs();
		const items = machineActions(context.runtime.store)
			.map((record) => serializeMachineAction(record, now))
			.sort((a, b) => String(b.creationDateTimeUtc).localeCompare(String(a.creationDateTimeUtc)));
		return listEntities({ context, items, schema: MACHINE_ACTION_SCHEMA, entitySet: 'MachineActions', maxTop: 10_000, serialize: (item) => item });
	});

	route('GET', '/api/machineactions/:id', MDE_ROLES.machineRead, (context) =>
		entity(context, 'MachineActions/$entity', serializeMachineAction(requireAction(context), context.runtime.clock.nowMs())),
	);

	// defender-endpoint/api/cancel-machine-action.md: cancels "an already launched machine action that
	// isn't yet in final state (completed, canceled, failed)"; 200 with the action, 404 for an unknown
	// id. Every call is recorded, so tests can tell a cancel sent once from one sent twice.
	route('POST', '/api/machineactions/:id/cancel', MDE_ROLES.anyResponse, (context) => {
		const now = context.runtime.clock.nowMs();
		const log = cancelRequests(context.runtime.store);
		const known = machineActions(context.runtime.store).find((action) => action.id.toLowerCase() === context.params.id.toLowerCase());
		const body = context.body === undefined ? {} : bodyObject(context);
		const comment = typeof body.Comment === 'string' ? body.Comment : null;
		const entry = { actionId: context.params.id, type: known?.type ?? null, atMs: now, statusBefore: known ? machineActionState(known, now).status : null, accepted: false, comment };
		log.push(entry);
		const record = requireAction(context);
		const { status } = machineActionState(record, now);
		if (FINAL_STATUSES.includes(status)) {
			return context.fail(400, 'BadRequest', `Machine action ${record.id} is already in a final state (${status}) and cannot be cancelled.`);
		}
		entry.accepted = true;
		record.override = { status: 'Cancelled', atMs: now };
		record.cancellationRequestor = requestorName(context);
		record.cancellationComment = comment;
		record.cancellationMs = now;
		return entity(context, 'MachineActions/$entity', serializeMachineAction(record, now));
	});

	route('GET', '/api/machineactions/:id/getPackageUri', MDE_ROLES.machineRead, (context) => {
		const record = requireAction(context);
		const { status } = machineActionState(record, context.runtime.clock.nowMs());
		if (record.type !== 'CollectInvestigationPackage' || status !== 'Succeeded') {
			return context.fail(404, 'ResourceNotFound', `Investigation package of machine action ${record.id} was not found`);
		}
		// The link goes to the storage host, not to this API (get-package-sas-uri.md: "valid for a short time").
		const url = context.runtime.storage.publish({
			content: investigationPackageZip(record),
			contentType: 'application/zip',
			fileName: 'WDATP_Investigation_Package.zip',
			validForMs: PACKAGE_LINK_VALID_MS,
			style: 'safedownload',
		});
		// Microsoft's example answers with the URL inside quotes, within the JSON string.
		return entity(context, 'Edm.String', { value: `"${url}"` });
	});
}
