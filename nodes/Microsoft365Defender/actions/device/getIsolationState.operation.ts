import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { deviceLocator } from '../../descriptions/mde';
import { odataString } from '../../transport/odata';
import { mdeList, resolveDevice, showFor } from '../defenderForEndpoint';

export const description = showFor('device', 'getIsolationState', [deviceLocator]);

/** Statuses of an action still on its way to the device (machineaction.md). */
const UNDER_WAY = ['Pending', 'InProgress'];

function timeOf(action: IDataObject): number {
	return Date.parse(String(action.creationDateTimeUtc ?? '')) || 0;
}

function summary(action: IDataObject): IDataObject {
	const { id, type, status, scope, requestor, requestorComment, creationDateTimeUtc, lastUpdateDateTimeUtc } = action;
	return { id, type, status, scope, requestor, requestorComment, creationDateTimeUtc, lastUpdateDateTimeUtc };
}

/**
 * Microsoft's API has no isolation state; it follows from the device's isolate (Isolate) and
 * release (Unisolate) machine actions. The newest one that did not fail, time out or get
 * cancelled decides: still Pending or InProgress means the state is about to change.
 */
export function isolationStateOf(actions: IDataObject[]): IDataObject {
	const newestFirst = [...actions].sort((a, b) => timeOf(b) - timeOf(a));
	const deciding = newestFirst.find((action) => action.status === 'Succeeded' || UNDER_WAY.includes(String(action.status)));
	if (!deciding) return { isolationState: 'NotIsolated', pendingAction: null, isolationType: null, decidingAction: null };
	const isolate = deciding.type === 'Isolate';
	if (UNDER_WAY.includes(String(deciding.status))) {
		return { isolationState: 'Pending', pendingAction: isolate ? 'Isolate' : 'Release', isolationType: isolate ? (deciding.scope ?? null) : null, decidingAction: summary(deciding) };
	}
	return { isolationState: isolate ? 'Isolated' : 'NotIsolated', pendingAction: null, isolationType: isolate ? (deciding.scope ?? null) : null, decidingAction: summary(deciding) };
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const { id, machine } = await resolveDevice.call(this, itemIndex);
	// get-machineactions-collection.md: $filter on machineId and type, pages of at most 10,000.
	const actions = await mdeList.call(this, {
		method: 'GET',
		path: '/api/machineactions',
		query: { $filter: `machineId eq ${odataString(id)} and (type eq 'Isolate' or type eq 'Unisolate')`, $top: 10_000 },
		permission: 'Machine.Read.All',
		itemIndex,
	});
	return [{ deviceId: id, ...(machine ? { computerDnsName: machine.computerDnsName } : {}), ...isolationStateOf(actions), isolateAndReleaseActions: actions.length }];
}
