import type { EntitySchema } from '../graph/odata';
import type { HandlerResult, RequestContext, Router } from '../server';
import type { Store } from '../store/store';
import type { Machine } from '../store/types';
import { bodyObject, entity, listEntities, MACHINE_ID, mdeTimestamp, requiredString, requireMachine, stableHash } from './common';
import { MDE_ROLES, mdeRoute } from './permissions';

/**
 * Automated investigations (MicrosoftDocs/defender-docs, defender-endpoint/api/investigation.md,
 * get-investigation-collection.md, get-investigation-object.md, initiate-autoir-investigation.md).
 * The seeded ones follow the seeded alerts on devices; started ones are kept in store.mde.
 */

/** investigation.md, State. */
const STATES = [
	'Unknown', 'Terminated', 'SuccessfullyRemediated', 'Benign', 'Failed', 'PartiallyRemediated', 'Running', 'PendingApproval', 'PendingResource',
	'PartiallyInvestigated', 'TerminatedByUser', 'TerminatedBySystem', 'Queued', 'InnerFailure', 'PreexistingAlert', 'UnsupportedOs', 'UnsupportedAlertType', 'SuppressedAlert',
] as const;
const SEEDED_STATES = ['Running', 'SuccessfullyRemediated', 'Benign', 'PendingApproval', 'PartiallyRemediated', 'TerminatedByUser'] as const;
const STILL_RUNNING = ['Running', 'PendingApproval', 'PendingResource', 'Queued'];

/** initiate-autoir-investigation.md, "Requirements for AIR": Windows 10 (1709+), Windows 11, Windows Server 2019 and later. */
const SUPPORTED_PLATFORMS = ['Windows10', 'Windows11', 'WindowsServer2019', 'WindowsServer2022', 'WindowsServer2025'];

/** initiate-autoir-investigation.md, Limitations: 50 calls per hour. */
export const START_INVESTIGATION_PER_HOUR = 50;
const HOUR_MS = 3_600_000;

const INVESTIGATION_SCHEMA: EntitySchema = {
	typeName: 'microsoft.windowsDefenderATP.api.Investigation',
	properties: {
		id: { type: 'string', filterable: true },
		startTime: { type: 'datetime', filterable: true, sortable: true },
		endTime: { type: 'datetime' },
		state: { type: 'enum', enumTypeName: 'microsoft.windowsDefenderATP.api.InvestigationState', enumValues: STATES, filterable: true },
		machineId: { type: 'string', filterable: true },
		computerDnsName: { type: 'string' },
		triggeringAlertId: { type: 'string', filterable: true },
	},
};

export interface InvestigationRecord {
	id: string;
	startTime: string;
	endTime: string | null;
	state: (typeof STATES)[number];
	cancelledBy: string | null;
	statusDetails: string | null;
	machineId: string;
	computerDnsName: string;
	triggeringAlertId: string | null;
}

function seeded(store: Store): InvestigationRecord[] {
	const onDevices = store
		.listAlerts()
		.map((alert) => ({ alert, machineId: alert.evidence.find((evidence) => typeof evidence.mdeDeviceId === 'string')?.mdeDeviceId as string | undefined }))
		.filter((entry) => entry.machineId !== undefined)
		.sort((a, b) => a.alert.createdDateTime.localeCompare(b.alert.createdDateTime));
	return onDevices.flatMap(({ alert, machineId }, index) => {
		const machine = store.machines.find((candidate) => candidate.id === machineId);
		if (!machine) return [];
		const state = SEEDED_STATES[stableHash(alert.id) % SEEDED_STATES.length];
		const startMs = Date.parse(alert.createdDateTime) + 60_000;
		return [{
			id: String(63_001 + index),
			startTime: mdeTimestamp(startMs),
			endTime: STILL_RUNNING.includes(state) ? null : mdeTimestamp(startMs + HOUR_MS),
			state,
			cancelledBy: state === 'TerminatedByUser' ? 'secops@contoso.com' : null,
			statusDetails: null,
			machineId: machine.id,
			computerDnsName: machine.computerDnsName,
			triggeringAlertId: alert.id,
		}];
	});
}

/** Investigations in store.mde, seeded on first use so that store.reset() brings the seeded ones back. */
export function investigations(store: Store): InvestigationRecord[] {
	let list = store.mde.get('investigations') as InvestigationRecord[] | undefined;
	if (!list) {
		list = seeded(store);
		store.mde.set('investigations', list);
	}
	return list;
}

interface StartRecord {
	caller: string;
	atMs: number;
}

/** Start Investigation calls, per caller, for the 50-an-hour limit. */
function starts(store: Store): StartRecord[] {
	let list = store.mde.get('investigationStarts') as StartRecord[] | undefined;
	if (!list) {
		list = [];
		store.mde.set('investigationStarts', list);
	}
	return list;
}

const withContext = (context: RequestContext, record: InvestigationRecord) => entity(context, 'Investigations/$entity', { ...record });

function startInvestigation(context: RequestContext): HandlerResult {
	const { store, clock } = context.runtime;
	if (!MACHINE_ID.test(context.params.id)) return context.fail(404, 'ResourceNotFound', `Machine ${context.params.id} was not found`);
	const nowMs = clock.nowMs();
	const caller = context.principal ? `${context.principal.tid}/${context.principal.appid}` : 'anonymous';
	const recent = starts(store).filter((start) => start.caller === caller && start.atMs > nowMs - HOUR_MS);
	if (recent.length >= START_INVESTIGATION_PER_HOUR) {
		const retryAfter = Math.max(1, Math.ceil((recent[0].atMs + HOUR_MS - nowMs) / 1000));
		return context.fail(429, 'TooManyRequests', `Rate limit is exceeded. Try again in ${retryAfter} seconds.`, { 'Retry-After': String(retryAfter) });
	}
	const machine: Machine = requireMachine(context, context.params.id);
	requiredString(context, bodyObject(context), 'Comment');
	starts(store).push({ caller, atMs: nowMs });
	const list = investigations(store);
	const supported = SUPPORTED_PLATFORMS.includes(machine.osPlatform);
	const record: InvestigationRecord = {
		id: String(Math.max(63_000, ...list.map((investigation) => Number(investigation.id))) + 1),
		startTime: mdeTimestamp(nowMs),
		endTime: supported ? null : mdeTimestamp(nowMs),
		state: supported ? 'Running' : 'UnsupportedOs',
		cancelledBy: null,
		statusDetails: supported ? null : `Automated investigation does not support ${machine.osPlatform}.`,
		machineId: machine.id,
		computerDnsName: machine.computerDnsName,
		triggeringAlertId: null,
	};
	list.push(record);
	return { ...withContext(context, record), status: 201 };
}

export function registerInvestigationRoutes(router: Router): void {
	const route = mdeRoute(router);
	// get-investigation-collection.md: $filter on startTime, id, state, machineId, triggeringAlertId; pages of at most 10,000.
	route('GET', '/api/investigations', MDE_ROLES.alertRead, (context) => {
		const items = [...investigations(context.runtime.store)].sort((a, b) => b.startTime.localeCompare(a.startTime) || Number(b.id) - Number(a.id));
		return listEntities({ context, items, schema: INVESTIGATION_SCHEMA, entitySet: 'Investigations', maxTop: 10_000, serialize: (item) => ({ ...item }) });
	});
	route('GET', '/api/investigations/:id', MDE_ROLES.alertRead, (context) => {
		const record = investigations(context.runtime.store).find((candidate) => candidate.id === context.params.id.trim());
		if (!record) return context.fail(404, 'ResourceNotFound', `Investigation ${context.params.id} was not found`);
		return withContext(context, record);
	});
	route('POST', '/api/machines/:id/startInvestigation', MDE_ROLES.alertWrite, startInvestigation);
}
