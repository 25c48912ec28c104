import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { liveResponseDescription, readLibraryFileName, runSession } from './session';

export const description = liveResponseDescription('runScript', [
	{
		displayName: 'Script Name',
		name: 'scriptName',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'collect-logs.ps1',
		description: 'A script in the live response library (Live Response Library → Get Many lists them; Upload adds one)',
	},
	{
		displayName: 'Arguments',
		name: 'args',
		type: 'string',
		default: '',
		placeholder: '-Days 7',
		description: 'Passed to the script as its arguments (Microsoft\'s Args parameter)',
	},
]);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const scriptName = readLibraryFileName.call(this, 'scriptName', 'Script Name', itemIndex);
	const args = String(this.getNodeParameter('args', itemIndex, '')).trim();
	const params = [{ key: 'ScriptName', value: scriptName }, ...(args ? [{ key: 'Args', value: args }] : [])];
	const output = await runSession.call(this, itemIndex, { commands: [{ type: 'RunScript', params }], fileFields: new Map() });
	// The transcript's fields at the top of the item, where the next node looks for them.
	const [script] = (output.results as IDataObject[] | undefined) ?? [];
	if (!script) return output;
	const { scriptName: ran, exitCode, scriptOutput, scriptErrors } = script;
	return { ...output, scriptName: ran, exitCode, scriptOutput, scriptErrors };
}
