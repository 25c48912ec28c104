/**
 * Runs workflow JSON through n8n-core's real execution engine (WorkflowExecute), the way n8n's
 * NodeTestHarness does, but with real HTTP: requests go to the Defender emulator over HTTPS
 * with the real credential code and MSAL. Only the credential store is replaced, by a helper
 * that hands out the decrypted data the test gives.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

process.env.N8N_USER_FOLDER ??= mkdtempSync(path.join(tmpdir(), 'n8n-defender-integration-'));
// n8n's logger would print every retry and every failed item; tests assert on them instead.
process.env.N8N_LOG_LEVEL ??= 'silent';

import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import {
	createRunExecutionData,
	ICredentialsHelper,
	Workflow,
	type ICredentialDataDecryptedObject,
	type ICredentials,
	type ICredentialType,
	type IDataObject,
	type IHttpRequestOptions,
	type INode,
	type INodeExecutionData,
	type INodeProperties,
	type INodeType,
	type INodeTypes,
	type IRun,
	type IWorkflowExecuteAdditionalData,
	type IConnections,
	type ExecutionError,
	type IVersionedNodeType,
} from 'n8n-workflow';

import { Microsoft365DefenderApi } from '../../credentials/Microsoft365DefenderApi.credentials';
import { Microsoft365Defender } from '../../nodes/Microsoft365Defender/Microsoft365Defender.node';
import { Microsoft365DefenderTrigger } from '../../nodes/Microsoft365Defender/Microsoft365DefenderTrigger.node';

export const NODE_TYPE = 'n8n-nodes-microsoft-365-defender.microsoft365Defender';
export const TRIGGER_TYPE = 'n8n-nodes-microsoft-365-defender.microsoft365DefenderTrigger';
export const CREDENTIAL_TYPE = 'microsoft365DefenderApi';

export class PackageNodeTypes implements INodeTypes {
	private readonly types = new Map<string, INodeType>();

	constructor(types: Record<string, INodeType>) {
		for (const [name, type] of Object.entries(types)) this.types.set(name, type);
	}

	getByName(nodeType: string): INodeType | IVersionedNodeType {
		const type = this.types.get(nodeType);
		if (!type) throw new Error(`Unknown node type ${nodeType}`);
		return type;
	}

	getByNameAndVersion(nodeType: string): INodeType {
		return this.getByName(nodeType) as INodeType;
	}

	getKnownTypes() {
		return {};
	}
}

export class GivenCredentialsHelper extends ICredentialsHelper {
	private readonly credentialType: ICredentialType = new Microsoft365DefenderApi();

	constructor(private readonly credentials: Record<string, ICredentialDataDecryptedObject>) {
		super();
	}

	getParentTypes(): string[] {
		return [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async authenticate(credentials: ICredentialDataDecryptedObject, _typeName: string, requestOptions: IHttpRequestOptions) {
		const authenticate = this.credentialType.authenticate;
		return typeof authenticate === 'function' ? await authenticate(credentials, requestOptions) : requestOptions;
	}

	async preAuthentication() {
		return undefined;
	}

	async runPreAuthentication() {
		return undefined;
	}

	async getCredentials(): Promise<ICredentials> {
		throw new Error('not used: nodes read decrypted credentials');
	}

	async getDecrypted(_additionalData: IWorkflowExecuteAdditionalData, nodeCredentials: { id: string | null }) {
		const data = this.credentials[String(nodeCredentials.id)];
		if (!data) throw new Error(`No credentials with id ${nodeCredentials.id}`);
		return { ...data };
	}

	async updateCredentials() {}

	async updateCredentialsOauthTokenData() {}

	getCredentialsProperties(): INodeProperties[] {
		return this.credentialType.properties;
	}
}

/** The package's node types, as n8n would load them from its package.json. */
export function packageNodeTypes(): INodeTypes {
	return new PackageNodeTypes({
		[NODE_TYPE]: new Microsoft365Defender(),
		[TRIGGER_TYPE]: new Microsoft365DefenderTrigger(),
	});
}

/** What n8n hands an execution, with the credential store replaced by the given data. */
export function additionalDataFor(
	credentials: Record<string, ICredentialDataDecryptedObject>,
	hooks?: ExecutionLifecycleHooks,
): IWorkflowExecuteAdditionalData {
	return {
		hooks,
		credentialsHelper: new GivenCredentialsHelper(credentials),
		currentNodeParameters: undefined,
		variables: {},
		restApiUrl: 'http://localhost:5678/rest',
		instanceBaseUrl: 'http://localhost:5678/',
		webhookBaseUrl: 'http://localhost:5678/webhook',
		webhookWaitingBaseUrl: 'http://localhost:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://localhost:5678/webhook-test',
		formWaitingBaseUrl: 'http://localhost:5678/form-waiting',
		userId: 'integration-user',
		executionId: '1',
	} as unknown as IWorkflowExecuteAdditionalData;
}

export interface WorkflowRun {
	run: IRun;
	/** Output items of each node that ran (first run, main output 0). */
	output: (nodeName: string) => INodeExecutionData[];
	error?: ExecutionError;
}

export interface RunWorkflowOptions {
	nodes: INode[];
	connections?: IConnections;
	/** Credential data by credential id (the id the nodes reference). */
	credentials: Record<string, ICredentialDataDecryptedObject>;
	/** Items given to the first node. */
	input?: IDataObject[];
	/** Whole items (with binary data) given to the first node; wins over `input`. */
	inputItems?: INodeExecutionData[];
	/**
	 * Called once the execution has started, with a function that cancels it the way n8n's Stop
	 * button does (WorkflowExecute's PCancelable.cancel(): the execution's AbortController is
	 * aborted, which nodes see through getExecutionCancelSignal()). The run's promise settles
	 * when the engine has actually finished.
	 */
	onStarted?: (cancel: () => void) => void;
}

export async function runWorkflow(options: RunWorkflowOptions): Promise<WorkflowRun> {
	const nodeTypes = packageNodeTypes();
	const workflow = new Workflow({
		id: 'integration',
		nodes: options.nodes,
		connections: options.connections ?? {},
		nodeTypes,
		active: false,
		settings: { executionOrder: 'v1' },
	});
	const hooks = new ExecutionLifecycleHooks('manual', '1', {
		id: 'integration',
		name: 'integration',
		active: false,
		isArchived: false,
		nodes: options.nodes,
		connections: options.connections ?? {},
		createdAt: new Date(),
		updatedAt: new Date(),
		activeVersionId: null,
	});
	let finish: (run: IRun) => void = () => {};
	const finished = new Promise<IRun>((resolve) => (finish = resolve));
	hooks.addHandler('workflowExecuteAfter', (run) => finish(run));

	const additionalData = additionalDataFor(options.credentials, hooks);

	const firstNode = options.nodes[0];
	const runExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [
				{
					node: firstNode,
					data: { main: [options.inputItems ?? (options.input ?? [{}]).map((json) => ({ json }))] },
					source: null,
				},
			],
		},
	});

	const execute = new WorkflowExecute(additionalData, 'manual', runExecutionData);
	const execution = execute.processRunExecutionData(workflow);
	options.onStarted?.(() => execution.cancel());
	await execution;
	const run = await finished;
	return {
		run,
		error: run.data.resultData.error,
		output: (nodeName) => run.data.resultData.runData[nodeName]?.[0]?.data?.main?.[0] ?? [],
	};
}

let nodeCounter = 0;

/** A Defender node with the given parameters, using the credential with id `credentialId`. */
export function defenderNode(
	parameters: INode['parameters'],
	settings: { name?: string; credentialId?: string; continueOnFail?: boolean; typeVersion?: number } = {},
): INode {
	nodeCounter++;
	return {
		id: `node-${nodeCounter}`,
		name: settings.name ?? `Defender ${nodeCounter}`,
		type: NODE_TYPE,
		typeVersion: settings.typeVersion ?? 1,
		position: [0, 0],
		parameters,
		credentials: { [CREDENTIAL_TYPE]: { id: settings.credentialId ?? 'full', name: 'Defender' } },
		...(settings.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
	};
}

/** Runs one Defender node over the input items and returns its output (or the run's error). */
export async function runNode(
	parameters: INode['parameters'],
	options: {
		credentials: Record<string, ICredentialDataDecryptedObject>;
		credentialId?: string;
		input?: IDataObject[];
		continueOnFail?: boolean;
		typeVersion?: number;
	},
): Promise<{ items: INodeExecutionData[]; error?: ExecutionError }> {
	const node = defenderNode(parameters, {
		credentialId: options.credentialId,
		continueOnFail: options.continueOnFail,
		typeVersion: options.typeVersion,
	});
	const result = await runWorkflow({ nodes: [node], credentials: options.credentials, input: options.input });
	return { items: result.output(node.name), error: result.error };
}

/** A resource locator value as n8n stores it. */
export const byId = (value: string) => ({ __rl: true, mode: 'id', value });
