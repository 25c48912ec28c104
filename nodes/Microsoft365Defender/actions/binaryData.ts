import { NodeOperationError, type IBinaryData, type IBinaryKeyData, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { DEFAULT_MAX_DOWNLOAD_MB, MAX_DOWNLOAD_SIZE_PARAMETER, MAX_DOWNLOAD_SIZE_SETTING } from '../descriptions/common';
import { BYTES_PER_MB, downloadSignedLink, type DownloadBody, type SignedLinkDownload, type SizeLimit } from '../transport/download';
import { safeBaseName } from '../transport/fileName';

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

/** Request Options → Maximum Download Size (MB) of this item. */
export function downloadSizeLimit(this: IExecuteFunctions, itemIndex: number): SizeLimit {
	const megabytes = Number(this.getNodeParameter(MAX_DOWNLOAD_SIZE_PARAMETER, itemIndex, DEFAULT_MAX_DOWNLOAD_MB));
	if (!Number.isFinite(megabytes) || megabytes <= 0) {
		throw new NodeOperationError(this.getNode(), `Maximum Download Size (MB) is ${String(megabytes)}: it must be a positive number.`, {
			description: `Set ${MAX_DOWNLOAD_SIZE_SETTING}, e.g. ${DEFAULT_MAX_DOWNLOAD_MB}, or remove the option for that default.`,
			itemIndex,
		});
	}
	return { maxBytes: Math.floor(megabytes * BYTES_PER_MB), setting: MAX_DOWNLOAD_SIZE_SETTING };
}

export interface DownloadedBinary {
	binary: IBinaryData;
	bytes: number;
}

/**
 * Streams a signed link into n8n binary data (n8n's binary data service: in filesystem or S3
 * mode the file goes to disk or the bucket as it arrives). The storage host's own name wins over
 * the fallback; both are reduced to a safe base name. A refused or stopped download leaves no
 * binary data behind.
 */
export async function downloadAsBinaryData(
	this: IExecuteFunctions,
	link: string,
	download: Omit<SignedLinkDownload, 'limit'>,
	fallbackName: string,
	mimeType?: string,
): Promise<DownloadedBinary> {
	return await (downloadSignedLink<DownloadedBinary>).call(this, link, { ...download, limit: downloadSizeLimit.call(this, download.itemIndex) }, async (body: DownloadBody) => {
		const binary = await this.helpers.prepareBinaryData(body.stream, body.fileName ?? safeBaseName(fallbackName) ?? 'file', mimeType ?? body.contentType);
		return { binary, bytes: body.bytesRead() };
	});
}

/**
 * A result read as text into the item's JSON (a RunScript transcript): it cannot be streamed, so
 * it is bounded more tightly than a file, by the smaller of the download limit and 64 MB.
 */
export const MAX_TEXT_RESULT_BYTES = 64 * BYTES_PER_MB;

export async function downloadAsText(this: IExecuteFunctions, link: string, download: Omit<SignedLinkDownload, 'limit'>): Promise<string> {
	const limit = downloadSizeLimit.call(this, download.itemIndex);
	const bounded = { ...limit, maxBytes: Math.min(limit.maxBytes, MAX_TEXT_RESULT_BYTES) };
	return await (downloadSignedLink<string>).call(this, link, { ...download, limit: bounded }, async (body: DownloadBody) => {
		const decoder = new TextDecoder('utf-8');
		let text = '';
		for await (const chunk of body.stream) text += decoder.decode(chunk as Uint8Array, { stream: true });
		return text + decoder.decode();
	});
}
