import { NodeOperationError, type IBinaryKeyData, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import type { DownloadedFile } from '../transport/download';

/**
 * Files in and out the n8n way: downloads become binary data of the output item (through n8n's
 * binary data service, so large files go to its storage, not into the item's JSON), uploads read
 * the binary field of the input item.
 */

/** Output items that carry binary data: the router puts the binary next to the item's JSON. */
const attached = new WeakMap<IDataObject, IBinaryKeyData>();

export function withBinaryData(json: IDataObject, binary: IBinaryKeyData): IDataObject {
	attached.set(json, binary);
	return json;
}

export function binaryDataOf(json: IDataObject): IBinaryKeyData | undefined {
	return attached.get(json);
}

export function outputBinaryField(description: string): INodeProperties {
	return {
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		hint: 'The name of the output binary field to put the file in',
		description,
	};
}

export const inputBinaryField: INodeProperties = {
	displayName: 'Input Binary Field',
	name: 'binaryPropertyName',
	type: 'string',
	default: 'data',
	required: true,
	hint: 'The name of the input binary field containing the file to be uploaded',
};

export function readBinaryFieldName(this: IExecuteFunctions, itemIndex: number): string {
	const name = String(this.getNodeParameter('binaryPropertyName', itemIndex, 'data')).trim();
	if (!name) {
		throw new NodeOperationError(this.getNode(), 'The binary field name is empty.', {
			description: 'Enter the name of the binary field, e.g. data.',
			itemIndex,
		});
	}
	return name;
}

/** A downloaded file as n8n binary data; the storage host's own name wins over the fallback. */
export async function toBinaryData(this: IExecuteFunctions, file: DownloadedFile, fallbackName: string, mimeType?: string) {
	return await this.helpers.prepareBinaryData(file.data, file.fileName ?? fallbackName, mimeType ?? file.contentType);
}
