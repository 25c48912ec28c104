/**
 * Cloud Apps Alert → Get for 200 alerts at Defender for Cloud Apps' documented 30 requests a
 * minute per tenant (issue 21).
 *
 *   NODE_EXTRA_CA_CERTS=.emulator/tls/cert.pem node --import tsx test/bench/cloudAppsPacing.ts [--items 200]
 *
 * Runs one Get per input item through n8n-core's execution engine (test/integration/harness.ts)
 * against the emulator with its documented limits enforced (strictLimits; Cloud Apps' 30/min in
 * test/emulator/limits.ts) and the credential's "Microsoft's Documented Limits" on. The alerts are
 * --items distinct ids added through the emulator's Cloud Apps control.
 *
 * Baseline: the time the limit allows, defined as scripts/bench.mjs defines it for the Graph and
 * MDE jobs (allowedSeconds): with a rolling per-minute window of L calls, N calls cannot finish
 * before floor((N - 1) / L) minutes have passed (0 when N <= L). Prints calls, 429s, calls made
 * inside a Retry-After window, the elapsed time and its ratio to that bound.
 */
import Module from 'node:module';

const argument = (name: string, fallback: string) => {
	const index = process.argv.indexOf(`--${name}`);
	return index >= 0 ? process.argv[index + 1] : fallback;
};
const ITEMS = Number(argument('items', '200'));
const CLOUD_APPS_PER_MINUTE = 30;

// Run through tsx, `./Microsoft365Defender.node` would resolve to the node's codex file
// (Microsoft365Defender.node.json, which Node's resolver tries before .ts); point it at the source.
const moduleResolver = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
const resolveFilename = moduleResolver._resolveFilename;
moduleResolver._resolveFilename = function (request: string, ...rest: unknown[]) {
	return resolveFilename.call(this, /Microsoft365Defender(Trigger)?\.node$/.test(request) ? `${request}.ts` : request, ...rest);
};

/** scripts/bench.mjs's allowedSeconds: the least time a rolling per-minute window allows for `calls` calls. */
const allowedSeconds = (calls: number, perMinute: number) => (calls <= perMinute ? 0 : Math.floor((calls - 1) / perMinute) * 60);

async function main(): Promise<void> {
	const { startEmulator } = await import('../emulator');
	const { credentialsFor } = await import('../integration/context');
	const { byId, runNode } = await import('../integration/harness');

	const emulator = await startEmulator({ strictLimits: true });
	const credentials = {
		full: credentialsFor(emulator, emulator.apps.full, { cloudAppsUrl: `${emulator.cloudAppsUrl}/api`, rateLimits: 'documented' }),
	};
	const ids = emulator.cloudApps.addAlerts(ITEMS).map((alert) => alert._id);
	if (new Set(ids).size !== ITEMS) throw new Error(`Expected ${ITEMS} distinct alert ids`);
	emulator.clearRequestLog();

	const startedAt = Date.now();
	const result = await runNode(
		{ resource: 'cloudAppsAlert', operation: 'get', alertId: byId('={{ $json.id }}') },
		{ credentials, input: ids.map((id) => ({ id })), continueOnFail: true },
	);
	const seconds = (Date.now() - startedAt) / 1000;
	if (result.error) throw result.error;

	const calls = emulator.requestLog({ api: 'cloudApps' });
	const got = result.items.filter((item, index) => item.json._id === ids[index]).length;
	const allowed = allowedSeconds(calls.length, CLOUD_APPS_PER_MINUTE);
	const elapsedAt = (sequence: number) => (Date.parse(calls[sequence].time) - startedAt) / 1000;
	const perMinute = Array.from({ length: Math.ceil(seconds / 60) }, (_, minute) => calls.filter((_call, index) => Math.floor(elapsedAt(index) / 60) === minute).length);

	process.stdout.write(
		[
			`items: ${ITEMS}; alerts returned with the id asked for: ${got}`,
			`calls: ${calls.length}; 429s: ${calls.filter((call) => call.status === 429).length}; calls before Retry-After: ${emulator.earlyCallCount('cloudApps')}`,
			`calls per minute since the start: ${perMinute.join(', ')}`,
			`first call at ${elapsedAt(0).toFixed(2)} s, last at ${elapsedAt(calls.length - 1).toFixed(2)} s`,
			`elapsed: ${seconds.toFixed(1)} s`,
			`time the limit allows (scripts/bench.mjs: floor((calls - 1) / ${CLOUD_APPS_PER_MINUTE}) x 60 s for a rolling ${CLOUD_APPS_PER_MINUTE}/min window): ${allowed} s`,
			`elapsed / time the limit allows = ${allowed > 0 ? (seconds / allowed).toFixed(3) : 'n/a'}`,
			'',
		].join('\n'),
	);
	await emulator.close();
	if (got !== ITEMS) process.exitCode = 1;
}

main().catch((error: unknown) => {
	process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
	process.exit(1);
});
