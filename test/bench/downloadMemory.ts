/**
 * Peak memory of a large investigation package download (issue 20, point 3).
 *
 *   NODE_EXTRA_CA_CERTS=.emulator/tls/cert.pem node --expose-gc --import tsx test/bench/downloadMemory.ts [--mb 1024] [--mode filesystem|default]
 *
 * Runs Machine Action → Download Investigation Package through n8n-core's execution engine
 * (test/integration/harness.ts) against the emulator, whose storage host generates a package of
 * --mb MiB as it sends it (test/emulator/storage/largeBodies.ts). n8n's binary data is in
 * --mode (filesystem by default, as n8n 2.x runs; "default" is n8n's in-memory mode, which holds
 * every file whole and cannot keep a large one off the heap). The emulator runs in the same
 * process, so its side of the connection is counted too.
 *
 * Baseline: RSS after a warm-up download of 1 MiB in the same run (modules loaded, TLS set up,
 * garbage collected). Prints the peak RSS growth over that baseline while the large package
 * downloads, sampled every 20 ms, and its ratio to the package size; then checks the stored
 * file's size and SHA-256 against what the storage host sent.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import Module from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';

const argument = (name: string, fallback: string) => {
	const index = process.argv.indexOf(`--${name}`);
	return index >= 0 ? process.argv[index + 1] : fallback;
};
const SIZE_MB = Number(argument('mb', '1024'));
const MODE = argument('mode', 'filesystem');
const storagePath = mkdtempSync(path.join(tmpdir(), 'defender-bench-binary-'));
process.env.N8N_DEFAULT_BINARY_DATA_MODE = MODE;
process.env.N8N_BINARY_DATA_STORAGE_PATH = storagePath;

// Run through tsx, `./Microsoft365Defender.node` would resolve to the node's codex file
// (Microsoft365Defender.node.json, which Node's resolver tries before .ts); point it at the source.
const moduleResolver = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
const resolveFilename = moduleResolver._resolveFilename;
moduleResolver._resolveFilename = function (request: string, ...rest: unknown[]) {
	return resolveFilename.call(this, /Microsoft365Defender(Trigger)?\.node$/.test(request) ? `${request}.ts` : request, ...rest);
};

const MB = 1024 * 1024;
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const rss = () => process.memoryUsage().rss;
const inMb = (bytes: number) => `${(bytes / MB).toFixed(1)} MB`;

async function main(): Promise<void> {
	const { Container } = await import('@n8n/di');
	const { BinaryDataService } = await import('n8n-core');
	const { startEmulator } = await import('../emulator');
	const { generatedSha256 } = await import('../emulator/storage/largeBodies');
	const { credentialsFor } = await import('../integration/context');
	const { byId, runNode } = await import('../integration/harness');

	const binaryData = Container.get(BinaryDataService);
	if (MODE !== 'default') await binaryData.init();
	const emulator = await startEmulator();
	const credentials = { full: credentialsFor(emulator, emulator.apps.full) };
	emulator.mde.setMachineActionBehaviour({ pendingMs: 0, inProgressMs: 0, outcome: 'Succeeded' });
	const machine = emulator.store.machines.find((candidate) => candidate.osPlatform.startsWith('Windows'));
	if (!machine) throw new Error('The emulator has no Windows device');

	const download = async (bytes: number) => {
		const started = await runNode({ resource: 'responseAction', operation: 'collectInvestigationPackage', deviceId: byId(machine.id), comment: 'bench' }, { credentials });
		const actionId = String(started.items[0].json.id);
		emulator.mde.setMachineActionStatus(actionId, 'Succeeded');
		emulator.serveLargeBodies({ kind: 'generated', bytes });
		const result = await runNode(
			{ resource: 'machineAction', operation: 'downloadPackage', machineActionId: byId(actionId), requestOptions: { maxDownloadSizeMb: Math.max(2048, SIZE_MB) } },
			{ credentials },
		);
		if (result.error) throw result.error;
		return result.items[0].binary?.data;
	};

	await download(MB);
	gc();
	await new Promise((resolve) => setTimeout(resolve, 500));
	gc();
	const baseline = rss();
	let peak = baseline;
	const sampler = setInterval(() => (peak = Math.max(peak, rss())), 20);
	const startedAt = Date.now();
	const binary = await download(SIZE_MB * MB);
	const seconds = (Date.now() - startedAt) / 1000;
	clearInterval(sampler);
	peak = Math.max(peak, rss());

	if (!binary) throw new Error('No binary data in the output item');
	const hash = createHash('sha256');
	let stored = 0;
	const stream = binary.id ? await binaryData.getAsStream(binary.id) : null;
	if (stream) {
		for await (const chunk of stream) {
			stored += (chunk as Uint8Array).length;
			hash.update(chunk as Uint8Array);
		}
	} else {
		const bytes = Buffer.from(binary.data, 'base64');
		stored = bytes.length;
		hash.update(new Uint8Array(bytes));
	}
	const intact = stored === SIZE_MB * MB && hash.digest('hex') === (await generatedSha256(SIZE_MB * MB));

	process.stdout.write(
		[
			`binary data mode: ${MODE}${binary.id ? ` (stored as ${binary.id.split(':')[0]})` : ' (held in the item)'}`,
			`package: ${SIZE_MB} MiB in ${seconds.toFixed(1)} s; stored ${stored} bytes, ${intact ? 'size and SHA-256 match what was sent' : 'DOES NOT MATCH what was sent'}`,
			`RSS baseline (after a 1 MiB warm-up download): ${inMb(baseline)}`,
			`RSS peak during the download: ${inMb(peak)}`,
			`peak RSS growth: ${inMb(peak - baseline)} (${((peak - baseline) / (SIZE_MB * MB)).toFixed(3)} of the package size)`,
			'',
		].join('\n'),
	);
	await emulator.close();
	rmSync(storagePath, { recursive: true, force: true });
	if (!intact) process.exitCode = 1;
}

main().catch((error: unknown) => {
	process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
	rmSync(storagePath, { recursive: true, force: true });
	process.exit(1);
});
