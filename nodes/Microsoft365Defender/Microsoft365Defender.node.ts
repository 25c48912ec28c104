import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import * as advancedHunting from './actions/advancedHunting';
import * as alert from './actions/alert';
import * as incident from './actions/incident';
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
					{ name: 'Incident', value: 'incident' },
				],
				default: 'incident',
			},
			...incident.description,
			...alert.description,
			...advancedHunting.description,
			requestOptions,
		],
	};

	methods = { listSearch, credentialTest };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
