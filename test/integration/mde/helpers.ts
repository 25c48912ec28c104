import type { INodeExecutionData } from 'n8n-workflow';

import type { Emulator, Machine } from '../../emulator';

/** Helpers shared by the Defender for Endpoint integration tests. */

export const byName = (value: string) => ({ __rl: true, mode: 'name', value });
export const fromList = (value: string) => ({ __rl: true, mode: 'list', value });

/** The MDE API calls the emulator received (token requests excluded). */
export function mdeCalls(emulator: Emulator) {
	return emulator.requestLog({ api: 'mde' });
}

export function windowsMachine(emulator: Emulator, offset = 0): Machine {
	const machines = emulator.store.machines.filter((machine) => machine.osPlatform.startsWith('Windows'));
	return machines[offset % machines.length];
}

export function json(items: INodeExecutionData[]) {
	return items.map((item) => item.json);
}

/** Fast machine-action life cycle for tests: pending for `pendingMs`, in progress for `inProgressMs`. */
export function fastActions(emulator: Emulator, pendingMs = 0, inProgressMs = 150): void {
	emulator.mde.setMachineActionBehaviour({ pendingMs, inProgressMs, outcome: 'Succeeded' });
}

export const UNKNOWN_MACHINE = 'ffffffffffffffffffffffffffffffffffffffff';
