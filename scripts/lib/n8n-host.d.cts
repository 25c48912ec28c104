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
export declare function startN8n(env: NodeJS.ProcessEnv, options?: { logFile?: string }): RunningN8n;
export declare function nodeBinary(): string;
export declare function n8nBin(): string;
