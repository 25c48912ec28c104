import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { outputBinaryField, readBinaryFieldName } from '../binaryData';
import { liveResponseDescription, readDevicePath, runSession } from './session';

export const description = liveResponseDescription('getFile', [
	{
		displayName: 'Path',
		name: 'path',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'C:\\Windows\\Temp\\evidence.log',
		description: 'Full path of the file on the device',
	},
	outputBinaryField('The file collected from the device is put in this binary field of the output item'),
]);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const path = readDevicePath.call(this, 'path', itemIndex);
	const field = readBinaryFieldName.call(this, itemIndex);
	return await runSession.call(this, itemIndex, {
		commands: [{ type: 'GetFile', params: [{ key: 'Path', value: path }] }],
		fileFields: new Map([[0, field]]),
	});
}
