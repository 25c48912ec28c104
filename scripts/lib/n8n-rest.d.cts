/** Types for n8n-rest.cjs (used by the TypeScript e2e harness). */

export interface RestResponse {
	status: number;
	json: unknown;
	text: string;
	data: unknown;
}

export interface ExecutionSummary {
	id: string;
	workflowId: string;
	mode: string;
	status: string;
	finished?: boolean;
	startedAt?: string;
	stoppedAt?: string | null;
	[key: string]: unknown;
}

export declare const BROWSER_ID: string;
export declare class N8nRest {
	constructor(baseUrl: string);
	baseUrl: string;
	call(method: string, route: string, body?: unknown): Promise<RestResponse>;
	healthy(): Promise<boolean>;
	restReady(): Promise<boolean>;
	waitUntilHealthy(options?: { timeoutMs?: number; isAlive?: () => boolean }): Promise<boolean>;
	needsOwnerSetup(): Promise<boolean>;
	setupOwner(owner: { email: string; firstName: string; lastName: string; password: string }): Promise<unknown>;
	login(email: string, password: string): Promise<unknown>;
	/** Publishes (activates) the workflow's current version, as the editor's Publish button does. */
	activateWorkflow(workflowId: string): Promise<unknown>;
	/** Runs the workflow as the editor's "Execute workflow" button does (`POST /rest/workflows/:id/run`). */
	runWorkflow(workflowId: string, options?: { triggerName?: string }): Promise<{ executionId: string }>;
	/** Stops an execution as the editor's Stop button does (`POST /rest/executions/:id/stop`). */
	stopExecution(executionId: string): Promise<RestResponse>;
	executions(workflowId: string): Promise<ExecutionSummary[]>;
	/** The execution with `data` parsed (run data as `n8n execute --rawOutput` prints it). */
	execution(id: string): Promise<ExecutionSummary & { data: unknown }>;
}
