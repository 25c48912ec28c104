import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { returnAllOrLimit } from '../../descriptions/common';
import { defenderApiRequestAllItems } from '../../transport/request';
import { showFor, TI_PATH, TI_PERMISSION } from './common';

/**
 * GET /articles (security-threatintelligence-list-articles.md): $count, $select, $search (one term),
 * $top, $skip, $orderby; no $filter. No $top maximum is documented: pages of 50.
 */
const PAGE_SIZE = 50;

export const description = showFor('getManyArticles', [
	...returnAllOrLimit(),
	{
		displayName: 'Search Term',
		name: 'searchTerm',
		type: 'string',
		default: '',
		placeholder: 'ransomware',
		description: 'One word to search the articles for (Microsoft supports single-term searches only)',
	},
]);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const returnAll = this.getNodeParameter('returnAll', itemIndex) as boolean;
	const limit = returnAll ? undefined : (this.getNodeParameter('limit', itemIndex) as number);
	const term = String(this.getNodeParameter('searchTerm', itemIndex, '') ?? '').trim();
	if (/\s/.test(term)) {
		throw new NodeOperationError(this.getNode(), `Search Term "${term}" has more than one word.`, {
			description: 'Microsoft searches articles for a single term only: keep one word, and filter further with an IF node.',
			itemIndex,
		});
	}
	return await defenderApiRequestAllItems.call(
		this,
		{
			api: 'graph',
			method: 'GET',
			path: `${TI_PATH}/articles`,
			query: { $search: term ? `"${term}"` : undefined, $top: Math.min(limit ?? PAGE_SIZE, PAGE_SIZE), $orderby: 'createdDateTime desc' },
			permission: TI_PERMISSION,
			itemIndex,
		},
		{ limit },
	);
}
