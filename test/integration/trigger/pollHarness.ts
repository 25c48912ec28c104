/**
 * Runs the trigger the way n8n runs an active polling trigger, with n8n-core's own pieces:
 * a real PollContext (real getWorkflowStaticData on a real Workflow, real getNodeParameter,
 * real helpers.httpRequest) driven by n8n-core's PollTriggerExecutor, which calls `poll`, hands
 * non-null results to `__emit` and errors to `__emitError`, exactly as ActiveWorkflowTriggers
 * does on activation (`testingTrigger = true`) and on each scheduled tick. Only the credential
 * store is replaced (decrypted data handed out by the test), as in ../harness.ts.
 *
 * "Fetch Test Event" runs through WorkflowExecute in manual mode, which builds its own manual
 * PollContext (executePollNode).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

process.env.N8N_USER_FOLDER ??= mkdtempSync(path.join(tmpdir(), 'n8n-defender-trigger-'));

import { Container } from '@n8n/di';
import { ExecutionLifecycleHooks, PollContext, PollTriggerExecutor, WorkflowExecute } from 'n8n-core';
import {
	createRunExecutionData,
	Workflow,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type INode,
	type INodeExecutionData,
	type IRun,
} from 'n8n-workflow';

import { additionalDataFor, packageNodeTypes, TRIGGER_TYPE } from '../harness';

export { TRIGGER_TYPE };

const CREDENTIAL_TYPE = 'microsoft365DefenderApi';

let nodeCounter = 0;

export function triggerNode(parameters: INode['parameters'], name?: string): INode {
	nodeCounter++;
	return {
		id: `trigger-${nodeCounter}`,
		name: name ?? `Defender Trigger ${nodeCounter}`,
		type: TRIGGER_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: { pollTimes: { item: [{ mode: 'everyMinute' }] }, ...parameters },
		credentials: { [CREDENTIAL_TYPE]: { id: 'full', name: 'Defender' } },
	};
}

function workflowFor(node: INode, staticData: IDataObject, active: boolean): Workflow {
	return new Workflow({
		id: `trigger-workflow-${node.id}`,
		name: 'trigger test',
		nodes: [node],
		connections: {},
		nodeTypes: packageNodeTypes(),
		active,
		staticData,
		settings: { executionOrder: 'v1' },
	});
}

export interface PollOutcome {
	/** Items handed to __emit (one execution), or null when the poll returned nothing. */
	items: INodeExecutionData[] | null;
	/** The error handed to __emitError, when the poll failed. */
	error?: Error;
}

export interface ActiveTrigger {
	readonly node: INode;
	/** One scheduled tick (the first call is the activation poll, like n8n's `executeTrigger(true)`). */
	poll(options?: { beforeRequest?: (index: number) => void }): Promise<PollOutcome>;
	/** The node's static data as n8n would persist it. */
	staticData(): IDataObject;
	/** Simulates an n8n restart: a new Workflow loaded from the persisted (JSON) static data. */
	restart(): void;
}

/**
 * An active polling trigger: one Workflow whose static data lives across polls the way an
 * active workflow's does in n8n, polled by n8n-core's PollTriggerExecutor.
 */
export function activateTrigger(parameters: INode['parameters'], credentials: ICredentialDataDecryptedObject): ActiveTrigger {
	const node = triggerNode(parameters);
	let workflow = workflowFor(node, {}, true);
	let activated = false;
	const executor = Container.get(PollTriggerExecutor);

	const nodeStaticData = () => workflow.getStaticData('node', node);
	return {
		node,
		staticData: () => JSON.parse(JSON.stringify(nodeStaticData())) as IDataObject,
		restart() {
			const persisted = JSON.parse(JSON.stringify(workflow.staticData)) as IDataObject;
			workflow = workflowFor(node, persisted, true);
		},
		async poll(options = {}) {
			const outcome: PollOutcome = { items: null };
			const context = new PollContext(
				workflow,
				node,
				additionalDataFor({ full: credentials }),
				'trigger',
				activated ? 'init' : 'activate',
				(data) => {
					outcome.items = data[0] ?? [];
				},
				(error) => {
					outcome.error = error;
				},
			);
			if (options.beforeRequest) {
				// Lets a test make the emulator fail the n-th request of this poll (e.g. page 2).
				const send = context.helpers.httpRequest.bind(context.helpers);
				let index = 0;
				context.helpers.httpRequest = async (requestOptions) => {
					options.beforeRequest?.(index++);
					return await send(requestOptions);
				};
			}
			const execute = executor.create(workflow, node, context, () => true);
			if (!activated) {
				activated = true;
				try {
					await execute(true);
				} catch (error) {
					// Activation fails in n8n when the first poll throws.
					activated = false;
					outcome.error = error as Error;
				}
			} else {
				await execute(false);
			}
			return outcome;
		},
	};
}

/**
 * "Fetch Test Event": the trigger run by WorkflowExecute in manual mode. `nodeStaticData` is
 * the node's saved state (e.g. an active trigger's); the result says what it is afterwards.
 */
export async function fetchTestEvent(
	parameters: INode['parameters'],
	credentials: ICredentialDataDecryptedObject,
	nodeStaticData: IDataObject = {},
): Promise<{ items: INodeExecutionData[]; error?: Error; staticData: IDataObject }> {
	const node = triggerNode(parameters);
	const saved = JSON.parse(JSON.stringify(nodeStaticData)) as IDataObject;
	const workflow = workflowFor(node, Object.keys(saved).length ? { [`node:${node.name}`]: saved } : {}, false);
	const hooks = new ExecutionLifecycleHooks('manual', '1', {
		id: workflow.id,
		name: 'trigger test',
		active: false,
		isArchived: false,
		nodes: [node],
		connections: {},
		createdAt: new Date(),
		updatedAt: new Date(),
		activeVersionId: null,
	});
	let finish: (run: IRun) => void = () => {};
	const finished = new Promise<IRun>((resolve) => (finish = resolve));
	hooks.addHandler('workflowExecuteAfter', (run) => finish(run));
	const runExecutionData = createRunExecutionData({
		executionData: { nodeExecutionStack: [{ node, data: { main: [[{ json: {} }]] }, source: null }] },
	});
	const execute = new WorkflowExecute(additionalDataFor({ full: credentials }, hooks), 'manual', runExecutionData);
	await execute.processRunExecutionData(workflow);
	const run = await finished;
	return {
		items: run.data.resultData.runData[node.name]?.[0]?.data?.main?.[0] ?? [],
		error: run.data.resultData.error,
		staticData: JSON.parse(JSON.stringify(workflow.getStaticData('node', node))) as IDataObject,
	};
}
