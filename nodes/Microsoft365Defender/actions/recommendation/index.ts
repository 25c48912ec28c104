import type { INodeProperties } from 'n8n-workflow';

import { operationSelector } from '../../descriptions/common';

import * as getAll from './getAll.operation';
import * as getDevices from './getDevices.operation';
import * as getSoftware from './getSoftware.operation';
import * as getVulnerabilities from './getVulnerabilities.operation';

export { getAll, getDevices, getSoftware, getVulnerabilities };

export const description: INodeProperties[] = [
	operationSelector('recommendation', 'getAll', [
		{ name: 'Get Devices', value: 'getDevices', action: 'Get the devices of a security recommendation', description: 'List the devices the security recommendation applies to' },
		{ name: 'Get Many', value: 'getAll', action: 'Get many security recommendations', description: 'List the security recommendations for the organization' },
		{ name: 'Get Software', value: 'getSoftware', action: 'Get the software of a security recommendation', description: 'Get the software product the recommendation is about' },
		{ name: 'Get Vulnerabilities', value: 'getVulnerabilities', action: 'Get the vulnerabilities of a security recommendation', description: 'List the vulnerabilities (CVEs) the recommendation addresses' },
	]),
	...getAll.description,
	...getDevices.description,
	...getSoftware.description,
	...getVulnerabilities.description,
];
