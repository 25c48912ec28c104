import { CLOUD_APPS_SERVICES, newActivity, objectId } from '../store/cloudAppsSeed';
import { SeededRandom } from '../store/random';
import type { Store } from '../store/store';
import type { CloudAppsActivity, CloudAppsAlert, CloudAppsState } from '../store/types';

/** What tests set up in the Cloud Apps tenant beyond the seed. */
export interface CloudAppsControl {
	state(): CloudAppsState;
	/** Adds `count` open, unread alerts (copies of the first seeded one with fresh ids), each changed by `overrides`. */
	addAlerts(count: number, overrides?: Partial<Omit<CloudAppsAlert, '_id' | 'hidden'>> & { alertType?: number }): CloudAppsAlert[];
	/** Adds one activity per timestamp given, performed by the seeded user at `userIndex` (default 0). */
	addActivities(timestamps: number[], userIndex?: number): CloudAppsActivity[];
}

export function createCloudAppsControl(store: Store): CloudAppsControl {
	const random = new SeededRandom(0xc10d);
	return {
		state: () => store.cloudApps,
		addAlerts(count, overrides = {}) {
			const { alertType, ...changes } = overrides;
			const template = store.cloudApps.alerts[0];
			const added = Array.from({ length: count }, (): CloudAppsAlert => {
				const timestamp = changes.timestamp ?? template.timestamp;
				const id = objectId(random, timestamp);
				return {
					...structuredClone(template),
					resolutionStatusValue: 0,
					statusValue: 0,
					comment: '',
					handledByUser: null,
					resolveTime: null,
					...changes,
					_id: id,
					URL: template.URL.replace(template._id, id),
					hidden: { ...template.hidden, resolutionDate: null, ...(alertType === undefined ? {} : { alertType }) },
				};
			});
			store.cloudApps.alerts.push(...added);
			return added;
		},
		addActivities(timestamps, userIndex = 0) {
			const user = store.users[userIndex];
			const added = timestamps.map((time) => newActivity(random, { tenantId: store.primaryTenantId, user, time, service: CLOUD_APPS_SERVICES.sharePoint }));
			store.cloudApps.activities.push(...added);
			return added;
		},
	};
}
