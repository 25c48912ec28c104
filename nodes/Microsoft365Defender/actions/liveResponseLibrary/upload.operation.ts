import { randomBytes } from 'node:crypto';

import { NodeOperationError, type IBinaryData, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { inputBinaryField, readBinaryFieldName } from '../binaryData';
import { mdeRequest, showFor, withoutContext } from '../defenderForEndpoint';
import { LIBRARY_PATH, LIBRARY_PERMISSION } from './common';

/** upload-library.md: "File max size limitation is 20MB". */
const MAX_LIBRARY_FILE_BYTES = 20 * 1024 * 1024;

export const description = showFor('liveResponseLibrary', 'upload', [
	inputBinaryField,
	{
		displayName: 'Description',
		name: 'description',
		type: 'string',
		default: '',
		description: 'What the file or script does; shown in the library',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'File Name',
				name: 'fileName',
				type: 'string',
				default: '',
				placeholder: 'collect-logs.ps1',
				description: 'The name in the library; by default the binary data\'s file name',
			},
			{
				displayName: 'Has Parameters',
				name: 'hasParameters',
				type: 'boolean',
				default: false,
				description: 'Whether the script takes arguments',
			},
			{
				displayName: 'Override If Exists',
				name: 'overrideIfExists',
				type: 'boolean',
				default: false,
				description: 'Whether to replace a library file of the same name; otherwise Microsoft refuses the upload',
			},
			{
				displayName: 'Parameters Description',
				name: 'parametersDescription',
				type: 'string',
				default: '',
				placeholder: '-Days <number of days of logs>',
				description: 'The arguments the script takes, shown to whoever runs it',
			},
		],
	},
]);

function quoted(value: string): string {
	return value.replace(/["\\\r\n]/g, (character) => encodeURIComponent(character));
}

/** RFC 9110 token characters: a media type is `type/subtype` of them. */
const MEDIA_TYPE = /^[!#$%&'*+.^_`|~0-9a-z-]+\/[!#$%&'*+.^_`|~0-9a-z-]+$/i;

/**
 * The binary's MIME type as one multipart header value: only its `type/subtype` (parameters
 * dropped), and application/octet-stream for anything else, so no CR, LF or quote of a crafted
 * MIME type can add headers or parts to the form.
 */
export function partContentType(mimeType: string | undefined): string {
	const essence = String(mimeType ?? '').split(';')[0].trim();
	return MEDIA_TYPE.test(essence) ? essence.toLowerCase() : 'application/octet-stream';
}

/** The binary's size from what n8n knows of it, before its bytes are read. */
async function declaredSize(this: IExecuteFunctions, binary: IBinaryData): Promise<number> {
	if (typeof binary.bytes === 'number') return binary.bytes;
	if (binary.id) return (await this.helpers.getBinaryMetadata(binary.id)).fileSize;
	// Kept in the item (n8n's default mode): the decoded size of its base64, without decoding it.
	return Buffer.byteLength(binary.data, 'base64');
}

function sizeError(this: IExecuteFunctions, field: string, bytes: number, itemIndex: number): NodeOperationError {
	return new NodeOperationError(this.getNode(), `The file in binary field "${field}" has ${bytes} bytes; the live response library takes 1 byte to 20 MB.`, { itemIndex });
}

/** multipart/form-data as upload-library.md lists the fields: File, Description, ParametersDescription, HasParameters, OverrideIfExists. */
function multipartBody(file: { name: string; data: Buffer; mimeType?: string }, fields: Record<string, string>): { data: Buffer; contentType: string } {
	const boundary = `----n8nDefender${randomBytes(12).toString('hex')}`;
	const head = `--${boundary}\r\nContent-Disposition: form-data; name="File"; filename="${quoted(file.name)}"\r\nContent-Type: ${partContentType(file.mimeType)}\r\n\r\n`;
	let tail = '\r\n';
	for (const [name, value] of Object.entries(fields)) tail += `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
	tail += `--${boundary}--\r\n`;
	// Text parts as UTF-8 and the file's bytes unchanged, joined through latin1 (one byte per character).
	const latin1 = (text: string) => Buffer.from(text, 'utf8').toString('latin1');
	return { data: Buffer.from(latin1(head) + file.data.toString('latin1') + latin1(tail), 'latin1'), contentType: `multipart/form-data; boundary=${boundary}` };
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const field = readBinaryFieldName.call(this, itemIndex);
	const binary = this.helpers.assertBinaryData(itemIndex, field);
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const fileName = String(options.fileName ?? '').trim() || String(binary.fileName ?? '').trim();
	if (!fileName || /[\\/]/.test(fileName)) {
		throw new NodeOperationError(this.getNode(), `"${fileName}" cannot be a live response library file name.`, {
			description: 'Set Options → File Name to a plain name such as collect-logs.ps1 (the binary data has no usable file name).',
			itemIndex,
		});
	}
	// Checked before the bytes are read, so a file of gigabytes is refused without being held in memory.
	const size = await declaredSize.call(this, binary);
	if (size > MAX_LIBRARY_FILE_BYTES) throw sizeError.call(this, field, size, itemIndex);
	const data = await this.helpers.getBinaryDataBuffer(itemIndex, field);
	if (data.length === 0 || data.length > MAX_LIBRARY_FILE_BYTES) throw sizeError.call(this, field, data.length, itemIndex);
	const text = (name: string) => String(this.getNodeParameter(name, itemIndex, '') ?? '').trim();
	const body = multipartBody(
		{ name: fileName, data, mimeType: binary.mimeType },
		{
			Description: text('description'),
			ParametersDescription: String(options.parametersDescription ?? '').trim(),
			HasParameters: String(options.hasParameters === true),
			OverrideIfExists: String(options.overrideIfExists === true),
		},
	);
	return withoutContext(await mdeRequest.call(this, { method: 'POST', path: LIBRARY_PATH, rawBody: body, permission: LIBRARY_PERMISSION, itemIndex }));
}
