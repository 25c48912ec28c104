import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { returnAllOrLimit } from '../../descriptions/common';
import { defenderApiRequestAllItems } from '../../transport/request';
import { READ_PERMISSION, RULES_PATH, showFor } from './common';

/** The list page's example pages with $top; it names no maximum, so pages hold 100. */
const PAGE_SIZE = 100;

export const description = showFor('getAll', returnAllOrLimit());

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const returnAll = this.getNodeParameter('returnAll', itemIndex) as boolean;
	const limit = returnAll ? undefined : (this.getNodeParameter('limit', itemIndex) as number);
	return await defenderApiRequestAllItems.call(
		this,
		{ api: 'graph', method: 'GET', path: RULES_PATH, query: { $top: Math.min(limit ?? PAGE_SIZE, PAGE_SIZE) }, permission: READ_PERMISSION, itemIndex },
		{ limit },
	);
}
