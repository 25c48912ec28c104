import type { INodeProperties } from 'n8n-workflow';

import { operationSelector } from '../../descriptions/common';

import * as addTag from './addTag.operation';
import * as find from './find.operation';
import * as get from './get.operation';
import * as getAlerts from './getAlerts.operation';
import * as getAll from './getAll.operation';
import * as getIsolationState from './getIsolationState.operation';
import * as getLoggedOnUsers from './getLoggedOnUsers.operation';
import * as getMissingKbs from './getMissingKbs.operation';
import * as getRecommendations from './getRecommendations.operation';
import * as getSoftware from './getSoftware.operation';
import * as getVulnerabilities from './getVulnerabilities.operation';
import * as removeTag from './removeTag.operation';
import * as setDeviceValue from './setDeviceValue.operation';

export {
	addTag,
	find,
	get,
	getAlerts,
	getAll,
	getIsolationState,
	getLoggedOnUsers,
	getMissingKbs,
	getRecommendations,
	getSoftware,
	getVulnerabilities,
	removeTag,
	setDeviceValue,
};

export const description: INodeProperties[] = [
	operationSelector('device', 'get', [
		{ name: 'Add Tag', value: 'addTag', action: 'Add a tag to a device', description: 'Add a tag to a device' },
		{ name: 'Find', value: 'find', action: 'Find devices by IP, name or tag', description: 'Find devices by internal IP address, name or tag' },
		{ name: 'Get', value: 'get', action: 'Get a device', description: 'Get a device by ID or name' },
		{ name: 'Get Isolation State', value: 'getIsolationState', action: 'Get the isolation state of a device', description: 'Whether the device is isolated, not isolated or about to change, from its latest isolate and release actions' },
		{ name: 'Get Logged-On Users', value: 'getLoggedOnUsers', action: 'Get the users logged on to a device', description: 'Get the users who logged on to a device' },
		{ name: 'Get Many', value: 'getAll', action: 'Get many devices', description: 'List devices, filtered' },
		{ name: 'Get Missing KBs', value: 'getMissingKbs', action: 'Get the missing KBs of a device', description: 'List the security updates (KBs) missing on a device' },
		{ name: 'Get Related Alerts', value: 'getAlerts', action: 'Get the alerts of a device', description: 'Get the alerts raised on a device' },
		{ name: 'Get Security Recommendations', value: 'getRecommendations', action: 'Get the security recommendations of a device', description: 'List the security recommendations for a device' },
		{ name: 'Get Software', value: 'getSoftware', action: 'Get the software of a device', description: 'Get the software installed on a device' },
		{ name: 'Get Vulnerabilities', value: 'getVulnerabilities', action: 'Get the vulnerabilities of a device', description: 'Get the vulnerabilities (CVEs) discovered on a device' },
		{ name: 'Remove Tag', value: 'removeTag', action: 'Remove a tag from a device', description: 'Remove a tag from a device' },
		{ name: 'Set Device Value', value: 'setDeviceValue', action: 'Set the value of a device', description: 'Mark a device as Normal, Low or High value' },
	]),
	...get.description,
	...getAll.description,
	...find.description,
	...addTag.description,
	...removeTag.description,
	...getLoggedOnUsers.description,
	...getAlerts.description,
	...getSoftware.description,
	...getVulnerabilities.description,
	...getMissingKbs.description,
	...getRecommendations.description,
	...setDeviceValue.description,
	...getIsolationState.description,
];
