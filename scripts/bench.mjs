#!/usr/bin/env node
/**
 * npm run bench [-- --latency 50 --modes lifted,limits --jobs list,get,update,isolate,hunting]
 * npm run bench -- --queue [--executions 3 --gets 200]   (queue mode: test/e2e/queue-bench.ts)
 *
 * Runs the same jobs in a real n8n (2.40.7) with this package's node and with n8n's own HTTP
 * Request node (generic OAuth2 client-credentials credential, paginating as a user would set it
 * up), against the Defender emulator with injected latency: once with the limits lifted, once with
 * Microsoft's documented limits. Prints a table per mode, with our/their ratios measured in the
 * same run, and writes it to bench-results/latest.md.
 *
 * Every job's input ids come from the emulator's admin API through an HTTP Request node, so the
 * node being measured starts with a full rate budget; its time is the node's own executionTime
 * from n8n's run data.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

const require = createRequire(import.meta.url);
const host = require('./lib/n8n-host.cjs');
const emulatorLib = require('./lib/emulator.cjs');
const { ensureDependencies } = require('./lib/steps.cjs');

const options = parseArgs(process.argv.slice(2));
const JOBS = {
	list: { title: 'list all incidents', count: null },
	get: { title: 'get 500 incidents', count: 500 },
	update: { title: 'update 500 alerts', count: 500 },
	isolate: { title: 'isolate 300 devices', count: 300 },
	hunting: { title: 'hunting 100,000 rows', count: 100_000 },
};
const LIMITS_PER_MINUTE = { get: 150, update: 150, isolate: 100, list: 150, hunting: 45 };

function parseArgs(argv) {
	const parsed = { latency: 50, modes: ['lifted', 'limits'], jobs: Object.keys({ list: 1, get: 1, update: 1, isolate: 1, hunting: 1 }) };
	for (let index = 0; index < argv.length; index++) {
		const [name, value] = [argv[index], argv[index + 1]];
		if (name === '--latency') parsed.latency = Number(value);
		else if (name === '--modes') parsed.modes = value.split(',');
		else if (name === '--jobs') parsed.jobs = value.split(',');
		else continue;
		index++;
	}
	return parsed;
}

const log = (message) => process.stdout.write(`[bench] ${message}\n`);

function credentialsFor(info, rateLimits) {
	const app = info.apps.full;
	return [
		{
			id: 'bench-defender',
			name: 'Defender (bench)',
			type: 'microsoft365DefenderApi',
			data: {
				environment: 'custom',
				loginHost: info.loginHost,
				graphUrl: info.graphUrl,
				mdeUrl: info.mdeUrl,
				tenantId: info.tenantId,
				clientId: app.clientId,
				authentication: 'clientSecret',
				clientSecret: app.clientSecret,
				rateLimits,
			},
		},
		...['graph', 'mde'].map((api) => ({
			id: `bench-oauth-${api}`,
			name: `OAuth2 client credentials (${api})`,
			type: 'oAuth2Api',
			data: {
				grantType: 'clientCredentials',
				accessTokenUrl: `${info.loginUrl}/${info.tenantId}/oauth2/v2.0/token`,
				clientId: app.clientId,
				clientSecret: app.clientSecret,
				scope: `${api === 'graph' ? info.graphUrl : info.mdeUrl}/.default`,
				authentication: 'body',
				authUrl: '',
				authQueryParameters: '',
			},
		})),
	];
}

const manualTrigger = { id: 'trigger', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} };

function idsNode(info, kind, limit) {
	return {
		id: 'ids',
		name: 'Ids',
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		position: [200, 0],
		parameters: { url: `${info.loginUrl}/_emulator/ids/${kind}?limit=${limit}`, options: {} },
	};
}

function ourNode(parameters) {
	return {
		id: 'job',
		name: 'Job',
		type: 'n8n-nodes-microsoft-365-defender.microsoft365Defender',
		typeVersion: 1,
		position: [400, 0],
		parameters,
		credentials: { microsoft365DefenderApi: { id: 'bench-defender', name: 'Defender (bench)' } },
		onError: 'continueRegularOutput',
	};
}

function httpNode(api, parameters) {
	return {
		id: 'job',
		name: 'Job',
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		position: [400, 0],
		parameters: { authentication: 'genericCredentialType', genericAuthType: 'oAuth2Api', ...parameters },
		credentials: { oAuth2Api: { id: `bench-oauth-${api}`, name: `OAuth2 client credentials (${api})` } },
		onError: 'continueRegularOutput',
	};
}

const jsonBody = (body) => ({ sendBody: true, specifyBody: 'json', jsonBody: JSON.stringify(body) });

/** For each job: the workflow for our node and for the HTTP Request node. */
function jobWorkflows(job, info) {
	const rl = (value) => ({ __rl: true, mode: 'id', value });
	switch (job) {
		case 'list':
			return {
				ours: [ourNode({ resource: 'incident', operation: 'getAll', returnAll: true })],
				theirs: [
					httpNode('graph', {
						url: `${info.graphUrl}/v1.0/security/incidents?$top=50`,
						options: {
							pagination: {
								pagination: {
									paginationMode: 'responseContainsNextURL',
									nextURL: '={{ $response.body["@odata.nextLink"] }}',
									paginationCompleteWhen: 'other',
									completeExpression: '={{ !$response.body["@odata.nextLink"] }}',
								},
							},
						},
					}),
				],
			};
		case 'get':
			return {
				upstream: idsNode(info, 'incidents', 500),
				ours: [ourNode({ resource: 'incident', operation: 'get', incidentId: rl('={{ $json.id }}') })],
				theirs: [httpNode('graph', { url: `=${info.graphUrl}/v1.0/security/incidents/{{ $json.id }}`, options: {} })],
			};
		case 'update':
			return {
				upstream: idsNode(info, 'alerts', 500),
				ours: [ourNode({ resource: 'alert', operation: 'update', alertId: rl('={{ $json.id }}'), updateFields: { status: 'inProgress' } })],
				theirs: [
					httpNode('graph', {
						method: 'PATCH',
						url: `=${info.graphUrl}/v1.0/security/alerts_v2/{{ $json.id }}`,
						...jsonBody({ status: 'inProgress' }),
						options: {},
					}),
				],
			};
		case 'isolate':
			return {
				upstream: idsNode(info, 'machines', 300),
				ours: [
					ourNode({
						resource: 'responseAction',
						operation: 'isolate',
						deviceId: rl('={{ $json.id }}'),
						comment: 'bench',
						isolationType: 'Full',
					}),
				],
				theirs: [
					httpNode('mde', {
						method: 'POST',
						url: `=${info.mdeUrl}/api/machines/{{ $json.id }}/isolate`,
						...jsonBody({ Comment: 'bench', IsolationType: 'Full' }),
						options: {},
					}),
				],
			};
		case 'hunting': {
			// A long-running n8n has its token, warm code paths and its task runner up. `n8n execute`
			// starts a fresh n8n that boots its JavaScript task runner in its first seconds, taking one
			// of this machine's two cores; a one-row query then a Wait node give each side (and the
			// bare client) that state before the measured query.
			const query = (rows) => `EmulatorRows | take ${rows}`;
			const ours = (rows, name) => ({ ...ourNode({ resource: 'advancedHunting', operation: 'runQuery', query: query(rows), output: 'rows' }), name, id: name });
			const theirs = (rows, name) => ({
				...httpNode('graph', { method: 'POST', url: `${info.graphUrl}/v1.0/security/runHuntingQuery`, ...jsonBody({ Query: query(rows) }), options: {} }),
				name,
				id: name,
			});
			const settle = { id: 'settle', name: 'Settle', type: 'n8n-nodes-base.wait', typeVersion: 1.1, position: [300, 0], parameters: { amount: 4, unit: 'seconds' } };
			return {
				ours: [ours(1, 'Warm-up'), settle, ours(100_000, 'Job')],
				theirs: [theirs(1, 'Warm-up'), settle, theirs(100_000, 'Job')],
			};
		}
		default:
			throw new Error(`Unknown job ${job}`);
	}
}

function workflow(id, upstream, jobNodes) {
	const nodes = [manualTrigger, ...(upstream ? [upstream] : []), ...jobNodes];
	const connections = {};
	for (let index = 0; index < nodes.length - 1; index++) {
		connections[nodes[index].name] = { main: [[{ node: nodes[index + 1].name, type: 'main', index: 0 }]] };
	}
	return { id, name: id, active: false, nodes, connections, settings: { executionOrder: 'v1' } };
}

/** Runs `n8n execute` and samples the process's peak resident memory (VmHWM) while it runs. */
function executeWithMemory(workflowId, env, outFile) {
	return new Promise((resolve, reject) => {
		const out = fs.openSync(outFile, 'w');
		const child = spawn(host.nodeBinary(), [host.n8nBin(), 'execute', `--id=${workflowId}`, '--rawOutput'], {
			env,
			cwd: env.N8N_USER_FOLDER,
			stdio: ['ignore', out, 'pipe'],
		});
		let peakKb = 0;
		let stderr = '';
		child.stderr.on('data', (chunk) => (stderr += chunk));
		const sampler = setInterval(() => {
			try {
				const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
				const match = /VmHWM:\s+(\d+) kB/.exec(status);
				if (match) peakKb = Math.max(peakKb, Number(match[1]));
			} catch {
				// The process has just exited.
			}
		}, 100);
		child.on('error', reject);
		child.on('close', (code) => {
			clearInterval(sampler);
			fs.closeSync(out);
			resolve({ code, peakMb: Math.round(peakKb / 1024), stderr });
		});
	});
}

async function adminRequest(info, method, route, body) {
	const response = await emulatorLib.request(`${info.loginUrl}${route}`, { method, body, ca: fs.readFileSync(info.caCertPath) });
	if (response.status >= 400) throw new Error(`${method} ${route} answered ${response.status}: ${response.text}`);
	return response.json;
}

function jobStats(runData, requestLog, jobStartMs) {
	const job = runData.Job?.[0];
	const items = job?.data?.main?.[0] ?? [];
	const failures = items.filter((item) => item.json?.error !== undefined).length + (job?.error ? 1 : 0);
	const apiCalls = requestLog.filter((entry) => entry.api !== 'token' && !entry.viaBatch && Date.parse(entry.time) >= jobStartMs - 5);
	const tokens = requestLog.filter((entry) => entry.api === 'token');
	return {
		timeMs: job?.executionTime ?? NaN,
		calls: apiCalls.length,
		tokenRequests: tokens.length,
		itemsOut: items.length,
		failures,
		early: apiCalls.filter((entry) => entry.early).length + requestLog.filter((entry) => entry.viaBatch && entry.early).length,
		throttled: apiCalls.filter((entry) => entry.status === 429).length,
		error: job?.error?.message,
	};
}

/** Time a bare client needs for the same hunting response (after the same one-row warm-up): one HTTPS request and JSON.parse, in Node 24. */
async function bareHuntingBaseline(info) {
	const script = `
		const https = require('node:https');
		const [token, url] = process.argv.slice(1);
		const run = (rows) => new Promise((resolve) => {
			const started = process.hrtime.bigint();
			const request = https.request(url, { method: 'POST', headers: { Authorization: 'Bearer ' + token, 'Content-Type': 'application/json' } }, (response) => {
				const chunks = [];
				response.on('data', (chunk) => chunks.push(chunk));
				response.on('end', () => {
					const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
					resolve({ ms: Number(process.hrtime.bigint() - started) / 1e6, rows: parsed.results.length });
				});
			});
			request.end(JSON.stringify({ Query: 'EmulatorRows | take ' + rows }));
		});
		run(1).then(() => run(100000)).then((result) => {
			console.log(JSON.stringify({ ...result, rssMb: Math.round(process.memoryUsage().rss / 1048576) }));
		});`;
	const token = await fetchToken(info, info.graphUrl);
	return await new Promise((resolve, reject) => {
		const child = spawn(host.nodeBinary(), ['-e', script, token, `${info.graphUrl}/v1.0/security/runHuntingQuery`], {
			env: { ...process.env, NODE_EXTRA_CA_CERTS: info.caCertPath },
		});
		let stdout = '';
		child.stdout.on('data', (chunk) => (stdout += chunk));
		child.on('error', reject);
		child.on('close', () => resolve(JSON.parse(stdout.trim())));
	});
}

function fetchToken(info, resource) {
	const app = info.apps.full;
	const form = new URLSearchParams({ client_id: app.clientId, client_secret: app.clientSecret, grant_type: 'client_credentials', scope: `${resource}/.default` }).toString();
	return new Promise((resolve, reject) => {
		const request = https.request(
			`${info.loginUrl}/${info.tenantId}/oauth2/v2.0/token`,
			{ method: 'POST', ca: fs.readFileSync(info.caCertPath), headers: { 'Content-Type': 'application/x-www-form-urlencoded' } },
			(response) => {
				let text = '';
				response.on('data', (chunk) => (text += chunk));
				response.on('end', () => resolve(JSON.parse(text).access_token));
			},
		);
		request.on('error', reject);
		request.end(form);
	});
}

/** The least time Microsoft's rolling per-minute window allows for `calls` calls. */
function allowedSeconds(calls, perMinute) {
	return calls <= perMinute ? 0 : Math.floor((calls - 1) / perMinute) * 60;
}

async function runMode(mode, userFolder, info) {
	const env = host.n8nEnv(userFolder, { caCertPath: info.caCertPath, N8N_LOG_LEVEL: 'info' });
	await host.importJson('credentials', credentialsFor(info, mode === 'limits' ? 'documented' : 'off'), env);
	const rows = [];
	for (const job of options.jobs) {
		const definitions = jobWorkflows(job, info);
		const result = { job, title: JOBS[job].title };
		for (const side of ['ours', 'theirs']) {
			const id = `bench-${mode}-${job}-${side}`;
			await host.importJson('workflow', [workflow(id, definitions.upstream, definitions[side])], env);
			await adminRequest(info, 'POST', '/_emulator/reset');
			if (mode === 'limits') {
				for (const [bucket, limitPerMinute, limitPerHour] of [
					['graph', 150, null],
					['hunting', 45, null],
					['mde', 100, 1500],
				]) {
					await adminRequest(info, 'PUT', '/_emulator/throttle', { api: bucket, limitPerMinute, limitPerHour });
				}
			}
			log(`${mode}: ${JOBS[job].title}, ${side === 'ours' ? 'our node' : 'HTTP Request node'}`);
			const outFile = path.join(userFolder, `${id}.json`);
			const run = await executeWithMemory(id, env, outFile);
			const output = host.parseExecuteOutput(fs.readFileSync(outFile, 'utf8'));
			const runData = output?.data?.resultData?.runData ?? {};
			const startTime = runData.Job?.[0]?.startTime ?? 0;
			const { value: requestLog } = await adminRequest(info, 'GET', '/_emulator/requests');
			result[side] = { ...jobStats(runData, requestLog, startTime), peakMb: run.peakMb };
			if (!output) result[side].error = `n8n exit ${run.code}: ${run.stderr.slice(-300)}`;
			log(`  ${JSON.stringify(result[side])}`);
		}
		if (job === 'hunting') result.bare = await bareHuntingBaseline(info);
		rows.push(result);
	}
	return rows;
}

function formatTable(mode, rows) {
	const lines = [
		`### ${mode === 'lifted' ? 'Limits lifted' : "Microsoft's documented limits"} (latency ${options.latency} ms)`,
		'',
		'| job | node | calls | token requests | time (s) | items out | failures | calls before Retry-After | 429s | peak memory (MB) |',
		'|---|---|---|---|---|---|---|---|---|---|',
	];
	const ratios = [];
	for (const row of rows) {
		for (const side of ['ours', 'theirs']) {
			const stats = row[side];
			lines.push(
				`| ${row.title} | ${side === 'ours' ? 'Microsoft 365 Defender' : 'HTTP Request'} | ${stats.calls} | ${stats.tokenRequests} | ${(stats.timeMs / 1000).toFixed(2)} | ${stats.itemsOut} | ${stats.failures} | ${stats.early} | ${stats.throttled} | ${stats.peakMb} |`,
			);
		}
		const ratio = [`${row.title}: ours/theirs calls ${row.ours.calls}/${row.theirs.calls}`];
		if (row.theirs.failures > 0) {
			ratio.push(`HTTP Request node: ${row.theirs.failures} of ${row.theirs.itemsOut} items failed, ours: ${row.ours.failures} of ${row.ours.itemsOut}`);
		} else {
			ratio.push(`ours/theirs time ${(row.ours.timeMs / row.theirs.timeMs).toFixed(2)} (${(row.theirs.timeMs / row.ours.timeMs).toFixed(1)}× as fast)`);
		}
		if (mode === 'limits' && LIMITS_PER_MINUTE[row.job] && JOBS[row.job].count && row.job !== 'hunting') {
			const allowed = allowedSeconds(JOBS[row.job].count, LIMITS_PER_MINUTE[row.job]);
			if (allowed > 0) ratio.push(`time / time the limit allows (${allowed} s) = ${(row.ours.timeMs / 1000 / allowed).toFixed(3)}`);
		}
		if (row.bare) {
			ratio.push(`node time / bare HTTPS + JSON.parse (${(row.bare.ms / 1000).toFixed(2)} s, ${row.bare.rssMb} MB) = ${(row.ours.timeMs / row.bare.ms).toFixed(2)}`);
		}
		ratios.push(`- ${ratio.join('; ')}`);
	}
	return [...lines, '', ...ratios, ''].join('\n');
}

/** The queue-mode benchmark lives with the queue lane it runs (TypeScript, through tsx). */
async function queueBench() {
	const args = process.argv.slice(2).filter((arg) => arg !== '--queue');
	const child = spawn(process.execPath, emulatorLib.tsxArgs(path.join('test', 'e2e', 'queue-bench.ts'), args), { stdio: 'inherit' });
	const code = await new Promise((resolve) => child.on('exit', (exitCode) => resolve(exitCode ?? 1)));
	process.exit(code);
}

async function main() {
	await ensureDependencies();
	if (process.argv.includes('--queue')) return await queueBench();
	log('Ensuring the n8n host');
	await host.ensureHost();
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'defender-bench-'));
	log(`Installing the package into ${userFolder}`);
	host.installPackage(userFolder);
	const sections = [];
	for (const mode of options.modes) {
		log(`Starting the emulator (${mode}, latency ${options.latency} ms)`);
		const emulator = await emulatorLib.startEmulator({
			latencyMs: options.latency,
			extraArgs: ['--incidents', '500', '--machines', '300'],
		});
		try {
			const rows = await runMode(mode, userFolder, emulator.info);
			sections.push(formatTable(mode, rows));
		} finally {
			await emulator.stop();
		}
	}
	const report = [`## Benchmark (${new Date().toISOString()}, n8n ${host.N8N_VERSION}, \`npm run bench\`)`, '', ...sections].join('\n');
	fs.mkdirSync('bench-results', { recursive: true });
	fs.writeFileSync(path.join('bench-results', 'latest.md'), report + '\n');
	process.stdout.write(`\n${report}\n`);
	fs.rmSync(userFolder, { recursive: true, force: true });
}

main().catch((error) => {
	process.stderr.write(`${error.stack ?? error}\n`);
	process.exit(1);
});
