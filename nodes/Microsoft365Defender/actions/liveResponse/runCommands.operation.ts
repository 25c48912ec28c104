import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { outputBinaryField, readBinaryFieldName } from '../binaryData';
import { liveResponseDescription, runSession, type LiveResponseCommand, type LiveResponseCommandType } from './session';

const COMMAND_TYPES: Array<{ name: string; value: LiveResponseCommandType }> = [
	{ name: 'Put File', value: 'PutFile' },
	{ name: 'Run Script', value: 'RunScript' },
	{ name: 'Get File', value: 'GetFile' },
];

export const description = liveResponseDescription('runCommands', [
	{
		displayName: 'Commands',
		name: 'commands',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		required: true,
		default: {},
		placeholder: 'Add command',
		description: 'Run in one session, in this order only: Put File commands, then Run Script, then Get File. Microsoft stops at the first command that fails.',
		options: [
			{
				displayName: 'Command',
				name: 'command',
				values: [
					{ displayName: 'Type', name: 'type', type: 'options', options: COMMAND_TYPES, default: 'RunScript' },
					{
						displayName: 'File or Script Name',
						name: 'libraryFile',
						type: 'string',
						default: '',
						placeholder: 'collect-logs.ps1',
						description: 'A file in the live response library',
						displayOptions: { show: { type: ['PutFile', 'RunScript'] } },
					},
					{
						displayName: 'Arguments',
						name: 'args',
						type: 'string',
						default: '',
						description: 'Passed to the script',
						displayOptions: { show: { type: ['RunScript'] } },
					},
					{
						displayName: 'Path',
						name: 'path',
						type: 'string',
						default: '',
						placeholder: 'C:\\Windows\\Temp\\evidence.log',
						description: 'Full path of the file on the device',
						displayOptions: { show: { type: ['GetFile'] } },
					},
				],
			},
		],
	},
	outputBinaryField('Collected files go in this binary field; with several Get File commands, the second goes in <field>_2, the third in <field>_3, and so on'),
]);

interface CommandInput {
	type?: LiveResponseCommandType;
	libraryFile?: string;
	args?: string;
	path?: string;
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const inputs = ((this.getNodeParameter('commands', itemIndex, {}) as IDataObject).command ?? []) as CommandInput[];
	const field = readBinaryFieldName.call(this, itemIndex);
	const commands: LiveResponseCommand[] = [];
	const fileFields = new Map<number, string>();
	for (const [position, input] of inputs.entries()) {
		const type = input.type ?? 'RunScript';
		const fail = (what: string) => {
			throw new NodeOperationError(this.getNode(), `Command ${position + 1} (${type}): ${what}`, { itemIndex });
		};
		if (type === 'GetFile') {
			const path = String(input.path ?? '').trim();
			if (!path) fail('Path is empty; enter the full path of the file on the device.');
			fileFields.set(position, fileFields.size === 0 ? field : `${field}_${fileFields.size + 1}`);
			commands.push({ type, params: [{ key: 'Path', value: path }] });
			continue;
		}
		const name = String(input.libraryFile ?? '').trim();
		if (!name || /[\\/]/.test(name)) fail(`"${name}" is not a live response library file name (a plain name such as collect-logs.ps1).`);
		if (type === 'PutFile') {
			commands.push({ type, params: [{ key: 'FileName', value: name }] });
		} else {
			const args = String(input.args ?? '').trim();
			commands.push({ type, params: [{ key: 'ScriptName', value: name }, ...(args ? [{ key: 'Args', value: args }] : [])] });
		}
	}
	return await runSession.call(this, itemIndex, { commands, fileFields });
}
