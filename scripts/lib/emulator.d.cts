/** Types for emulator.cjs (used by the TypeScript e2e harness). */
import type { ChildProcess } from 'node:child_process';

export interface EmulatorApp {
	clientId: string;
	clientSecret?: string;
	[key: string]: unknown;
}

export interface EmulatorInfo {
	loginHost: string;
	loginUrl: string;
	graphUrl: string;
	mdeUrl: string;
	/** The Defender for Cloud Apps API host (the tenant's portal URL; the API is under /api). */
	cloudAppsUrl: string;
	caCertPath: string;
	tenantId: string;
	tenantDomain?: string;
	apps: Record<string, EmulatorApp>;
	[key: string]: unknown;
}

export interface LoggedRequest {
	sequence: number;
	api: string;
	method: string;
	path: string;
	status: number;
	clientId?: string;
	audience?: string;
	route?: string;
	/** Injected fault that answered the request (see test/emulator/runtime.ts). */
	fault?: 'status' | 'reset' | 'redirect' | 'applyThenDrop' | 'applyThenStatus';
	/** applyThen* faults: the status the handler really produced. */
	appliedStatus?: number;
	[key: string]: unknown;
}

export interface AdminClient {
	requests(query?: string): Promise<LoggedRequest[]>;
	clearRequests(): Promise<unknown>;
	throttle(body: unknown): Promise<unknown>;
	faults(body: unknown): Promise<unknown>;
	addIncident(body: unknown): Promise<unknown>;
	reset(): Promise<unknown>;
	/** The first `limit` ids of a collection (GET /_emulator/ids/:kind). */
	ids(kind: 'incidents' | 'alerts' | 'machines', limit?: number): Promise<Array<{ id: string }>>;
	/** Defender for Endpoint machine actions as the API serves them now, newest first. */
	machineActions(): Promise<Array<Record<string, unknown>>>;
	/** How new machine actions move: milliseconds Pending and InProgress (null: stay), and the outcome. */
	setMachineActionBehaviour(body: { pendingMs?: number | null; inProgressMs?: number | null; outcome?: 'Succeeded' | 'Failed' | 'TimeOut' }): Promise<unknown>;
	indicators(): Promise<Array<Record<string, unknown>>>;
	/** What the storage host of download links received: method, path (no query), headers, status. */
	storageRequests(): Promise<Array<{ method: string; path: string; status: number; headers: Record<string, string | string[] | undefined> }>>;
	/** Entra ID users (id, userPrincipalName, accountName, accountEnabled, sessionsRevoked, compromised, riskState) and the email remediations received. */
	accountsAndMail(): Promise<{ users: EmulatedEntraUser[]; remediations: Array<{ action: string; analyzedEmails: Array<{ networkMessageId: string; recipientEmailAddress: string }>; [key: string]: unknown }> }>;
	call(method: string, route: string, body?: unknown): Promise<unknown>;
}

export interface EmulatedEntraUser {
	id: string;
	userPrincipalName: string;
	accountName: string;
	accountEnabled: boolean;
	sessionsRevoked: number;
	compromised: boolean;
	riskState: string;
}

export interface RunningEmulator {
	info: EmulatorInfo;
	child: ChildProcess;
	stop(): Promise<void>;
	admin: AdminClient;
	stateFile: string;
	portBase: number;
	stderr(): string;
}

export interface HttpResult {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	text: string;
	json: unknown;
}

export declare const ROOT: string;
export declare const CLI: string;
export declare const DEFAULT_TLS_DIR: string;
export declare function ensureTlsCertificate(dir?: string): string;
export declare function startEmulator(options?: {
	portBase?: number;
	stateFile?: string;
	tlsDir?: string;
	latencyMs?: number;
	strictLimits?: boolean;
	extraArgs?: string[];
	log?: NodeJS.WritableStream;
	startTimeoutMs?: number;
}): Promise<RunningEmulator>;
export declare function findFreePortBase(count?: number): Promise<number>;
export declare function busyPorts(ports: number[]): Promise<number[]>;
export declare function request(
	url: string,
	options?: { method?: string; body?: unknown; headers?: Record<string, string>; ca?: Buffer | string },
): Promise<HttpResult>;
export declare function adminClient(loginUrl: string, ca: Buffer | string): AdminClient;
export declare function tsxArgs(file: string, args: string[]): string[];
