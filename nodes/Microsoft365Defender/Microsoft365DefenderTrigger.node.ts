import {
	NodeConnectionTypes,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IPollFunctions,
} from 'n8n-workflow';

import { NODE_DESCRIPTION } from './descriptions/common';
import { credentialTest } from './methods';
import { triggerProperties } from './trigger/description';
import { pollDefender } from './trigger/poll';

export class Microsoft365DefenderTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Microsoft 365 Defender Trigger',
		name: 'microsoft365DefenderTrigger',
		icon: { light: 'file:microsoft365Defender.svg', dark: 'file:microsoft365Defender.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ {"newIncident": "New Incident", "updatedIncident": "Updated Incident", "newAlert": "New Alert", "updatedAlert": "Updated Alert"}[$parameter["event"]] }}',
		description: `${NODE_DESCRIPTION}. The trigger starts a workflow when incidents or alerts are created or updated`,
		defaults: { name: 'Microsoft 365 Defender Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'microsoft365DefenderApi', required: true, testedBy: 'microsoft365DefenderApiTest' },
		],
		properties: triggerProperties,
	};

	methods = { credentialTest };

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await pollDefender.call(this);
	}
}
