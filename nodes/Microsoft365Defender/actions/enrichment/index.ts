import type { INodeProperties } from 'n8n-workflow';

import { operationSelector } from '../../descriptions/common';

import * as domain from './domain.operation';
import * as file from './file.operation';
import * as ip from './ip.operation';
import * as user from './user.operation';

export { domain, file, ip, user };

export const description: INodeProperties[] = [
	operationSelector('enrichment', 'file', [
		{ name: 'Enrich Domain', value: 'domain', action: 'Enrich a domain', description: 'Prevalence, alerts and devices of a domain' },
		{ name: 'Enrich File', value: 'file', action: 'Enrich a file hash', description: 'Information, prevalence, alerts and devices of a file (SHA-1 or SHA-256)' },
		{ name: 'Enrich IP Address', value: 'ip', action: 'Enrich an IP address', description: 'Prevalence, alerts and devices of an IP address' },
		{ name: 'Enrich User', value: 'user', action: 'Enrich a user', description: 'Alerts and devices of a user' },
	]),
	...file.description,
	...ip.description,
	...domain.description,
	...user.description,
];
