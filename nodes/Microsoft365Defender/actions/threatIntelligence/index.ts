import type { INodeProperties } from 'n8n-workflow';

import { operationSelector } from '../../descriptions/common';
import * as getArticle from './getArticle.operation';
import * as getHost from './getHost.operation';
import * as getIntelProfile from './getIntelProfile.operation';
import * as getManyArticles from './getManyArticles.operation';
import * as getVulnerability from './getVulnerability.operation';

export { getArticle, getHost, getIntelProfile, getManyArticles, getVulnerability };

export const description: INodeProperties[] = [
	operationSelector('threatIntelligence', 'getHost', [
		{ name: 'Get Article', value: 'getArticle', action: 'Get a threat intelligence article', description: 'Get an article with its indicators' },
		{ name: 'Get Host', value: 'getHost', action: 'Get a host\'s reputation', description: 'Enrich a hostname or IP address from Defender Threat Intelligence' },
		{ name: 'Get Intel Profile', value: 'getIntelProfile', action: 'Get an intel profile', description: 'Get an intel profile by ID' },
		{ name: 'Get Many Articles', value: 'getManyArticles', action: 'Get many threat intelligence articles', description: 'List articles, newest first' },
		{ name: 'Get Vulnerability', value: 'getVulnerability', action: 'Get a vulnerability\'s intelligence', description: 'Get a vulnerability by CVE ID' },
	]),
	...getHost.description,
	...getArticle.description,
	...getManyArticles.description,
	...getIntelProfile.description,
	...getVulnerability.description,
];
