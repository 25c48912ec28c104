import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { filtersCollection } from '../../descriptions/common';
import { allOf, anyOf, odataDateTime, odataString } from '../../transport/odata';
import { validateId } from '../../transport/paths';
import { validateMachineId } from '../../transport/validation';
import { listFiltered, listOf, returnAllOrLimitFor, showFor } from '../defenderForEndpoint';
import { INVESTIGATION_ID, INVESTIGATION_STATES } from './common';

/** get-investigation-collection.md: $filter on startTime, id, state, machineId, triggeringAlertId; pages of at most 10,000. */
export const description = showFor('investigation', 'getAll', [
	...returnAllOrLimitFor(),
	filtersCollection([
		{ displayName: 'Device ID', name: 'machineId', type: 'string', default: '', placeholder: '1e5bc9d7e413ddd7902c2932e418702b84d0cc07' },
		{ displayName: 'Investigation ID', name: 'id', type: 'string', default: '', placeholder: '63017' },
		{ displayName: 'Started After', name: 'startedAfter', type: 'dateTime', default: '' },
		{ displayName: 'State', name: 'state', type: 'multiOptions', options: INVESTIGATION_STATES, default: [] },
		{ displayName: 'Triggering Alert ID', name: 'triggeringAlertId', type: 'string', default: '', placeholder: 'da637139166940871892_-598649278' },
	]),
]);

function investigationFilter(filters: IDataObject): string | undefined {
	const text = (name: string) => String(filters[name] ?? '').trim();
	return allOf([
		text('id') ? `id eq ${odataString(validateId(text('id'), INVESTIGATION_ID))}` : undefined,
		text('machineId') ? `machineId eq ${odataString(validateMachineId(text('machineId'), 'Device ID'))}` : undefined,
		text('triggeringAlertId') ? `triggeringAlertId eq ${odataString(text('triggeringAlertId'))}` : undefined,
		anyOf('state', listOf(filters.state)),
		filters.startedAfter ? `startTime gt ${odataDateTime('Started After', filters.startedAfter)}` : undefined,
	]);
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	return await listFiltered.call(this, itemIndex, { path: '/api/investigations', permission: 'Alert.Read.All', filter: investigationFilter });
}
