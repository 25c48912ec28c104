import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { returnAllOrLimit } from '../../descriptions/common';
import { defenderApiRequestAllItems } from '../../transport/request';
import { mdeList, mdeRequest, readLimit, showFor, withoutContext } from '../defenderForEndpoint';

/** One Defender Vulnerability Management score: a single entity without its @odata.context. */
export function mdeScoreOperation(operation: string, path: string) {
	return {
		description: showFor('score', operation, []),
		async execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
			return [withoutContext(await mdeRequest.call(this, { method: 'GET', path, permission: 'Score.Read.All', itemIndex }))];
		},
	};
}

/** A score per device group: one item each. */
export function mdeScoreListOperation(operation: string, path: string) {
	return {
		description: showFor('score', operation, []),
		async execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
			return await mdeList.call(this, { method: 'GET', path, permission: 'Score.Read.All', itemIndex });
		},
	};
}

/**
 * A Graph secure score collection (security-list-securescores.md, security-list-securescorecontrolprofiles.md):
 * $top when a Limit is set, @odata.nextLink otherwise; Graph documents no page maximum here.
 */
export function graphSecureScoreOperation(operation: string, path: string) {
	return {
		description: showFor('score', operation, returnAllOrLimit()),
		async execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
			const { limit } = readLimit.call(this, itemIndex);
			return await defenderApiRequestAllItems.call(
				this,
				{ api: 'graph', method: 'GET', path, query: { $top: limit }, permission: 'SecurityEvents.Read.All', itemIndex },
				{ limit },
			);
		},
	};
}
