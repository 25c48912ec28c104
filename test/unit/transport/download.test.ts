import { Readable } from 'node:stream';

import type { IHttpRequestOptions } from 'n8n-workflow';

import { downloadSignedLink, withoutSignature, type DownloadBody } from '../../../nodes/Microsoft365Defender/transport/download';
import { MAX_DOWNLOADS_IN_FLIGHT } from '../../../nodes/Microsoft365Defender/transport/downloadSlots';
import { fileNameFromDisposition, safeBaseName } from '../../../nodes/Microsoft365Defender/transport/fileName';
import { SessionGate } from '../../../nodes/Microsoft365Defender/transport/pacing/sessionGate';
import type { DefenderContext } from '../../../nodes/Microsoft365Defender/transport/types';

type Answer = { statusCode: number; headers?: Record<string, string>; body?: Buffer | Readable };

/** A node context whose httpRequest answers from a script (bodies as streams) and records what it was asked. */
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
				const body = answer.body instanceof Readable ? answer.body : Readable.from([answer.body ?? Buffer.alloc(0)]);
				return { headers: {}, ...answer, body };
			},
		},
	} as unknown as DefenderContext;
	return { context, requests };
}

const download = { what: 'the package', itemIndex: 0, renewHint: 'Run it again.', limit: { maxBytes: 1000, setting: 'Request Options → Maximum Download Size (MB)' } };
const LINK = 'https://storage.example.net/blobs/abc/package.zip?se=2030-01-01&sig=SECRET';

async function readAll(body: DownloadBody) {
	const chunks: Uint8Array[] = [];
	for await (const chunk of body.stream) chunks.push(chunk as Uint8Array);
	return { data: Buffer.concat(chunks), contentType: body.contentType, fileName: body.fileName, bytes: body.bytesRead() };
}

/** A body that sends `bytes` in 100-byte chunks and counts how many it was asked for. */
function countedBody(bytes: number) {
	const state = { produced: 0, destroyed: false };
	const stream = new Readable({
		read() {
			if (state.produced >= bytes) return void this.push(null);
			state.produced += 100;
			this.push(Buffer.alloc(100, 1));
		},
		destroy(error, done) {
			state.destroyed = true;
			done(error);
		},
	});
	return { stream, state };
}

describe('downloadSignedLink', () => {
	it('sends no credential: no Authorization header, no redirects followed by the HTTP client, the cancel signal attached, the body streamed', async () => {
		const execution = new AbortController();
		const { context, requests } = contextAnswering([{ statusCode: 200, headers: { 'content-type': 'application/zip', 'content-disposition': 'attachment; filename="p.zip"' }, body: Buffer.from('PK') }], execution.signal);
		let abortedWhileReading: boolean | undefined;
		const file = await downloadSignedLink.call(context, LINK, download, async (body) => {
			abortedWhileReading = requests[0].abortSignal?.aborted;
			return await readAll(body);
		});
		expect(file).toEqual({ data: Buffer.from('PK'), contentType: 'application/zip', fileName: 'p.zip', bytes: 2 });
		expect(abortedWhileReading).toBe(false);
		expect(requests).toHaveLength(1);
		expect(Object.keys(requests[0].headers ?? {}).map((name) => name.toLowerCase())).toEqual(['accept']);
		expect(requests[0]).toMatchObject({ method: 'GET', url: LINK, encoding: 'stream', disableFollowRedirect: true, sendCredentialsOnCrossOriginRedirect: false });
	});

	it('fetches only https links, and follows a redirect only to https', async () => {
		const plain = contextAnswering([]);
		await expect(downloadSignedLink.call(plain.context, 'http://storage.example.net/x?sig=SECRET', download, readAll)).rejects.toThrow(/is not an https URL \(http:\/\/storage\.example\.net\/x\)/);
		expect(plain.requests).toHaveLength(0);

		const downgraded = contextAnswering([{ statusCode: 302, headers: { location: 'http://elsewhere.example.com/x?sig=S' } }]);
		await expect(downloadSignedLink.call(downgraded.context, LINK, download, readAll)).rejects.toThrow(/redirect to http:\/\/elsewhere\.example\.com\/x; it was not followed/);
		expect(downgraded.requests).toHaveLength(1);

		const moved = contextAnswering([{ statusCode: 307, headers: { location: 'https://mirror.example.net/y' } }, { statusCode: 200, body: Buffer.from('ok') }]);
		expect(((await downloadSignedLink.call(moved.context, LINK, download, readAll)) as { data: Buffer }).data.toString()).toBe('ok');
		expect(moved.requests.map((request) => request.url)).toEqual([LINK, 'https://mirror.example.net/y']);
		expect(moved.requests.every((request) => !Object.keys(request.headers ?? {}).some((name) => name.toLowerCase() === 'authorization'))).toBe(true);
	});

	it('names the storage error code of an expired link, and keeps the signature out of the message', async () => {
		const { context } = contextAnswering([{ statusCode: 403, body: Buffer.from('<?xml version="1.0"?><Error><Code>AuthenticationFailed</Code></Error>') }]);
		const error = await downloadSignedLink.call(context, LINK, download, readAll).catch((caught: Error) => caught);
		expect(error).toMatchObject({ message: 'AuthenticationFailed: the storage host refused the download of the package (403).' });
		expect(JSON.stringify(error)).not.toContain('SECRET');
		expect(withoutSignature(LINK)).toBe('https://storage.example.net/blobs/abc/package.zip');
	});

	it('refuses a body whose Content-Length passes the limit without reading it, and stops one that passes it while read', async () => {
		const announced = countedBody(5000);
		const early = contextAnswering([{ statusCode: 200, headers: { 'content-length': '5000' }, body: announced.stream }]);
		const consume = jest.fn(readAll);
		const refused = (await downloadSignedLink.call(early.context, LINK, download, consume).catch((caught: Error) => caught)) as Error;
		expect(refused.message).toMatch(/^The storage host announced 5000 bytes for the package, which was not downloaded: more than the Maximum Download Size of 1000 bytes\. Nothing was kept\.$/);
		expect(refused).toMatchObject({ description: expect.stringContaining('Request Options → Maximum Download Size (MB)') });
		expect(consume).not.toHaveBeenCalled();
		expect(announced.state).toEqual({ produced: 0, destroyed: true });

		const unannounced = countedBody(1_000_000);
		const counted = contextAnswering([{ statusCode: 200, body: unannounced.stream }]);
		const stopped = (await downloadSignedLink.call(counted.context, LINK, download, readAll).catch((caught: Error) => caught)) as Error;
		expect(stopped.message).toMatch(/^The package passed 1000 bytes while downloading \(counted after decompression\) and was stopped: more than the Maximum Download Size/);
		expect(unannounced.state.destroyed).toBe(true);
		// What the stream buffers ahead (16 KiB), not the million bytes offered.
		expect(unannounced.state.produced).toBeLessThan(50_000);
	});

	it(`runs at most ${MAX_DOWNLOADS_IN_FLIGHT} downloads at once in the process; the next one starts when one ends`, async () => {
		const bodies = Array.from({ length: MAX_DOWNLOADS_IN_FLIGHT + 2 }, () => new Readable({ read() {} }));
		const { context, requests } = contextAnswering(bodies.map((body) => ({ statusCode: 200, body })));
		const downloads = bodies.map(() => downloadSignedLink.call(context, LINK, download, readAll));
		await new Promise((resolve) => setImmediate(resolve));
		expect(requests).toHaveLength(MAX_DOWNLOADS_IN_FLIGHT);
		bodies[0].push(null);
		await downloads[0];
		await new Promise((resolve) => setImmediate(resolve));
		expect(requests).toHaveLength(MAX_DOWNLOADS_IN_FLIGHT + 1);
		for (const body of bodies.slice(1)) body.push(null);
		await Promise.all(downloads);
		expect(requests).toHaveLength(MAX_DOWNLOADS_IN_FLIGHT + 2);
	});

	it('a stop while the body is read destroys the stream and fails the read', async () => {
		const controller = new AbortController();
		const endless = countedBody(Number.MAX_SAFE_INTEGER);
		const { context, requests } = contextAnswering([{ statusCode: 200, body: endless.stream }], controller.signal);
		const big = { ...download, limit: { ...download.limit, maxBytes: Number.MAX_SAFE_INTEGER } };
		const reading = downloadSignedLink.call(context, LINK, big, async (body) => {
			for await (const chunk of body.stream) if ((chunk as Buffer).length > 0 && body.bytesRead() >= 1000) controller.abort();
			return 'finished';
		});
		await expect(reading).rejects.toThrow('The execution was stopped while the package was downloading; nothing was kept.');
		expect(endless.state.destroyed).toBe(true);
		// The request's own signal follows the execution's: the HTTP client closes the connection.
		expect(requests[0].abortSignal?.aborted).toBe(true);
	});
});

describe('file names from outside', () => {
	it.each([
		['attachment; filename="../../.n8n/config"', 'config'],
		['attachment; filename="..\\..\\Windows\\evil.dll"', 'evil.dll'],
		["attachment; filename*=UTF-8''..%2F..%2Fetc%2Fpasswd", 'passwd'],
		["attachment; filename*=UTF-8''report%0D%0A.zip", 'report.zip'],
		['attachment; filename="invoice\u202Efdp.exe"', 'invoicefdp.exe'],
		['attachment; filename=".."', undefined],
		['attachment; filename="C:evil.exe"', 'evil.exe'],
		['attachment; filename="WDATP_Investigation_Package.zip"', 'WDATP_Investigation_Package.zip'],
	])('%s -> %s', (disposition, expected) => {
		expect(fileNameFromDisposition(disposition)).toBe(expected);
	});

	it('a device path becomes its base name; nothing usable becomes undefined; long names keep their end', () => {
		expect(safeBaseName('C:\\Windows\\Temp\\evidence.log')).toBe('evidence.log');
		expect(safeBaseName('C:\\')).toBeUndefined();
		expect(safeBaseName('\u0000\u0001')).toBeUndefined();
		const long = safeBaseName(`${'a'.repeat(300)}.zip`) ?? '';
		expect(long).toHaveLength(255);
		expect(long.endsWith('.zip')).toBe(true);
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
