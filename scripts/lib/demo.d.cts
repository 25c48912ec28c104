/** Types for demo.cjs (used by the TypeScript e2e harness). */
import type { EmulatorInfo } from './emulator.cjs';

export interface DemoCredential {
	id: string;
	name: string;
	type: string;
	data: Record<string, string>;
}

export interface DemoWorkflow {
	id: string;
	name: string;
	nodes: Array<{ name: string; type: string; [key: string]: unknown }>;
	[key: string]: unknown;
}

export declare const DEMO_DIR: string;
export declare function demoCredentials(info: EmulatorInfo): DemoCredential[];
export declare function demoWorkflows(): DemoWorkflow[];
export declare function demoCredentialValues(info: EmulatorInfo): Record<string, string>;
export declare function hashOf(value: unknown): string;
