import type { IHttpRequestOptions } from 'n8n-workflow';

import { downloadSignedLink, withoutSignature } from '../../../nodes/Microsoft365Defender/transport/download';
import { SessionGate } from '../../../nodes/Microsoft365Defender/transport/pacing/sessionGate';
import type { DefenderContext } from '../../../nodes/Microsoft365Defender/transport/types';

type Answer = { statusCode: number; headers?: Record<string, string>; body?: Buffer };

/** A node context whose httpRequest answers from a script and records what it was asked. */
function contextAnswering(answers: Answer[], signal?: AbortSignal) {
	const requests: IHttpRequestOptions[] = [];
	const context = {
		getNode: () => ({ name: 'Defender', type: 'test', typeVersion: 1, position: [0, 0], parameters: {}, id: '1' }),
		getExecutionCancelSignal: () => signal,
		helpers: {
			httpRequest: async (options: IHttpRequestOptions) => {
				requests.push(options);
				const answer = answers.shift();
				if (!answer) throw new Error('no more answers');
				return { headers: {}, body: Buffer.alloc(0), ...answer };
			},
		},
	} as unknown as DefenderContext;
	return { context, requests };
}

const download = { what: 'the package', itemIndex: 0, renewHint: 'Run it again.' };
const LINK = 'https://storage.example.net/blobs/abc/package.zip?se=2030-01-01&sig=SECRET';

describe('downloadSignedLink', () => {
	it('sends no credential: no Authorization header, no redirects followed by the HTTP client, the cancel signal attached', async () => {
		const signal = new AbortController().signal;
		const { context, requests } = contextAnswering([{ statusCode: 200, headers: { 'content-type': 'application/zip', 'content-disposition': 'attachment; filename="p.zip"' }, body: Buffer.from('PK') }], signal);
		const file = await downloadSignedLink.call(context, LINK, download);
		expect(file).toEqual({ data: Buffer.from('PK'), contentType: 'application/zip', fileName: 'p.zip' });
		expect(requests).toHaveLength(1);
		expect(Object.keys(requests[0].headers ?? {}).map((name) => name.toLowerCase())).toEqual(['accept']);
		expect(requests[0]).toMatchObject({ method: 'GET', url: LINK, disableFollowRedirect: true, sendCredentialsOnCrossOriginRedirect: false, abortSignal: signal });
	});

	it('fetches only https links, and follows a redirect only to https', async () => {
		const plain = contextAnswering([]);
		await expect(downloadSignedLink.call(plain.context, 'http://storage.example.net/x?sig=SECRET', download)).rejects.toThrow(/is not an https URL \(http:\/\/storage\.example\.net\/x\)/);
		expect(plain.requests).toHaveLength(0);

		const downgraded = contextAnswering([{ statusCode: 302, headers: { location: 'http://elsewhere.example.com/x?sig=S' } }]);
		await expect(downloadSignedLink.call(downgraded.context, LINK, download)).rejects.toThrow(/redirect to http:\/\/elsewhere\.example\.com\/x; it was not followed/);
		expect(downgraded.requests).toHaveLength(1);

		const moved = contextAnswering([{ statusCode: 307, headers: { location: 'https://mirror.example.net/y' } }, { statusCode: 200, body: Buffer.from('ok') }]);
		expect((await downloadSignedLink.call(moved.context, LINK, download)).data.toString()).toBe('ok');
		expect(moved.requests.map((request) => request.url)).toEqual([LINK, 'https://mirror.example.net/y']);
		expect(moved.requests.every((request) => !Object.keys(request.headers ?? {}).some((name) => name.toLowerCase() === 'authorization'))).toBe(true);
	});

	it('names the storage error code of an expired link, and keeps the signature out of the message', async () => {
		const { context } = contextAnswering([{ statusCode: 403, body: Buffer.from('<?xml version="1.0"?><Error><Code>AuthenticationFailed</Code></Error>') }]);
		const error = await downloadSignedLink.call(context, LINK, download).catch((caught: Error) => caught);
		expect(error).toMatchObject({ message: 'AuthenticationFailed: the storage host refused the download of the package (403).' });
		expect(JSON.stringify(error)).not.toContain('SECRET');
		expect(withoutSignature(LINK)).toBe('https://storage.example.net/blobs/abc/package.zip');
	});
});

describe('SessionGate', () => {
	it('admits up to its capacity, then each next one in order as places are given back', async () => {
		const gate = new SessionGate(2);
		const order: number[] = [];
		const first = await gate.enter();
		const second = await gate.enter();
		const third = gate.enter().then((leave) => (order.push(3), leave));
		const fourth = gate.enter().then((leave) => (order.push(4), leave));
		await new Promise((resolve) => setImmediate(resolve));
		expect(order).toEqual([]);
		first();
		first(); // giving back twice frees one place only
		await new Promise((resolve) => setImmediate(resolve));
		expect(order).toEqual([3]);
		expect(gate.inUse).toBe(2);
		second();
		(await fourth)();
		(await third)();
		expect(gate.inUse).toBe(0);
	});

	it('a stopped execution leaves the queue', async () => {
		const gate = new SessionGate(1);
		const leave = await gate.enter();
		const controller = new AbortController();
		const waiting = gate.enter(controller.signal);
		controller.abort();
		await expect(waiting).rejects.toThrow(/stopped/);
		leave();
		expect(gate.inUse).toBe(0);
	});
});
