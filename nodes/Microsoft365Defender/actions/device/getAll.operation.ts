import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { filtersCollection } from '../../descriptions/common';
import { EXPOSURE_LEVELS, HEALTH_STATUSES, OS_PLATFORMS, RISK_SCORES } from '../../descriptions/mde';
import { allOf, anyOf, odataDateTime, odataString } from '../../transport/odata';
import { validateIpAddress } from '../../transport/validation';
import { listOf, listFiltered, returnAllOrLimitFor, showFor } from '../defenderForEndpoint';

export const description = showFor('device', 'getAll', [
	...returnAllOrLimitFor(),
	filtersCollection([
		{ displayName: 'Exposure Level', name: 'exposureLevel', type: 'multiOptions', options: EXPOSURE_LEVELS, default: [] },
		{ displayName: 'Health Status', name: 'healthStatus', type: 'multiOptions', options: HEALTH_STATUSES, default: [] },
		{ displayName: 'Last IP Address', name: 'lastIpAddress', type: 'string', default: '', placeholder: '10.1.2.3', description: 'The device\'s last internal IP address' },
		{ displayName: 'Last Seen After', name: 'lastSeenAfter', type: 'dateTime', default: '' },
		{ displayName: 'Name Starts With', name: 'nameStartsWith', type: 'string', default: '', placeholder: 'desktop-', description: 'Beginning of the device name (computerDnsName)' },
		{ displayName: 'OS Platform', name: 'osPlatform', type: 'multiOptions', options: OS_PLATFORMS, default: [] },
		{ displayName: 'Risk Score', name: 'riskScore', type: 'multiOptions', options: RISK_SCORES, default: [] },
		{ displayName: 'Tag', name: 'tag', type: 'string', default: '', placeholder: 'VIP', description: 'Only devices with this tag' },
	]),
]);

export function deviceFilter(filters: IDataObject): string | undefined {
	const text = (name: string) => String(filters[name] ?? '').trim();
	return allOf([
		text('nameStartsWith') ? `startswith(computerDnsName,${odataString(text('nameStartsWith').toLowerCase())})` : undefined,
		anyOf('healthStatus', listOf(filters.healthStatus)),
		anyOf('riskScore', listOf(filters.riskScore)),
		anyOf('exposureLevel', listOf(filters.exposureLevel)),
		anyOf('osPlatform', listOf(filters.osPlatform)),
		text('tag') ? `machineTags/any(tag: tag eq ${odataString(text('tag'))})` : undefined,
		filters.lastSeenAfter ? `lastSeen gt ${odataDateTime('Last Seen After', filters.lastSeenAfter)}` : undefined,
		text('lastIpAddress') ? `lastIpAddress eq ${odataString(validateIpAddress(text('lastIpAddress'), 'Last IP Address'))}` : undefined,
	]);
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	return await listFiltered.call(this, itemIndex, { path: '/api/machines', permission: 'Machine.Read.All', filter: deviceFilter });
}
