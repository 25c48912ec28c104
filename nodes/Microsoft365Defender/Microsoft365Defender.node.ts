import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import * as advancedHunting from './actions/advancedHunting';
import * as alert from './actions/alert';
import * as customApiCall from './actions/customApiCall';
import * as device from './actions/device';
import * as enrichment from './actions/enrichment';
import * as incident from './actions/incident';
import * as indicator from './actions/indicator';
import * as machineAction from './actions/machineAction';
import * as recommendation from './actions/recommendation';
import * as responseAction from './actions/responseAction';
import * as software from './actions/software';
import * as vulnerability from './actions/vulnerability';
import { router } from './actions/router';
import { requestOptions } from './descriptions/common';
import { credentialTest, listSearch } from './methods';

export class Microsoft365Defender implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Microsoft 365 Defender',
		name: 'microsoft365Defender',
		icon: { light: 'file:microsoft365Defender.svg', dark: 'file:microsoft365Defender.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description: 'Triage incidents and alerts and run advanced hunting in Microsoft Defender XDR',
		defaults: { name: 'Microsoft 365 Defender' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'microsoft365DefenderApi', required: true, testedBy: 'microsoft365DefenderApiTest' },
		],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Advanced Hunting', value: 'advancedHunting' },
					{ name: 'Alert', value: 'alert' },
					{ name: 'Custom API Call', value: 'customApiCall' },
					{ name: 'Device', value: 'device' },
					{ name: 'Enrichment', value: 'enrichment' },
					{ name: 'Incident', value: 'incident' },
					{ name: 'Indicator', value: 'indicator' },
					{ name: 'Machine Action', value: 'machineAction' },
					{ name: 'Recommendation', value: 'recommendation' },
					{ name: 'Response Action', value: 'responseAction' },
					{ name: 'Software', value: 'software' },
					{ name: 'Vulnerability', value: 'vulnerability' },
				],
				default: 'incident',
			},
			...incident.description,
			...alert.description,
			...advancedHunting.description,
			...device.description,
			...responseAction.description,
			...machineAction.description,
			...indicator.description,
			...enrichment.description,
			...vulnerability.description,
			...software.description,
			...recommendation.description,
			...customApiCall.description,
			requestOptions,
		],
	};

	methods = { listSearch, credentialTest };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
