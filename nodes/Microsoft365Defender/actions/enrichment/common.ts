import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeProperties, type INodePropertyOptions } from 'n8n-workflow';

import { toNodeError } from '../../transport/errors';
import type { QueryValue } from '../../transport/request';
import { isNotFound, mdeList, mdeRequest, withoutContext } from '../defenderForEndpoint';

/** Which parts of an entity to fetch; each part is one call. */
export function includeField(parts: INodePropertyOptions[]): INodeProperties {
	return {
		displayName: 'Include',
		name: 'include',
		type: 'multiOptions',
		options: parts,
		default: [...parts.map((part) => part.value)],
		description: 'What to fetch about it; each part is one call against the rate limit',
	};
}

export const lookBackField: INodeProperties = {
	displayName: 'Statistics Look-Back (Hours)',
	name: 'lookBackHours',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: 720 },
	default: 720,
	description: 'How far back the prevalence statistics reach; Microsoft allows up to 720 hours (30 days)',
};

export function readIncludes(this: IExecuteFunctions, itemIndex: number): Set<string> {
	const include = this.getNodeParameter('include', itemIndex, []) as string[];
	if (include.length === 0) {
		throw new NodeOperationError(this.getNode(), 'Include is empty: choose at least one part to fetch.', { itemIndex });
	}
	return new Set(include);
}

export function readLookBack(this: IExecuteFunctions, itemIndex: number): number {
	const hours = Number(this.getNodeParameter('lookBackHours', itemIndex, 720));
	if (!Number.isInteger(hours) || hours < 1 || hours > 720) {
		throw new NodeOperationError(this.getNode(), `Statistics Look-Back (Hours) must be a whole number from 1 to 720, not ${hours}.`, { itemIndex });
	}
	return hours;
}

export async function getEntity(
	this: IExecuteFunctions,
	path: string,
	permission: string,
	itemIndex: number,
	query?: Record<string, QueryValue>,
): Promise<IDataObject> {
	return withoutContext(await mdeRequest.call(this, { method: 'GET', path, permission, itemIndex, query }));
}

export async function getCollection(this: IExecuteFunctions, path: string, permission: string, itemIndex: number): Promise<IDataObject[]> {
	return await mdeList.call(this, { method: 'GET', path, permission, itemIndex });
}

/** The entity, or undefined when Microsoft does not know it (404). */
export async function getIfKnown(
	this: IExecuteFunctions,
	path: string,
	permission: string,
	itemIndex: number,
	query?: Record<string, QueryValue>,
): Promise<IDataObject | undefined> {
	try {
		return await getEntity.call(this, path, permission, itemIndex, query);
	} catch (error) {
		if (isNotFound(error)) return undefined;
		throw toNodeError(this.getNode(), error, itemIndex);
	}
}
