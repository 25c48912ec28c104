import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { filtersCollection } from '../../descriptions/common';
import { MACHINE_ACTION_STATUSES, MACHINE_ACTION_TYPES } from '../../descriptions/mde';
import { allOf, anyOf, odataDateTime, odataString } from '../../transport/odata';
import { validateMachineId } from '../../transport/validation';
import { listOf, listFiltered, returnAllOrLimitFor, showFor } from '../defenderForEndpoint';

export const description = showFor('machineAction', 'getAll', [
	...returnAllOrLimitFor(),
	filtersCollection([
		{ displayName: 'Created After', name: 'createdAfter', type: 'dateTime', default: '' },
		{ displayName: 'Device ID', name: 'machineId', type: 'string', default: '', placeholder: '1e5bc9d7e413ddd7902c2932e418702b84d0cc07', description: 'Only actions on this device' },
		{ displayName: 'Requestor', name: 'requestor', type: 'string', default: '', placeholder: 'analyst@contoso.com', description: 'Who requested the action (user or app name)' },
		{ displayName: 'Status', name: 'status', type: 'multiOptions', options: MACHINE_ACTION_STATUSES, default: [] },
		{ displayName: 'Type', name: 'type', type: 'multiOptions', options: MACHINE_ACTION_TYPES, default: [] },
	]),
]);

export function machineActionFilter(filters: IDataObject): string | undefined {
	const text = (name: string) => String(filters[name] ?? '').trim();
	return allOf([
		text('machineId') ? `machineId eq ${odataString(validateMachineId(text('machineId'), 'Device ID'))}` : undefined,
		anyOf('type', listOf(filters.type)),
		anyOf('status', listOf(filters.status)),
		text('requestor') ? `requestor eq ${odataString(text('requestor'))}` : undefined,
		filters.createdAfter ? `creationDateTimeUtc gt ${odataDateTime('Created After', filters.createdAfter)}` : undefined,
	]);
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	return await listFiltered.call(this, itemIndex, { path: '/api/machineactions', permission: 'Machine.Read.All', filter: machineActionFilter });
}
