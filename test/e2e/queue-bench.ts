/**
 * `npm run bench -- --queue [--executions 3] [--gets 200]`: the queue-mode budget run at full size
 * (queue-lane.ts: n8n 2.40.7 main + 2 workers, Redis, PostgreSQL, the emulator at Graph's
 * documented 150 calls a minute): 3 executions of 200 incident gets started at once, with the
 * shared budget, then the same with it switched off (N8N_DEFENDER_SHARED_RATE_BUDGET=false) as
 * the baseline. Prints a table and writes it to bench-results/queue.md.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import * as host from '../../scripts/lib/n8n-host.cjs';
import { runQueueLane, type QueueLaneRun } from './queue-lane';

const GRAPH_PER_MINUTE = 150;

function argument(name: string, fallback: number): number {
	const index = process.argv.indexOf(name);
	return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}

function row(label: string, run: QueueLaneRun, boundSeconds: number): string {
	const budget = run.budget;
	if (!budget) return `| ${label} | failed: ${(run.error ?? '').split('\n')[0]} | | | | | |`;
	const workers = new Set(budget.executions.map((execution) => execution.worker ?? '?'));
	return `| ${label} | ${budget.gets.ok}/${budget.gets.total} | ${budget.gets.throttled} | ${budget.gets.early} | ${budget.seconds.toFixed(1)} | ${(budget.seconds / boundSeconds).toFixed(3)} | ${budget.executions.map((execution) => `${execution.id}: ${execution.status} on ${execution.worker ?? '?'}`).join(', ')} (${workers.size} workers) |`;
}

async function main(): Promise<void> {
	const executions = argument('--executions', 3);
	const perExecution = argument('--gets', 200);
	await host.ensureHost();
	const root = mkdtempSync(path.join(tmpdir(), 'defender-queue-bench-'));
	try {
		const tarball = host.packPackage({ build: true, destination: path.join(root, 'pack') });
		const runs: Array<[string, QueueLaneRun]> = [];
		for (const sharedBudget of [true, false]) {
			const laneRoot = path.join(root, sharedBudget ? 'shared' : 'baseline');
			mkdirSync(laneRoot, { recursive: true });
			runs.push([sharedBudget ? 'shared budget' : 'baseline: N8N_DEFENDER_SHARED_RATE_BUDGET=false', await runQueueLane({ root: laneRoot, tarball, gets: { executions, perExecution }, sharedBudget })]);
		}
		const total = executions * perExecution;
		// What the documented limit allows: total / 150 minutes.
		const boundSeconds = (total / GRAPH_PER_MINUTE) * 60;
		const report = [
			`## Queue mode (${new Date().toISOString()}, n8n ${host.N8N_VERSION} main + 2 workers, \`npm run bench -- --queue\`)`,
			'',
			`${executions} executions of ${perExecution} incident gets started at once through the main process's webhook; emulator at Graph's documented ${GRAPH_PER_MINUTE} calls/min; the limit allows ${total} calls in ${boundSeconds} s.`,
			'',
			'| run | gets answered 200 | 429s | calls before Retry-After | time (s) | time / limit | executions |',
			'| --- | --- | --- | --- | --- | --- | --- |',
			...runs.map(([label, run]) => row(label, run, boundSeconds)),
			'',
		].join('\n');
		mkdirSync('bench-results', { recursive: true });
		writeFileSync(path.join('bench-results', 'queue.md'), report + '\n');
		process.stdout.write(`\n${report}\n`);
		if (runs.some(([, run]) => run.error)) process.exitCode = 1;
	} finally {
		rmSync(root, { recursive: true, force: true });
	}
}

main().catch((error) => {
	process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
	process.exit(1);
});
