import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { startEmulator } from './index';
import type { StartEmulatorOptions } from './index';

const USAGE = `Usage: npx tsx test/emulator/cli.ts [--port-base 9440] [--latency 50] [--seed 42] [--incidents 60]
       [--token-lifetime 3599] [--tls-dir .emulator/tls] [--state-file .emulator/state.json] [--strict-limits]`;

function parseArguments(argv: string[]): { options: StartEmulatorOptions; stateFile: string } {
	const options: StartEmulatorOptions = { portBase: 9440 };
	let stateFile = resolve('.emulator/state.json');
	for (let index = 0; index < argv.length; index++) {
		const flag = argv[index];
		const value = () => {
			const next = argv[++index];
			if (next === undefined) throw new Error(`${flag} needs a value\n${USAGE}`);
			return next;
		};
		const numberValue = () => {
			const parsed = Number(value());
			if (!Number.isFinite(parsed)) throw new Error(`${flag} needs a number\n${USAGE}`);
			return parsed;
		};
		switch (flag) {
			case '--port-base':
				options.portBase = numberValue();
				break;
			case '--latency':
				options.latencyMs = numberValue();
				break;
			case '--seed':
				options.seed = numberValue();
				break;
			case '--incidents':
				options.incidentCount = numberValue();
				break;
			case '--machines':
				options.machineCount = numberValue();
				break;
			case '--token-lifetime':
				options.tokenLifetimeSeconds = numberValue();
				break;
			case '--tls-dir':
				options.tlsDir = resolve(value());
				break;
			case '--state-file':
				stateFile = resolve(value());
				break;
			case '--strict-limits':
				options.strictLimits = true;
				break;
			case '--help':
			case '-h':
				process.stdout.write(`${USAGE}\n`);
				process.exit(0);
				break;
			default:
				throw new Error(`Unknown argument '${flag}'\n${USAGE}`);
		}
	}
	return { options, stateFile };
}

async function main(): Promise<void> {
	const { options, stateFile } = parseArguments(process.argv.slice(2));
	const emulator = await startEmulator(options);
	const description = { ...emulator.describe(), pid: process.pid, startedAt: new Date().toISOString() };
	mkdirSync(dirname(stateFile), { recursive: true });
	writeFileSync(stateFile, JSON.stringify(description, null, '\t'));
	process.stdout.write(`EMULATOR_READY ${JSON.stringify(description)}\n`);

	let stopping = false;
	const stop = (signal: string) => {
		if (stopping) return;
		stopping = true;
		process.stderr.write(`Defender emulator: ${signal} received, stopping\n`);
		void emulator.close().then(() => process.exit(0));
	};
	process.on('SIGINT', () => stop('SIGINT'));
	process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
	process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
	process.exit(1);
});
