import { randomUUID } from 'node:crypto';
import type { HandlerResult, RequestContext, Router } from '../server';
import type { Store } from '../store/store';
import type { Machine } from '../store/types';
import { bodyObject, entity, MACHINE_ID, requestorName, requireMachine, requiredString } from './common';
import { findLibraryFile } from './library';
import { serializeMachineAction } from './machineActions';
import { MDE_ROLES, mdeRoute } from './permissions';
import type { LiveResponseCommandRecord, LiveResponseCommandType, LiveResponseSession, MachineActionBehaviour, MachineActionRecord } from './state';
import { DEFAULT_MACHINE_ACTION_BEHAVIOUR, FINAL_STATUSES, machineActions, machineActionState } from './state';

/**
 * Live response (MicrosoftDocs/defender-docs, defender-endpoint/api/run-live-response.md and
 * get-live-response-result.md):
 * - POST /api/machines/{id}/runliveresponse {Commands:[{type, params:[{key, value}]}], Comment}:
 *   PutFile (FileName, from the library), RunScript (ScriptName from the library, Args), GetFile
 *   (Path), "in this order with no limit on repetitions"; 201 with a LiveResponse MachineAction.
 *   Limits as documented: 10 calls per minute (429), 25 concurrently running sessions (429), one
 *   session per device (400 ActiveRequestAlreadyExists); a failed command stops the rest.
 * - GET /api/machineactions/{id}/GetLiveResponseResultDownloadLink(index=N): {value: link}, a
 *   link to the storage host valid for 30 minutes; RunScript's result is the JSON transcript
 *   {script_name, exit_code, script_output, script_errors}, GetFile's the file.
 * - "If the machine isn't available, the session is queued for up to three days" (Limitations):
 *   a session for a device set offline stays Pending that long, then ends TimeOut; the machine
 *   action cancel API (cancel-machine-action.md) ends it earlier, as it ends a running one.
 */

const CALLS_PER_MINUTE = 10;
const MAX_RUNNING_SESSIONS = 25;
const RESULT_LINK_VALID_MS = 30 * 60_000;
const QUEUED_FOR_MS = 3 * 24 * 60 * 60_000;
const COMMAND_ORDER: Record<LiveResponseCommandType, number> = { PutFile: 0, RunScript: 1, GetFile: 2 };
/** Where PutFile leaves a library file on a Windows device. */
const WORKING_FOLDER = 'C:\\ProgramData\\Microsoft\\Windows Defender Advanced Threat Protection\\Downloads';

export interface ScriptResult {
	exitCode: number;
	output: string;
	errors: string;
}

interface LiveResponseState {
	behaviour: MachineActionBehaviour;
	/** Accepted runliveresponse calls per caller (tenant/app), emulator clock. */
	calls: Map<string, number[]>;
	/** Files on devices: machine id -> lower-cased path -> content. */
	deviceFiles: Map<string, Map<string, { path: string; content: Buffer }>>;
	scripts: Map<string, ScriptResult>;
	/** Devices that are not available: their sessions stay queued. */
	offline: Set<string>;
	maxRunningSessions: number;
	refusedForSessions: number;
	refusedForRate: number;
}

function stateOf(store: Store): LiveResponseState {
	const key = 'liveResponseState';
	let list = store.mde.get(key) as LiveResponseState[] | undefined;
	if (!list) {
		list = [
			{
				behaviour: { ...DEFAULT_MACHINE_ACTION_BEHAVIOUR },
				calls: new Map(),
				deviceFiles: new Map(),
				scripts: new Map(),
				offline: new Set(),
				maxRunningSessions: 0,
				refusedForSessions: 0,
				refusedForRate: 0,
			},
		];
		store.mde.set(key, list);
	}
	return list[0];
}

function runningSessions(store: Store, nowMs: number, tenantId: string | undefined): MachineActionRecord[] {
	return machineActions(store).filter(
		(action) =>
			action.type === 'LiveResponse' &&
			action.liveResponse?.tenantId === tenantId &&
			!FINAL_STATUSES.includes(machineActionState(action, nowMs).status),
	);
}

function callerOf(context: RequestContext): string {
	return context.principal ? `${context.principal.tid}/${context.principal.appid}` : 'anonymous';
}

function throttle(context: RequestContext, state: LiveResponseState, nowMs: number): void {
	const caller = callerOf(context);
	const calls = (state.calls.get(caller) ?? []).filter((time) => nowMs - time < 60_000);
	state.calls.set(caller, calls);
	if (calls.length >= CALLS_PER_MINUTE) {
		state.refusedForRate++;
		const retryAfter = Math.max(1, Math.ceil((calls[0] + 60_000 - nowMs) / 1000));
		context.logInfo.throttled = true;
		context.fail(429, 'TooManyRequests', `Rate limit is exceeded. Try again in ${retryAfter} seconds.`, { 'Retry-After': String(retryAfter) });
	}
	calls.push(nowMs);
}

function parseCommands(context: RequestContext, body: Record<string, unknown>): LiveResponseCommandRecord[] {
	const raw = body.Commands;
	if (raw === undefined) return context.fail(400, 'MissingRequiredParameter', 'Parameter Commands is missing.');
	if (!Array.isArray(raw) || raw.length === 0) return context.fail(400, 'InvalidInput', 'Commands must be a non-empty array.');
	const commands = raw.map((entry, index): LiveResponseCommandRecord => {
		const command = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
		const type = command.type;
		if (type !== 'PutFile' && type !== 'RunScript' && type !== 'GetFile') {
			return context.fail(400, 'InvalidInput', `Invalid input Commands[${index}].type: ${String(type)}. Allowed values are: PutFile, RunScript, GetFile.`);
		}
		const params = Array.isArray(command.params) ? (command.params as Array<Record<string, unknown>>) : [];
		const clean = params.map((param) => ({ key: String(param.key ?? ''), value: String(param.value ?? '') }));
		const required = type === 'PutFile' ? 'FileName' : type === 'RunScript' ? 'ScriptName' : 'Path';
		if (!clean.some((param) => param.key === required && param.value.trim() !== '')) {
			return context.fail(400, 'InvalidInput', `Commands[${index}] (${type}) needs the parameter ${required}.`);
		}
		return { type, params: clean };
	});
	for (let index = 1; index < commands.length; index++) {
		if (COMMAND_ORDER[commands[index].type] < COMMAND_ORDER[commands[index - 1].type]) {
			return context.fail(400, 'InvalidInput', 'Commands must be in this order: PutFile, RunScript, GetFile.');
		}
	}
	return commands;
}

function param(command: LiveResponseCommandRecord, key: string): string {
	return command.params.find((entry) => entry.key === key)?.value ?? '';
}

function baseName(path: string): string {
	return path.split(/[\\/]/).filter(Boolean).pop() ?? 'file';
}

/** Every device has its hosts file, so a GetFile has something real to fetch without any set-up. */
function builtInFiles(machine: Machine): Map<string, { path: string; content: Buffer }> {
	const windows = machine.osPlatform.startsWith('Windows');
	const path = windows ? 'C:\\Windows\\System32\\drivers\\etc\\hosts' : '/etc/hosts';
	const header = windows ? '# Copyright (c) 1993-2009 Microsoft Corp.\r\n#\r\n# This is a sample HOSTS file used by Microsoft TCP/IP for Windows.\r\n' : '# /etc/hosts\n';
	const content = Buffer.from(`${header}127.0.0.1 localhost\n::1 localhost\n# ${machine.computerDnsName} (${machine.id})\n`);
	return new Map([[path.toLowerCase(), { path, content }]]);
}

/** Plays the commands against the device and the library: each one's result, or where the session fails. */
function playCommands(store: Store, state: LiveResponseState, machine: Machine, commands: LiveResponseCommandRecord[], nowMs: number): LiveResponseSession {
	const files = new Map([...builtInFiles(machine), ...(state.deviceFiles.get(machine.id) ?? [])]);
	const { computerDnsName } = machine;
	for (const [index, command] of commands.entries()) {
		if (command.type === 'PutFile') {
			const name = param(command, 'FileName');
			const library = findLibraryFile(store, nowMs, name);
			if (!library) return { commands, failure: { index, error: `File ${name} was not found in the live response library.` } };
			const path = `${WORKING_FOLDER}\\${library.fileName}`;
			files.set(path.toLowerCase(), { path, content: library.content });
		} else if (command.type === 'RunScript') {
			const name = param(command, 'ScriptName');
			const library = findLibraryFile(store, nowMs, name);
			if (!library) return { commands, failure: { index, error: `Script ${name} was not found in the live response library.` } };
			const args = param(command, 'Args');
			const scripted = state.scripts.get(library.fileName.toLowerCase());
			const transcript = {
				script_name: library.fileName,
				exit_code: scripted?.exitCode ?? 0,
				script_output: scripted?.output ?? `Ran ${library.fileName}${args ? ` ${args}` : ''} on ${computerDnsName}\n`,
				script_errors: scripted?.errors ?? '',
			};
			command.result = { content: Buffer.from(JSON.stringify(transcript)), contentType: 'application/json', fileName: `${library.fileName}.json` };
		} else {
			const path = param(command, 'Path');
			const file = files.get(path.toLowerCase());
			if (!file) return { commands, failure: { index, error: `File ${path} was not found on the device.` } };
			command.result = { content: file.content, contentType: 'application/octet-stream', fileName: baseName(file.path) };
		}
	}
	return { commands };
}

function startSession(context: RequestContext): HandlerResult {
	const { store, clock } = context.runtime;
	const state = stateOf(store);
	const now = clock.nowMs();
	throttle(context, state, now);

	const id = context.params.id;
	if (!MACHINE_ID.test(id)) return context.fail(404, 'ResourceNotFound', `Machine ${id} was not found`);
	const machine = requireMachine(context, id);
	const body = bodyObject(context);
	const comment = requiredString(context, body, 'Comment');
	const commands = parseCommands(context, body);

	const tenantId = context.principal?.tid;
	const running = runningSessions(store, now, tenantId);
	if (running.some((action) => action.machineId === machine.id)) {
		return context.fail(400, 'ActiveRequestAlreadyExists', `A live response session is already running on machine ${machine.id}.`);
	}
	if (running.length >= MAX_RUNNING_SESSIONS) {
		state.refusedForSessions++;
		context.logInfo.throttled = true;
		return context.fail(429, 'TooManyRequests', `${MAX_RUNNING_SESSIONS} live response sessions are already running. Try again later.`, { 'Retry-After': '30' });
	}
	state.maxRunningSessions = Math.max(state.maxRunningSessions, running.length + 1);

	const session = playCommands(store, state, machine, commands, now);
	const behaviour = state.offline.has(machine.id)
		? { pendingMs: QUEUED_FOR_MS, inProgressMs: 0, outcome: 'TimeOut' as const }
		: state.behaviour;
	const record: MachineActionRecord = {
		id: randomUUID(),
		type: 'LiveResponse',
		title: `Live response on ${machine.computerDnsName}`,
		scope: null,
		requestor: requestorName(context),
		requestorComment: comment,
		machineId: machine.id,
		computerDnsName: machine.computerDnsName,
		createdMs: now,
		relatedFileInfo: null,
		pendingMs: behaviour.pendingMs,
		inProgressMs: behaviour.inProgressMs,
		outcome: session.failure ? 'Failed' : behaviour.outcome,
		cancellationRequestor: null,
		cancellationComment: null,
		cancellationMs: null,
		liveResponse: { ...session, tenantId },
	};
	machineActions(store).push(record);
	return { ...entity(context, 'MachineActions/$entity', serializeMachineAction(record, now)), status: 201 };
}

function resultLink(context: RequestContext): HandlerResult {
	const match = /^GetLiveResponseResultDownloadLink\(index=(\d+)\)$/i.exec(context.params.function);
	if (!match) return context.fail(404, 'NotFound', `Resource not found: ${context.method} ${context.url.pathname}`);
	const id = context.params.id;
	const record = machineActions(context.runtime.store).find((action) => action.id.toLowerCase() === id.toLowerCase());
	if (!record) return context.fail(404, 'ResourceNotFound', `MachineAction ${id} was not found`);
	if (!record.liveResponse) return context.fail(400, 'InvalidInput', `Machine action ${record.id} is not a live response action.`);
	const index = Number(match[1]);
	const command = record.liveResponse.commands[index];
	if (!command) return context.fail(400, 'InvalidInput', `Machine action ${record.id} has no command with index ${index}.`);
	const now = context.runtime.clock.nowMs();
	const { status } = machineActionState(record, now);
	const failedAt = record.liveResponse.failure?.index;
	const completed = status === 'Succeeded' || (status === 'Failed' && failedAt !== undefined && index < failedAt);
	if (!completed || !command.result) {
		return context.fail(404, 'ResourceNotFound', `Live response command ${index} of machine action ${record.id} has no result (${command.type}, action ${status}).`);
	}
	const link = context.runtime.storage.publish({ ...command.result, validForMs: RESULT_LINK_VALID_MS, style: 'blob' });
	return entity(context, 'Edm.String', { value: link });
}

export function registerLiveResponseRoutes(router: Router): void {
	const route = mdeRoute(router);
	route('POST', '/api/machines/:id/runliveresponse', MDE_ROLES.liveResponse, startSession);
	// After machineActions.ts's routes, so its own sub-paths (getPackageUri) match first.
	route('GET', '/api/machineactions/:id/:function', MDE_ROLES.machineRead, resultLink);
}

/** What tests (and the admin API) can do to live response. */
export interface LiveResponseControl {
	/** How new sessions move on the emulator clock (as setMachineActionBehaviour does for other actions). */
	setLiveResponseBehaviour(behaviour: Partial<MachineActionBehaviour>): MachineActionBehaviour;
	/** A device that is not available (its new sessions stay queued for three days), or available again. */
	setDeviceAvailable(machineId: string, available: boolean): void;
	/** A file on a device, for GetFile. */
	putDeviceFile(machineId: string, path: string, content: string | Buffer): void;
	/** What RunScript of this library script reports. */
	setScriptResult(scriptName: string, result: ScriptResult): void;
	/** The most sessions that ran at once, and the calls refused for the session and rate limits. */
	liveResponseStats(): { maxRunningSessions: number; refusedForSessions: number; refusedForRate: number };
}

export function createLiveResponseControl(store: Store): LiveResponseControl {
	return {
		setLiveResponseBehaviour(behaviour) {
			const state = stateOf(store);
			Object.assign(state.behaviour, behaviour);
			return { ...state.behaviour };
		},
		setDeviceAvailable(machineId, available) {
			const { offline } = stateOf(store);
			if (available) offline.delete(machineId);
			else offline.add(machineId);
		},
		putDeviceFile(machineId, path, content) {
			const state = stateOf(store);
			const files = state.deviceFiles.get(machineId) ?? new Map<string, { path: string; content: Buffer }>();
			files.set(path.toLowerCase(), { path, content: Buffer.isBuffer(content) ? content : Buffer.from(content) });
			state.deviceFiles.set(machineId, files);
		},
		setScriptResult(scriptName, result) {
			stateOf(store).scripts.set(scriptName.toLowerCase(), { ...result });
		},
		liveResponseStats() {
			const { maxRunningSessions, refusedForSessions, refusedForRate } = stateOf(store);
			return { maxRunningSessions, refusedForSessions, refusedForRate };
		},
	};
}
