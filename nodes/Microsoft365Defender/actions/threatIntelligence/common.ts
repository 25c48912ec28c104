import { NodeOperationError, updateDisplayOptions, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { apiPath, fromField } from '../../transport/paths';
import { defenderApiRequest, defenderApiRequestAllItems } from '../../transport/request';

/** Defender Threat Intelligence in Graph v1.0; every page asks for ThreatIntelligence.Read.All. */
export const TI_PATH = '/v1.0/security/threatIntelligence';
export const TI_PERMISSION = 'ThreatIntelligence.Read.All';

export function showFor(operation: string, properties: INodeProperties[]): INodeProperties[] {
	return updateDisplayOptions({ show: { resource: ['threatIntelligence'], operation: [operation] } }, properties);
}

export function readText(this: IExecuteFunctions, name: string, label: string, itemIndex: number): string {
	const value = String(this.getNodeParameter(name, itemIndex, '') ?? '').trim();
	if (!value) throw new NodeOperationError(this.getNode(), `${label} is empty: give the ${label.toLowerCase()} to look up.`, { itemIndex });
	return value;
}

/** GET of one Defender TI object, e.g. tiPath('articles', id). */
export async function tiGet(this: IExecuteFunctions, collection: string, label: string, id: string, itemIndex: number, below = ''): Promise<IDataObject> {
	return await defenderApiRequest.call(this, {
		api: 'graph',
		method: 'GET',
		path: `${TI_PATH}/${collection}${apiPath`/${fromField(label, id)}`}${below}`,
		batchable: true,
		permission: TI_PERMISSION,
		itemIndex,
	});
}

export async function tiList(this: IExecuteFunctions, collection: string, label: string, id: string, below: string, itemIndex: number, limit?: number): Promise<IDataObject[]> {
	return await defenderApiRequestAllItems.call(
		this,
		{ api: 'graph', method: 'GET', path: `${TI_PATH}/${collection}${apiPath`/${fromField(label, id)}`}${below}`, permission: TI_PERMISSION, itemIndex },
		{ limit },
	);
}

/** Strips OData annotations a workflow has no use for, keeping @odata.type (it says hostname or IP address). */
export function withoutContext(object: IDataObject): IDataObject {
	const { ['@odata.context']: _context, ...rest } = object;
	void _context;
	return rest;
}
