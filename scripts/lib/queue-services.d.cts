export const QUEUE_DIR: string;

export interface RunningRedis {
	port: number;
	dir: string;
	output(): string;
	stop(): Promise<void>;
}

export interface RunningPostgres {
	port: number;
	database: string;
	user: string;
	password: string;
	dir: string;
	output(): string;
	stop(): Promise<void>;
}

export function startRedis(options?: { port?: number }): Promise<RunningRedis>;
export function startPostgres(options?: { database?: string; user?: string; password?: string }): Promise<RunningPostgres>;
export function queueModeEnv(services: { redis: RunningRedis; postgres: RunningPostgres }): Record<string, string>;
