/** Types for n8n-host.cjs (used by the TypeScript e2e harness). */

export interface HostPaths {
	hostDir: string;
	nodeBinary: string;
	nodeBinDir: string;
	n8nBin: string;
	n8nVersion: string;
	nodeVersion: string;
}

export interface N8nResult {
	code: number | null;
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
	stdoutFile: string | null;
	durationMs: number;
}

export interface N8nEnvExtra {
	caCertPath?: string;
	[name: string]: string | undefined;
}

export declare const N8N_VERSION: string;
export declare const NODE_VERSION: string;
export declare const ROOT: string;
export declare const HOST_DIR: string;
export declare const ENCRYPTION_KEY: string;
export declare function ensureHost(options?: { quiet?: boolean }): Promise<HostPaths>;
export declare function hostStatus(): { marker: unknown; markerMatches: boolean; filesMatch: boolean };
export declare function hostPaths(): HostPaths;
export declare function packPackage(options?: { build?: boolean; destination?: string }): string;
export declare function installPackage(userFolder: string, options?: { build?: boolean; tarball?: string }): { tarball: string; nodesDir: string; version?: string };
export declare function n8nEnv(userFolder: string, extra?: N8nEnvExtra): NodeJS.ProcessEnv;
export declare function allocateBrokerPort(): number;
export declare function runN8n(args: string[], env: NodeJS.ProcessEnv, options?: { timeoutMs?: number; stdoutFile?: string }): Promise<N8nResult>;
export declare function runN8nChecked(args: string[], env: NodeJS.ProcessEnv, options?: { timeoutMs?: number; stdoutFile?: string }): Promise<N8nResult>;
export declare function parseExecuteOutput(stdout: string): unknown;
export declare function importJson(kind: 'credentials' | 'workflow', value: unknown, env: NodeJS.ProcessEnv): Promise<N8nResult>;
export interface RunningN8n {
	child: import('node:child_process').ChildProcess;
	output(): string;
	isAlive(): boolean;
	exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
	stop(options?: { timeoutMs?: number }): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}
export declare function freePort(): Promise<number>;
export declare function startN8n(env: NodeJS.ProcessEnv, options?: { logFile?: string; command?: string[] }): RunningN8n;
export declare function nodeBinary(): string;
export declare function n8nBin(): string;

/** Which n8n a host runs and on which Node: the packaged Node of that version, or the one running this script. */
export interface HostDescription {
	key: string;
	dir: string;
	n8nVersion: string;
	node: { kind: 'package'; version: string } | { kind: 'system' };
	installHint: string;
	/** npm `overrides` written into the host's package.json. */
	overrides?: Record<string, string>;
	/** Environment every n8n process of this host gets (before the caller's extras). */
	env?: Record<string, string>;
}

/** The same API as the module's defaults (which are bound to HOST_2X), for one host. */
export interface N8nHost {
	key: string;
	N8N_VERSION: string;
	NODE_VERSION: string;
	HOST_DIR: string;
	ensureHost(options?: { quiet?: boolean }): Promise<HostPaths>;
	hostStatus(): { marker: unknown; markerMatches: boolean; filesMatch: boolean };
	hostPaths(): HostPaths;
	n8nEnv(userFolder: string, extra?: N8nEnvExtra): NodeJS.ProcessEnv;
	runN8n(args: string[], env: NodeJS.ProcessEnv, options?: { timeoutMs?: number; stdoutFile?: string }): Promise<N8nResult>;
	runN8nChecked(args: string[], env: NodeJS.ProcessEnv, options?: { timeoutMs?: number; stdoutFile?: string }): Promise<N8nResult>;
	importJson(kind: 'credentials' | 'workflow', value: unknown, env: NodeJS.ProcessEnv): Promise<N8nResult>;
	startN8n(env: NodeJS.ProcessEnv, options?: { logFile?: string; command?: string[] }): RunningN8n;
	nodeBinary(): string;
	n8nBin(): string;
}

/** n8n 2.40.7 on Node 24 in .n8n-host/ (the default host). */
export declare const HOST_2X: HostDescription;
/** n8n 1.123.81 on the Node running the tests, in .n8n-host-1x/. */
export declare const HOST_1X: HostDescription;
export declare function createHost(description: HostDescription): N8nHost;
