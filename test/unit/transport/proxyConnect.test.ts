/**
 * Issue 20, point 5: a proxy that accepts the connection but never answers CONNECT ends the
 * request after the CONNECT timeout, with an error naming the proxy's host and port, never the
 * user name and password in its URL.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { request } from 'node:https';

import { ProxyTunnelAgent } from '../../../nodes/Microsoft365Defender/transport/auth/proxy';

let silent: Server;
const sockets: Socket[] = [];

beforeAll(async () => {
	silent = createServer((socket) => void sockets.push(socket));
	await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
});

afterAll(async () => {
	sockets.forEach((socket) => socket.destroy());
	await new Promise((resolve) => silent.close(resolve));
});

it('a proxy that never answers CONNECT fails the request in time, naming the proxy without its credentials', async () => {
	const { port } = silent.address() as { port: number };
	const agent = new ProxyTunnelAgent(new URL(`http://soc-user:proxy-secret@127.0.0.1:${port}`), {}, 300);
	const started = Date.now();
	const outcome = await Promise.race([
		new Promise<Error | 'answered'>((resolve) => {
			const call = request('https://api.security.microsoft.com/api/machines', { agent }, () => resolve('answered'));
			call.on('error', resolve);
			call.end();
		}),
		new Promise<'still waiting'>((resolve) => setTimeout(() => resolve('still waiting'), 3_000)),
	]);
	expect(outcome).toBeInstanceOf(Error);
	const error = outcome as Error & { code?: string };
	expect(error.message).toBe(`the proxy 127.0.0.1:${port} did not answer CONNECT api.security.microsoft.com:443 within 0.3 s`);
	expect(error.code).toBe('ETIMEDOUT');
	expect(error.message).not.toMatch(/proxy-secret|soc-user/);
	expect(Date.now() - started).toBeLessThan(2_000);
});
