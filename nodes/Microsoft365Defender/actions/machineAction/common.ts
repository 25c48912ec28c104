import type { IExecuteFunctions } from 'n8n-workflow';

import { apiPath, fromField } from '../../transport/paths';
import { validateMachineActionId } from '../../transport/validation';

export function readMachineActionId(this: IExecuteFunctions, itemIndex: number): string {
	return validateMachineActionId(this.getNodeParameter('machineActionId', itemIndex, undefined, { extractValue: true }), 'Machine Action');
}

export function machineActionPath(id: string, sub?: string): string {
	const segment = fromField('Machine Action', id);
	return sub ? apiPath`/api/machineactions/${segment}` + `/${sub}` : apiPath`/api/machineactions/${segment}`;
}
