/** Types for verdaccio.cjs (used by the TypeScript e2e registry lane). */
import type { ChildProcess } from 'node:child_process';

export interface RunningVerdaccio {
	url: string;
	port: number;
	storage: string;
	child: ChildProcess;
	stop(): Promise<void>;
	output(): string;
}

export declare const VERDACCIO_VERSION: string;
export declare const OVERRIDES: Record<string, string>;
export declare const DIR: string;
export declare const BIN: string;
export declare const UPLINK: string;
export declare function ensureVerdaccio(options?: { quiet?: boolean }): Promise<string>;
export declare function startVerdaccio(options: { workDir: string; port: number; packageName: string; uplink?: string; timeoutMs?: number }): Promise<RunningVerdaccio>;
export declare function publishTarball(url: string, tarball: string, options?: { tag?: string }): string;
export declare function repackWithVersion(
	tarball: string,
	version: string,
	options?: { destination?: string; edit?: (manifest: Record<string, unknown>) => void },
): string;
