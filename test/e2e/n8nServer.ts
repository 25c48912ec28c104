/**
 * `n8n start` for the lanes that drive a real n8n through its REST API (trigger, control,
 * registry): a free port, the emulator's CA, the owner account set up (or signed in to).
 */
import path from 'node:path';

import * as host from '../../scripts/lib/n8n-host.cjs';
import { N8nRest } from '../../scripts/lib/n8n-rest.cjs';

export interface Owner {
	email: string;
	firstName: string;
	lastName: string;
	password: string;
}

export interface N8nServer {
	n8n: host.RunningN8n;
	rest: N8nRest;
	port: number;
	startedAt: number;
}

/** Starts `n8n start` on a free port; the caller owns stopping it. */
export async function launchN8nServer(userFolder: string, caCertPath: string, extraEnv: Record<string, string> = {}): Promise<N8nServer> {
	const port = await host.freePort();
	const env = host.n8nEnv(userFolder, {
		caCertPath,
		N8N_PORT: String(port),
		N8N_HOST: 'localhost',
		N8N_EDITOR_BASE_URL: `http://localhost:${port}`,
		// Refreshes a catalogue from api.n8n.io on start; offline it only prints a stack trace.
		N8N_DISABLED_MODULES: 'mcp-registry',
		...extraEnv,
	});
	const startedAt = Date.now();
	const n8n = host.startN8n(env, { logFile: path.join(userFolder, 'n8n-start.log') });
	return { n8n, rest: new N8nRest(`http://localhost:${port}`), port, startedAt };
}

/** Waits until n8n answers, then sets up the owner (first start) or signs in; returns the seconds until it answered. */
export async function signInWhenReady(server: N8nServer, owner: Owner): Promise<number> {
	const { n8n, rest } = server;
	if (!(await rest.waitUntilHealthy({ timeoutMs: 300_000, isAlive: () => n8n.isAlive() }))) throw new Error('n8n start did not become healthy');
	const seconds = (Date.now() - server.startedAt) / 1000;
	if (await rest.needsOwnerSetup()) await rest.setupOwner(owner);
	else if (!(await rest.login(owner.email, owner.password))) throw new Error('Could not log in to n8n');
	return seconds;
}
