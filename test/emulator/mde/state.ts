import type { Store } from '../store/store';

/**
 * Defender for Endpoint state kept in the store's free-form `mde` collections, so
 * `store.reset()` (and with it `emulator.reset()`) clears it together with everything else.
 */

/** machineaction.md (MicrosoftDocs/defender-docs, defender-endpoint/api): type and status. */
export const MACHINE_ACTION_TYPES = [
	'Isolate',
	'Unisolate',
	'RunAntiVirusScan',
	'CollectInvestigationPackage',
	'RestrictCodeExecution',
	'UnrestrictCodeExecution',
	'StopAndQuarantineFile',
	'Offboard',
	'LiveResponse',
] as const;
export type MachineActionType = (typeof MACHINE_ACTION_TYPES)[number];

export const MACHINE_ACTION_STATUSES = ['Pending', 'InProgress', 'Succeeded', 'Failed', 'TimeOut', 'Cancelled'] as const;
export type MachineActionStatus = (typeof MACHINE_ACTION_STATUSES)[number];
export const FINAL_STATUSES: readonly MachineActionStatus[] = ['Succeeded', 'Failed', 'TimeOut', 'Cancelled'];

export type MachineActionOutcome = 'Succeeded' | 'Failed' | 'TimeOut';

export interface MachineActionRecord {
	id: string;
	type: MachineActionType;
	title: string;
	scope: string | null;
	requestor: string;
	requestorComment: string;
	machineId: string;
	computerDnsName: string;
	createdMs: number;
	relatedFileInfo: { fileIdentifier: string; fileIdentifierType: 'Sha1' | 'Sha256' | 'Md5' } | null;
	/** Copied from the settings when the action was created: null = stays in that stage until a test moves it. */
	pendingMs: number | null;
	inProgressMs: number | null;
	outcome: MachineActionOutcome;
	/** Set by cancel or by a test: wins over the timings. */
	override?: { status: MachineActionStatus; atMs: number };
	cancellationRequestor: string | null;
	cancellationComment: string | null;
	cancellationMs: number | null;
	/** LiveResponse actions only: the commands as sent and what each one produces (liveResponse.ts). */
	liveResponse?: LiveResponseSession;
}

export type LiveResponseCommandType = 'PutFile' | 'RunScript' | 'GetFile';

export interface LiveResponseCommandRecord {
	type: LiveResponseCommandType;
	params: Array<{ key: string; value: string }>;
	/** What GetLiveResponseResultDownloadLink(index=N) links to; PutFile has none. */
	result?: { content: Buffer; contentType: string; fileName: string };
}

export interface LiveResponseSession {
	commands: LiveResponseCommandRecord[];
	/** The command that fails (Microsoft stops the session there), with its error. */
	failure?: { index: number; error: string };
	/** Microsoft counts the 25 running sessions per tenant. */
	tenantId?: string;
}

export interface MachineActionBehaviour {
	/** How long a new action stays Pending (ms of the emulator clock); null = until a test moves it. */
	pendingMs: number | null;
	/** How long it then stays InProgress; null = until a test moves it. */
	inProgressMs: number | null;
	/** Final status once both stages have passed. */
	outcome: MachineActionOutcome;
}

export interface IndicatorRecord {
	id: string;
	indicatorValue: string;
	indicatorType: string;
	action: string;
	application: string | null;
	source: string;
	sourceType: 'AadApp' | 'User';
	createdBy: string;
	createdByDisplayName: string;
	createdBySource: string;
	title: string;
	description: string;
	recommendedActions: string | null;
	severity: string;
	expirationTime: string | null;
	generateAlert: boolean;
	rbacGroupNames: string[];
	rbacGroupIds: string[];
	educateUrl: string | null;
	externalId: string | null;
	creationTimeDateTimeUtc: string;
	lastUpdateTime: string;
	lastUpdatedBy: string | null;
	mitreTechniques: string[];
}

export interface MdeSettings {
	machineActions: MachineActionBehaviour;
	/** Microsoft's documented cap on active (unexpired) indicators per tenant. */
	maxActiveIndicators: number;
	/** Microsoft's documented cap on indicators per import call. */
	maxImportBatch: number;
	nextIndicatorId: number;
}

export const DEFAULT_MACHINE_ACTION_BEHAVIOUR: MachineActionBehaviour = { pendingMs: 1_000, inProgressMs: 2_000, outcome: 'Succeeded' };

function defaultSettings(): MdeSettings {
	return {
		machineActions: { ...DEFAULT_MACHINE_ACTION_BEHAVIOUR },
		maxActiveIndicators: 15_000,
		maxImportBatch: 500,
		nextIndicatorId: 5001,
	};
}

function collection<T>(store: Store, name: string): T[] {
	let list = store.mde.get(name) as T[] | undefined;
	if (!list) {
		list = [];
		store.mde.set(name, list);
	}
	return list;
}

export function machineActions(store: Store): MachineActionRecord[] {
	return collection<MachineActionRecord>(store, 'machineActions');
}

/** A call to the machine action cancel route, accepted or refused (tests count them). */
export interface CancelRequestRecord {
	actionId: string;
	/** The action's type, or null when no action has that id. */
	type: string | null;
	/** Emulator clock. */
	atMs: number;
	/** The action's status before the call; Cancelled when the call was accepted. */
	statusBefore: MachineActionStatus | null;
	accepted: boolean;
	comment: string | null;
}

export function cancelRequests(store: Store): CancelRequestRecord[] {
	return collection<CancelRequestRecord>(store, 'cancelRequests');
}

export function indicators(store: Store): IndicatorRecord[] {
	return collection<IndicatorRecord>(store, 'indicators');
}

export function settings(store: Store): MdeSettings {
	const list = collection<MdeSettings>(store, 'settings');
	if (list.length === 0) list.push(defaultSettings());
	return list[0];
}

/** Status and the time it was reached, from the record's timings and the emulator clock. */
export function machineActionState(record: MachineActionRecord, nowMs: number): { status: MachineActionStatus; sinceMs: number } {
	if (record.override) return { status: record.override.status, sinceMs: record.override.atMs };
	if (record.pendingMs === null) return { status: 'Pending', sinceMs: record.createdMs };
	const startedMs = record.createdMs + record.pendingMs;
	if (nowMs < startedMs) return { status: 'Pending', sinceMs: record.createdMs };
	if (record.inProgressMs === null) return { status: 'InProgress', sinceMs: startedMs };
	const finishedMs = startedMs + record.inProgressMs;
	if (nowMs < finishedMs) return { status: 'InProgress', sinceMs: startedMs };
	return { status: record.outcome, sinceMs: finishedMs };
}

export function isActiveIndicator(record: IndicatorRecord, nowMs: number): boolean {
	return record.expirationTime === null || Date.parse(record.expirationTime) > nowMs;
}
