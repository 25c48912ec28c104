import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { apiPath, fromField } from '../../transport/paths';
import { validateFileHash } from '../../transport/validation';
import { showFor } from '../defenderForEndpoint';
import { getCollection, getIfKnown, includeField, lookBackField, readIncludes, readLookBack } from './common';

export const description = showFor('enrichment', 'file', [
	{
		displayName: 'File Hash',
		name: 'fileHash',
		type: 'string',
		default: '',
		required: true,
		placeholder: '4388963aaa83afe2042a46a3c017ad50bdcdafb3',
		description: 'SHA-1 or SHA-256 of the file',
	},
	includeField([
		{ name: 'File Information', value: 'info', description: 'Publisher, signer, size, global prevalence, determination (File.Read.All)' },
		{ name: 'Prevalence Statistics', value: 'stats', description: 'How many devices in the organization saw it, first and last seen (File.Read.All)' },
		{ name: 'Related Alerts', value: 'alerts', description: 'Alerts that involve the file (Alert.Read.All)' },
		{ name: 'Related Devices', value: 'devices', description: 'Devices the file was seen on (Machine.Read.All)' },
	]),
	{ ...lookBackField, displayOptions: { show: { include: ['stats'] } } },
]);

/**
 * One item per file: `found` says whether Defender knows it. Related alerts and devices take
 * only SHA-1, so for a SHA-256 the file's SHA-1 is read from its information first.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const { hash, kind } = validateFileHash(this.getNodeParameter('fileHash', itemIndex, ''), 'File Hash');
	const include = readIncludes.call(this, itemIndex);
	const lookBackHours = include.has('stats') ? readLookBack.call(this, itemIndex) : undefined;
	const result: IDataObject = { [kind]: hash, found: true };

	let sha1 = kind === 'sha1' ? hash : undefined;
	const needsInfo = include.has('info') || (!sha1 && (include.has('alerts') || include.has('devices')));
	if (needsInfo) {
		const info = await getIfKnown.call(this, apiPath`/api/files/${fromField('File Hash', hash)}`, 'File.Read.All', itemIndex);
		if (!info) return { ...result, found: false };
		sha1 = typeof info.sha1 === 'string' ? info.sha1 : sha1;
		if (typeof info.sha1 === 'string') result.sha1 = info.sha1;
		if (typeof info.sha256 === 'string') result.sha256 = info.sha256;
		if (include.has('info')) result.info = info;
	}
	if (include.has('stats')) {
		const stats = await getIfKnown.call(this, apiPath`/api/files/${fromField('File Hash', hash)}/stats`, 'File.Read.All', itemIndex, { lookBackHours });
		if (!stats) return { ...result, found: false };
		result.stats = stats;
	}
	if (sha1 && include.has('alerts')) result.alerts = await getCollection.call(this, apiPath`/api/files/${fromField('File Hash', sha1)}/alerts`, 'Alert.Read.All', itemIndex);
	if (sha1 && include.has('devices')) result.devices = await getCollection.call(this, apiPath`/api/files/${fromField('File Hash', sha1)}/machines`, 'Machine.Read.All', itemIndex);
	return result;
}
