import type { INodeProperties } from 'n8n-workflow';

import { operationSelector } from '../../descriptions/common';

import * as getFile from './getFile.operation';
import * as putFile from './putFile.operation';
import * as runCommands from './runCommands.operation';
import * as runScript from './runScript.operation';

export { getFile, putFile, runCommands, runScript };

export const description: INodeProperties[] = [
	operationSelector('liveResponse', 'runScript', [
		{ name: 'Get File', value: 'getFile', action: 'Get a file from a device', description: 'Collect a file from a device as binary data' },
		{ name: 'Put File', value: 'putFile', action: 'Put a library file on a device', description: 'Copy a file from the live response library to a device' },
		{ name: 'Run Commands', value: 'runCommands', action: 'Run live response commands on a device', description: 'Put files, run scripts and get files in one session' },
		{ name: 'Run Script', value: 'runScript', action: 'Run a library script on a device', description: 'Run a script from the live response library and return its output' },
	]),
	...runScript.description,
	...getFile.description,
	...putFile.description,
	...runCommands.description,
];
