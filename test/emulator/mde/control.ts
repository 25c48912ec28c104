import type { Clock } from '../runtime';
import type { Store } from '../store/store';
import { serializeIndicator } from './indicators';
import { createLiveResponseControl } from './liveResponse';
import type { LiveResponseControl } from './liveResponse';
import { serializeMachineAction, setMachineActionStatus } from './machineActions';
import type { CancelRequestRecord, IndicatorRecord, MachineActionBehaviour, MachineActionStatus } from './state';
import { cancelRequests, indicators, machineActions, settings } from './state';

/** What tests (and the admin routes) can do to the Defender for Endpoint side of the emulator. */
export interface MdeControl extends LiveResponseControl {
	/** How new machine actions move on the emulator clock; null for a stage = stays there until setMachineActionStatus. */
	setMachineActionBehaviour(behaviour: Partial<MachineActionBehaviour>): MachineActionBehaviour;
	/** Moves an action to a status now, as if the device had reported it. */
	setMachineActionStatus(id: string, status: MachineActionStatus): Record<string, unknown>;
	/** Machine actions as the API serves them now, newest first. */
	machineActions(): Array<Record<string, unknown>>;
	/** Every call to the machine action cancel route, oldest first, accepted or refused. */
	cancelRequests(): CancelRequestRecord[];
	indicators(): Array<Record<string, unknown>>;
	/** Adds indicators directly (not through the API), e.g. to fill a tenant up to its cap. */
	addIndicators(count: number, template?: Partial<IndicatorRecord>): void;
	setLimits(limits: { maxActiveIndicators?: number; maxImportBatch?: number }): void;
}

export function createMdeControl(store: Store, clock: Clock): MdeControl {
	return {
		...createLiveResponseControl(store),
		setMachineActionBehaviour(behaviour) {
			const current = settings(store).machineActions;
			Object.assign(current, behaviour);
			return { ...current };
		},
		setMachineActionStatus(id, status) {
			const now = clock.nowMs();
			return serializeMachineAction(setMachineActionStatus(machineActions(store), id, status, now), now);
		},
		machineActions() {
			const now = clock.nowMs();
			return machineActions(store)
				.map((record) => serializeMachineAction(record, now))
				.reverse();
		},
		cancelRequests() {
			return cancelRequests(store).map((entry) => ({ ...entry }));
		},
		indicators() {
			return indicators(store).map(serializeIndicator);
		},
		addIndicators(count, template = {}) {
			const state = settings(store);
			const list = indicators(store);
			const now = new Date(clock.nowMs()).toISOString();
			for (let index = 0; index < count; index++) {
				const id = String(state.nextIndicatorId++);
				list.push({
					id,
					indicatorValue: `seeded-${id}.example.com`,
					indicatorType: 'DomainName',
					action: 'Block',
					application: null,
					source: 'Emulator',
					sourceType: 'User',
					createdBy: 'emulator@contoso.com',
					createdByDisplayName: 'Emulator',
					createdBySource: 'Portal',
					title: `Seeded indicator ${id}`,
					description: 'Added by the emulator',
					recommendedActions: null,
					severity: 'Informational',
					expirationTime: null,
					generateAlert: false,
					rbacGroupNames: [],
					rbacGroupIds: [],
					educateUrl: null,
					externalId: null,
					creationTimeDateTimeUtc: now,
					lastUpdateTime: now,
					lastUpdatedBy: null,
					mitreTechniques: [],
					...template,
				});
			}
		},
		setLimits(limits) {
			const state = settings(store);
			if (limits.maxActiveIndicators !== undefined) state.maxActiveIndicators = limits.maxActiveIndicators;
			if (limits.maxImportBatch !== undefined) state.maxImportBatch = limits.maxImportBatch;
		},
	};
}
