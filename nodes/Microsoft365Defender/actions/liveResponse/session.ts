import {
	NodeApiError,
	NodeOperationError,
	jsonParse,
	type IBinaryKeyData,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import { commentField, deviceLocator } from '../../descriptions/mde';
import { cancelSignalOf } from '../../transport/cancellation';
import { toNodeError } from '../../transport/errors';
import { allOf, anyOf, odataString } from '../../transport/odata';
import { apiPath, fromField } from '../../transport/paths';
import { liveResponseGateFor } from '../../transport/pacing/sessionGate';
import { downloadAsBinaryData, downloadAsText, withBinaryData } from '../binaryData';
import { devicePath, mdeList, mdeRequest, resolveDevice, showFor, withoutContext } from '../defenderForEndpoint';
import { readWaitSettings, waitFields, waitForMachineAction, type WaitSettings } from '../responseAction/wait';
import { CancelOnStop, type StopOutcome } from './cancelOnStop';

/**
 * One live response session: POST /api/machines/{id}/runliveresponse with its commands
 * (defender-endpoint/api/run-live-response.md), the wait for the machine action, then each
 * command's result through GetLiveResponseResultDownloadLink(index=N)
 * (defender-endpoint/api/get-live-response-result.md) and its short-lived link.
 */

export type LiveResponseCommandType = 'PutFile' | 'RunScript' | 'GetFile';

export interface LiveResponseCommand {
	type: LiveResponseCommandType;
	params: Array<{ key: string; value: string }>;
}

/** Microsoft runs the commands in this order only ("PutFile, RunScript, GetFile ... in this order"). */
const COMMAND_ORDER: Record<LiveResponseCommandType, number> = { PutFile: 0, RunScript: 1, GetFile: 2 };

const PERMISSION = 'Machine.LiveResponse';

/** Default wait: past Microsoft's 10 minutes for a RunScript. */
const DEFAULT_TIMEOUT_SECONDS = 900;
/** Without Wait for Completion, the wait for a session already running uses the wait fields' defaults. */
const WAIT_FOR_RUNNING_SESSION: WaitSettings = { intervalMs: 15_000, timeoutMs: DEFAULT_TIMEOUT_SECONDS * 1000 };

export const liveResponseWaitFields: INodeProperties[] = waitFields.map((field) => {
	if (field.name === 'waitForCompletion') {
		return {
			...field,
			default: true,
			description:
				'Whether to wait for the session to end and return its results (script output, files). Without it the node returns the new machine action, usually Pending, and no results.',
		};
	}
	if (field.name === 'waitTimeoutSeconds') {
		return {
			...field,
			default: DEFAULT_TIMEOUT_SECONDS,
			description:
				'Stop waiting after this many seconds. Microsoft ends a RunScript after 10 minutes; a session for a device that is offline is queued for up to three days, so choose how long this workflow may wait. The session itself goes on after the node stops waiting.',
		};
	}
	return field;
});

const sessionOptions: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add option',
	default: {},
	options: [
		{
			displayName: 'If a Session Is Already Running on the Device',
			name: 'ifSessionRunning',
			type: 'options',
			options: [
				{ name: 'Fail', value: 'fail', description: 'Report Microsoft\'s ActiveRequestAlreadyExists error, with the session that is running' },
				{ name: 'Wait for It, Then Start', value: 'waitThenStart', description: 'Wait (within the timeout) for the running session to end, then start this one' },
			],
			default: 'fail',
			description: 'Microsoft runs one live response session per device at a time',
		},
	],
};

/** The fields every live response operation has, around its own. */
export function liveResponseDescription(operation: string, fields: INodeProperties[]): INodeProperties[] {
	return showFor('liveResponse', operation, [
		deviceLocator,
		...fields,
		commentField('Why the session is run; shown with the machine action in the Defender portal'),
		...liveResponseWaitFields,
		sessionOptions,
	]);
}

/** A library file name as Microsoft takes it: a plain name, no folders. */
export function readLibraryFileName(this: IExecuteFunctions, parameter: string, label: string, itemIndex: number): string {
	const name = String(this.getNodeParameter(parameter, itemIndex, '')).trim();
	if (!name || /[\\/]/.test(name)) {
		throw new NodeOperationError(this.getNode(), `${label} "${name}" is not a live response library file name.`, {
			description: 'Enter the name of a file in the live response library, e.g. collect-logs.ps1 (Live Response Library → Get Many lists them).',
			itemIndex,
		});
	}
	return name;
}

export function readDevicePath(this: IExecuteFunctions, parameter: string, itemIndex: number): string {
	const path = String(this.getNodeParameter(parameter, itemIndex, '')).trim();
	if (!path) {
		throw new NodeOperationError(this.getNode(), 'Path is empty: enter the full path of the file on the device.', {
			description: 'E.g. C:\\Windows\\Temp\\evidence.log. Type single backslashes; the node escapes them for the API.',
			itemIndex,
		});
	}
	return path;
}

export function checkCommandOrder(this: IExecuteFunctions, commands: LiveResponseCommand[], itemIndex: number): void {
	if (commands.length === 0) {
		throw new NodeOperationError(this.getNode(), 'Commands is empty: add at least one Put File, Run Script or Get File command.', { itemIndex });
	}
	for (let index = 1; index < commands.length; index++) {
		if (COMMAND_ORDER[commands[index].type] < COMMAND_ORDER[commands[index - 1].type]) {
			throw new NodeOperationError(this.getNode(), `Command ${index + 1} (${commands[index].type}) comes after a ${commands[index - 1].type}.`, {
				description: 'Microsoft runs live response commands in this order only: all Put File commands, then Run Script, then Get File. Reorder the commands.',
				itemIndex,
			});
		}
	}
}

function sessionAlreadyRunning(error: unknown): boolean {
	return error instanceof NodeApiError && error.httpCode === '400' && /ActiveRequestAlreadyExists/i.test(error.message);
}

async function runningSession(this: IExecuteFunctions, machineId: string, itemIndex: number): Promise<IDataObject | undefined> {
	const found = await mdeList.call(
		this,
		{
			method: 'GET',
			path: '/api/machineactions',
			query: {
				$filter: allOf([`machineId eq ${odataString(machineId)}`, `type eq 'LiveResponse'`, anyOf('status', ['Pending', 'InProgress'])]),
				$top: 1,
			},
			permission: 'Machine.Read.All',
			itemIndex,
		},
		1,
	);
	return found[0];
}

async function startSession(
	this: IExecuteFunctions,
	machineId: string,
	body: IDataObject,
	wait: WaitSettings | undefined,
	itemIndex: number,
): Promise<IDataObject> {
	const start = async () =>
		await mdeRequest.call(this, { method: 'POST', path: devicePath(machineId, 'runliveresponse'), body, permission: PERMISSION, itemIndex });
	try {
		return await start();
	} catch (error) {
		if (!sessionAlreadyRunning(error)) throw toNodeError(this.getNode(), error, itemIndex);
		const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
		const running = await runningSession.call(this, machineId, itemIndex);
		const which = running ? ` (machine action ${String(running.id)}, ${String(running.status)}, requested by ${String(running.requestor)})` : '';
		if (options.ifSessionRunning !== 'waitThenStart' || !running) {
			throw new NodeOperationError(this.getNode(), `Device ${machineId} already has a live response session running${which}; Microsoft runs one session per device.`, {
				description: 'Wait for that session to end, cancel it (Machine Action → Cancel), or set Options → If a Session Is Already Running on the Device → Wait for It, Then Start.',
				itemIndex,
			});
		}
		const ended = await waitForMachineAction.call(this, running, wait ?? WAIT_FOR_RUNNING_SESSION, itemIndex);
		if (!(ended.wait as IDataObject).completed) {
			throw new NodeOperationError(this.getNode(), `The live response session already running on device ${machineId}${which} did not end within the timeout; this session was not started.`, {
				description: 'Raise Timeout (Seconds) or run the workflow again later.',
				itemIndex,
			});
		}
		return await start();
	}
}

interface CommandState {
	index?: number;
	commandStatus?: string;
	errors?: unknown[];
	command?: LiveResponseCommand;
}

function commandErrors(action: IDataObject): string {
	const commands = (Array.isArray(action.commands) ? action.commands : []) as CommandState[];
	const failed = commands.filter((command) => command.commandStatus === 'Failed' || (command.errors?.length ?? 0) > 0);
	return failed
		.map((command) => `command ${Number(command.index ?? 0) + 1} (${command.command?.type ?? '?'}): ${(command.errors ?? []).map(String).join('; ') || 'failed'}`)
		.join(', ');
}

async function resultLink(this: IExecuteFunctions, actionId: string, index: number, itemIndex: number): Promise<string> {
	const response = await mdeRequest.call(this, {
		method: 'GET',
		path: apiPath`/api/machineactions/${fromField('Machine Action', actionId)}` + `/GetLiveResponseResultDownloadLink(index=${index})`,
		permission: 'Machine.Read.All',
		itemIndex,
	});
	return String(response.value ?? '').trim().replace(/^"(.*)"$/, '$1');
}

function resultDownload(actionId: string, index: number, itemIndex: number) {
	return {
		what: `the result of live response command ${index + 1} (machine action ${actionId})`,
		itemIndex,
		renewHint: 'Run the node again: each run asks Microsoft for a fresh link.',
	};
}

/** RunScript's transcript (get-live-response-result.md: script_name, exit_code, script_output, script_errors). */
function scriptResult(this: IExecuteFunctions, text: string, itemIndex: number): IDataObject {
	let transcript: IDataObject;
	try {
		transcript = jsonParse<IDataObject>(text);
	} catch {
		throw new NodeOperationError(this.getNode(), 'The script result Microsoft returned is not the JSON transcript it documents.', { itemIndex });
	}
	return {
		scriptName: transcript.script_name,
		exitCode: transcript.exit_code,
		scriptOutput: transcript.script_output,
		scriptErrors: transcript.script_errors,
	};
}

function baseName(path: string): string {
	return path.split(/[\\/]/).filter(Boolean).pop() ?? 'file';
}

const STOP_OUTCOMES: Record<StopOutcome, string> = {
	cancelled: 'it was cancelled (Machine Action → Cancel).',
	alreadyEnded: 'it had already ended.',
	failed: 'cancelling it failed (see the log): cancel it in the Defender portal or with Machine Action → Cancel.',
};

export interface SessionRequest {
	commands: LiveResponseCommand[];
	/** Binary field of each GetFile command, by its index among the commands. */
	fileFields: Map<number, string>;
}

/**
 * Runs the session and returns the machine action with the results of its commands: for a
 * RunScript its transcript, for a GetFile the file as binary data. Without Wait for Completion
 * the new action alone.
 */
export async function runSession(this: IExecuteFunctions, itemIndex: number, request: SessionRequest): Promise<IDataObject> {
	checkCommandOrder.call(this, request.commands, itemIndex);
	const comment = String(this.getNodeParameter('comment', itemIndex, '')).trim();
	if (!comment) {
		throw new NodeOperationError(this.getNode(), 'Comment is empty: Defender for Endpoint requires a comment on every live response session.', {
			description: 'Write why the session is run, e.g. the incident it belongs to.',
			itemIndex,
		});
	}
	const wait = readWaitSettings.call(this, itemIndex);
	const { id: machineId } = await resolveDevice.call(this, itemIndex);
	// Microsoft counts sessions per tenant: a customer's tenant (Request Options → Tenant) has its own 25.
	const gate = await liveResponseGateFor(this, itemIndex);

	const leave = await gate.enter(cancelSignalOf(this));
	let action: IDataObject;
	let onStop: CancelOnStop | undefined;
	try {
		action = await startSession.call(this, machineId, { Commands: request.commands as unknown as IDataObject[], Comment: comment }, wait, itemIndex);
		if (!wait) {
			return {
				...withoutContext(action),
				note: 'Started without waiting: the results are fetched only when the node waits for the session (Wait for Completion). Stop does not cancel a session the node does not wait for.',
			};
		}
		const guard = new CancelOnStop(this, action, itemIndex);
		onStop = guard;
		try {
			action = await waitForMachineAction.call(this, action, wait, itemIndex, (seen) => guard.observe(seen));
		} catch (error) {
			const outcome = await guard.outcome();
			if (!outcome) throw toNodeError(this.getNode(), error, itemIndex);
			throw new NodeOperationError(this.getNode(), `The execution was stopped while live response session ${String(action.id)} ran on device ${machineId}; ${STOP_OUTCOMES[outcome]}`, {
				itemIndex,
			});
		}
	} finally {
		onStop?.release();
		// Microsoft counts a stopped session until its cancel is answered.
		await onStop?.outcome();
		// The node stops watching here: a session that outlives the wait is no longer counted.
		leave();
	}

	const waited = action.wait as IDataObject;
	if (!waited.completed) return action;
	const actionId = String(action.id);
	if (action.status !== 'Succeeded') {
		const errors = commandErrors(action);
		const ended = `Live response session ${actionId} ended ${String(action.status)}${errors ? `: ${errors}` : ''}`;
		throw new NodeOperationError(this.getNode(), ended.endsWith('.') ? ended : `${ended}.`, {
			description:
				'Microsoft stops a session at the first failed command. Check the script or file name (it must be in the live response library) and the path on the device; RunScript ends after 10 minutes.',
			itemIndex,
		});
	}

	const results: IDataObject[] = [];
	const binary: IBinaryKeyData = {};
	for (const [index, command] of request.commands.entries()) {
		const value = (key: string) => command.params.find((param) => param.key === key)?.value;
		if (command.type === 'PutFile') {
			results.push({ index, type: command.type, fileName: value('FileName') });
		} else if (command.type === 'RunScript') {
			const link = await resultLink.call(this, actionId, index, itemIndex);
			const transcript = await downloadAsText.call(this, link, resultDownload(actionId, index, itemIndex));
			results.push({ index, type: command.type, ...scriptResult.call(this, transcript, itemIndex) });
		} else {
			const path = value('Path') ?? '';
			const field = request.fileFields.get(index) ?? 'data';
			const link = await resultLink.call(this, actionId, index, itemIndex);
			const file = await downloadAsBinaryData.call(this, link, resultDownload(actionId, index, itemIndex), baseName(path));
			binary[field] = file.binary;
			results.push({ index, type: command.type, path, binaryField: field, fileName: file.binary.fileName, bytes: file.bytes });
		}
	}
	const output: IDataObject = { ...action, results };
	return Object.keys(binary).length > 0 ? withBinaryData(output, binary) : output;
}
