import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { mdeList, readLimit, returnAllOrLimitFor, showFor } from '../defenderForEndpoint';
import { LIBRARY_PATH, LIBRARY_PERMISSION } from './common';

export const description = showFor('liveResponseLibrary', 'getAll', returnAllOrLimitFor());

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const { limit } = readLimit.call(this, itemIndex);
	return await mdeList.call(this, { method: 'GET', path: LIBRARY_PATH, permission: LIBRARY_PERMISSION, itemIndex }, limit);
}
