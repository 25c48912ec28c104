import { NodeApiError, NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { commentField, deviceLocator } from '../../descriptions/mde';
import { toNodeError } from '../../transport/errors';
import { allOf, anyOf, odataString } from '../../transport/odata';
import { devicePath, mdeList, mdeRequest, resolveDevice, showFor, withoutContext } from '../defenderForEndpoint';
import { readWaitSettings, waitFields, waitForMachineAction } from './wait';

/** What differs between the response actions; the operations are built from it. */
export interface ResponseActionSpec {
	operation: string;
	/** Last path segment of POST /api/machines/{id}/<segment>, as Microsoft's page spells it. */
	segment: string;
	/** The MachineAction type the call creates. */
	actionType: string;
	permission: string;
	/** Shown under Comment, e.g. "why the device is isolated". */
	commentHint: string;
	fields?: INodeProperties[];
	/** Body parameters beyond Comment, read (and checked) from the item. */
	body?: (this: IExecuteFunctions, itemIndex: number) => IDataObject;
	/** Shown below the wait fields: what to do with an action that has completed. */
	completionFields?: INodeProperties[];
	/** Runs after a wait that saw the action complete, e.g. to download what it produced. */
	afterCompletion?: (this: IExecuteFunctions, action: IDataObject, itemIndex: number) => Promise<IDataObject>;
}

const optionsField: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add option',
	default: {},
	options: [
		{
			displayName: 'If the Same Action Is Already Running',
			name: 'ifAlreadyRunning',
			type: 'options',
			options: [
				{ name: 'Fail', value: 'fail', description: 'Report Microsoft\'s "Action is already in progress" error' },
				{ name: 'Use the Running Action', value: 'useRunning', description: 'Return (and wait for) the action of this type that is already pending or in progress on the device' },
			],
			default: 'fail',
			description: 'Microsoft refuses a second action while one of the same kind is pending on the device',
		},
	],
};

function alreadyInProgress(error: unknown): boolean {
	return error instanceof NodeApiError && error.httpCode === '400' && /already in progress/i.test(error.message);
}

async function runningAction(this: IExecuteFunctions, machineId: string, actionType: string, itemIndex: number): Promise<IDataObject | undefined> {
	const found = await mdeList.call(
		this,
		{
			method: 'GET',
			path: '/api/machineactions',
			query: {
				$filter: allOf([`machineId eq ${odataString(machineId)}`, `type eq ${odataString(actionType)}`, anyOf('status', ['Pending', 'InProgress'])]),
				$top: 1,
			},
			permission: 'Machine.Read.All',
			itemIndex,
		},
		1,
	);
	return found[0];
}

export function responseActionOperation(spec: ResponseActionSpec) {
	return {
		description: showFor('responseAction', spec.operation, [
			deviceLocator,
			...(spec.fields ?? []),
			commentField(`Why the action is taken; shown with the action in the Defender portal. ${spec.commentHint}`),
			...waitFields,
			...(spec.completionFields ?? []),
			optionsField,
		]),
		async execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
			const comment = String(this.getNodeParameter('comment', itemIndex, '')).trim();
			if (!comment) {
				throw new NodeOperationError(this.getNode(), 'Comment is empty: Defender for Endpoint requires a comment on every response action.', {
					description: 'Write why the action is taken, e.g. the incident it belongs to.',
					itemIndex,
				});
			}
			const extra = spec.body?.call(this, itemIndex) ?? {};
			const wait = readWaitSettings.call(this, itemIndex);
			const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
			const { id } = await resolveDevice.call(this, itemIndex);

			let action: IDataObject;
			let reused = false;
			try {
				action = await mdeRequest.call(this, {
					method: 'POST',
					path: devicePath(id, spec.segment),
					body: { Comment: comment, ...extra },
					permission: spec.permission,
					itemIndex,
				});
			} catch (error) {
				if (options.ifAlreadyRunning !== 'useRunning' || !alreadyInProgress(error)) throw toNodeError(this.getNode(), error, itemIndex);
				const running = await runningAction.call(this, id, spec.actionType, itemIndex);
				// A different kind of action (e.g. a release while isolating) is running: report Microsoft's error.
				if (!running) throw toNodeError(this.getNode(), error, itemIndex);
				action = running;
				reused = true;
			}
			const result = wait ? await waitForMachineAction.call(this, action, wait, itemIndex) : withoutContext(action);
			if (reused) result.reusedRunningAction = true;
			return wait && spec.afterCompletion ? await spec.afterCompletion.call(this, result, itemIndex) : result;
		},
	};
}
