import type { INodeProperties } from 'n8n-workflow';

import { operationSelector } from '../../descriptions/common';

import * as cancel from './cancel.operation';
import * as downloadPackage from './downloadPackage.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as getPackageUri from './getPackageUri.operation';

export { cancel, downloadPackage, get, getAll, getPackageUri };

export const description: INodeProperties[] = [
	operationSelector('machineAction', 'get', [
		{ name: 'Cancel', value: 'cancel', action: 'Cancel a pending or in-progress response action', description: 'Cancel an action that is still pending or in progress' },
		{ name: 'Download Investigation Package', value: 'downloadPackage', action: 'Download an investigation package', description: 'Download the package of a Succeeded Collect Investigation Package action as binary data (a zip file)' },
		{ name: 'Get', value: 'get', action: 'Get a response action and its status by action ID', description: 'Get a response action and its status' },
		{ name: 'Get Investigation Package Download URL', value: 'getPackageUri', action: 'Get the download URL of an investigation package', description: 'Get a short-lived link to a collected investigation package' },
		{ name: 'Get Many', value: 'getAll', action: 'Get many machine actions', description: 'List response actions, filtered' },
	]),
	...get.description,
	...getAll.description,
	...cancel.description,
	...getPackageUri.description,
	...downloadPackage.description,
];
