import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { mdeRequest, showFor, withoutContext } from '../defenderForEndpoint';
import { indicatorFields, readIndicator } from './fields';

export const description = showFor('indicator', 'createOrUpdate', indicatorFields);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const { body } = readIndicator.call(this, itemIndex);
	return withoutContext(
		await mdeRequest.call(this, {
			method: 'POST',
			path: '/api/indicators',
			body,
			permission: 'Ti.ReadWrite.All',
			// Submit or update: sending the same indicator twice leaves one indicator.
			idempotent: true,
			itemIndex,
		}),
	);
}
