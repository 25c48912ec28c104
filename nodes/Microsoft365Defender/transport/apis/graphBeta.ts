import type { ApiDescriptor } from './descriptor';
import { graph } from './graph';

/**
 * Microsoft Graph beta: Graph's host, token and limits (Microsoft counts them across versions),
 * paths under /beta, and no $batch (the batch endpoint a request travels in is versioned).
 */
export const graphBeta: ApiDescriptor = {
	...graph,
	displayName: 'Microsoft Graph (beta)',
	batch: undefined,
};
