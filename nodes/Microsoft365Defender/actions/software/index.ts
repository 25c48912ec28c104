import type { INodeProperties } from 'n8n-workflow';

import { operationSelector } from '../../descriptions/common';

import * as getAll from './getAll.operation';
import * as getDevices from './getDevices.operation';
import * as getMissingKbs from './getMissingKbs.operation';
import * as getVersionDistribution from './getVersionDistribution.operation';
import * as getVulnerabilities from './getVulnerabilities.operation';

export { getAll, getDevices, getMissingKbs, getVersionDistribution, getVulnerabilities };

export const description: INodeProperties[] = [
	operationSelector('software', 'getAll', [
		{ name: 'Get Devices', value: 'getDevices', action: 'Get the devices that have a software', description: 'List the devices with the software installed' },
		{ name: 'Get Many', value: 'getAll', action: 'Get many software', description: 'List the organization\'s software inventory' },
		{ name: 'Get Missing KBs', value: 'getMissingKbs', action: 'Get the missing KBs of a software', description: 'List the security updates (KBs) the software is missing, with how many devices miss each' },
		{ name: 'Get Version Distribution', value: 'getVersionDistribution', action: 'Get the version distribution of a software', description: 'How many devices run each version, and its vulnerabilities' },
		{ name: 'Get Vulnerabilities', value: 'getVulnerabilities', action: 'Get the vulnerabilities of a software', description: 'List the vulnerabilities (CVEs) of the installed software' },
	]),
	...getAll.description,
	...getDevices.description,
	...getVulnerabilities.description,
	...getVersionDistribution.description,
	...getMissingKbs.description,
];
