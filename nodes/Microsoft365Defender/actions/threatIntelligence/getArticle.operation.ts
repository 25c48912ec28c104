import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { readText, showFor, tiGet, tiList, withoutContext } from './common';

/** GET /articles/{id} and its indicators (security-article-get.md, security-article-list-indicators.md). */
export const description = showFor('getArticle', [
	{ displayName: 'Article ID', name: 'articleId', type: 'string', default: '', required: true, placeholder: 'a272d5ab' },
	{
		displayName: 'Include Indicators',
		name: 'includeIndicators',
		type: 'boolean',
		default: true,
		description: "Whether to return the article's indicators (hosts, IP addresses …) under indicators",
	},
]);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const id = readText.call(this, 'articleId', 'Article ID', itemIndex);
	const includeIndicators = this.getNodeParameter('includeIndicators', itemIndex, true) as boolean;
	const [article, indicators] = await Promise.all([
		tiGet.call(this, 'articles', 'Article ID', id, itemIndex),
		includeIndicators ? tiList.call(this, 'articles', 'Article ID', id, '/indicators', itemIndex) : undefined,
	]);
	return { ...withoutContext(article), ...(indicators ? { indicators } : {}) };
}
