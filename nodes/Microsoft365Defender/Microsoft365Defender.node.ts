import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import * as advancedHunting from './actions/advancedHunting';
import * as alert from './actions/alert';
import * as cloudAppsActivity from './actions/cloudAppsActivity';
import * as cloudAppsAlert from './actions/cloudAppsAlert';
import * as cloudAppsEntity from './actions/cloudAppsEntity';
import * as cloudAppsFile from './actions/cloudAppsFile';
import * as cloudAppsIpRange from './actions/cloudAppsIpRange';
import * as credential from './actions/credential';
import * as customApiCall from './actions/customApiCall';
import * as detectionRule from './actions/detectionRule';
import * as device from './actions/device';
import * as email from './actions/email';
import * as enrichment from './actions/enrichment';
import * as incident from './actions/incident';
import * as indicator from './actions/indicator';
import * as investigation from './actions/investigation';
import * as liveResponse from './actions/liveResponse';
import * as liveResponseLibrary from './actions/liveResponseLibrary';
import * as machineAction from './actions/machineAction';
import * as recommendation from './actions/recommendation';
import * as remediationActivity from './actions/remediationActivity';
import * as responseAction from './actions/responseAction';
import * as score from './actions/score';
import * as software from './actions/software';
import * as threatIntelligence from './actions/threatIntelligence';
import * as user from './actions/user';
import * as vulnerability from './actions/vulnerability';
import { router } from './actions/router';
import { outputProperties } from './actions/simplify';
import { NODE_DESCRIPTION, requestOptions } from './descriptions/common';
import { toolDescriptionProperties } from './descriptions/toolDescription';
import { credentialTest, listSearch } from './methods';

/**
 * Each operation's fields, then Simplify and Fields to Return, then its Options: the order n8n's
 * own nodes show them in. Display options keep each operation's fields apart, so moving every
 * Options collection after the output fields moves it only within its operation.
 */
function simplifyBeforeOptions(operationFields: INodeProperties[], output: INodeProperties[]): INodeProperties[] {
	const isOptions = (property: INodeProperties) => property.name === 'options';
	return [...operationFields.filter((property) => !isOptions(property)), ...output, ...operationFields.filter(isOptions)];
}

export class Microsoft365Defender implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Microsoft 365 Defender',
		name: 'microsoft365Defender',
		icon: { light: 'file:microsoft365Defender.svg', dark: 'file:microsoft365Defender.dark.svg' },
		group: ['transform'],
		// 1.1: Simplify (on by default) and Fields to Return; version 1 keeps Microsoft's whole objects.
		version: [1, 1.1],
		defaultVersion: 1.1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description: NODE_DESCRIPTION,
		defaults: { name: 'Microsoft 365 Defender' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'microsoft365DefenderApi', required: true, testedBy: 'microsoft365DefenderApiTest' },
		],
		properties: [
			...toolDescriptionProperties,
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Advanced Hunting', value: 'advancedHunting' },
					{ name: 'Alert', value: 'alert' },
					{ name: 'Cloud Apps Activity', value: 'cloudAppsActivity' },
					{ name: 'Cloud Apps Alert', value: 'cloudAppsAlert' },
					{ name: 'Cloud Apps Entity', value: 'cloudAppsEntity' },
					{ name: 'Cloud Apps File', value: 'cloudAppsFile' },
					{ name: 'Cloud Apps IP Range', value: 'cloudAppsIpRange' },
					{ name: 'Credential', value: 'credential' },
					{ name: 'Custom API Call', value: 'customApiCall' },
					{ name: 'Detection Rule (Preview)', value: 'detectionRule' },
					{ name: 'Device', value: 'device' },
					{ name: 'Email', value: 'email' },
					{ name: 'Enrichment', value: 'enrichment' },
					{ name: 'Incident', value: 'incident' },
					{ name: 'Indicator', value: 'indicator' },
					{ name: 'Investigation', value: 'investigation' },
					{ name: 'Live Response', value: 'liveResponse' },
					{ name: 'Live Response Library', value: 'liveResponseLibrary' },
					{ name: 'Machine Action', value: 'machineAction' },
					{ name: 'Recommendation', value: 'recommendation' },
					{ name: 'Remediation Activity', value: 'remediationActivity' },
					{ name: 'Response Action', value: 'responseAction' },
					{ name: 'Score', value: 'score' },
					{ name: 'Software', value: 'software' },
					{ name: 'Threat Intelligence', value: 'threatIntelligence' },
					{ name: 'User', value: 'user' },
					{ name: 'Vulnerability', value: 'vulnerability' },
				],
				default: 'incident',
			},
			...simplifyBeforeOptions(
				[
					...incident.description,
					...alert.description,
					...advancedHunting.description,
					...device.description,
					...responseAction.description,
					...machineAction.description,
					...liveResponse.description,
					...liveResponseLibrary.description,
					...indicator.description,
					...enrichment.description,
					...vulnerability.description,
					...software.description,
					...recommendation.description,
					...investigation.description,
					...remediationActivity.description,
					...score.description,
					...cloudAppsAlert.description,
					...cloudAppsActivity.description,
					...cloudAppsFile.description,
					...cloudAppsEntity.description,
					...cloudAppsIpRange.description,
					...credential.description,
					...customApiCall.description,
					...user.description,
					...email.description,
					...threatIntelligence.description,
					...detectionRule.description,
				],
				outputProperties,
			),
			requestOptions,
		],
	};

	methods = { listSearch, credentialTest };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
