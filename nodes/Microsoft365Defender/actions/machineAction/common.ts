import type { IExecuteFunctions } from 'n8n-workflow';

import { apiPath } from '../../transport/paths';
import { validateMachineActionId } from '../../transport/validation';

export function readMachineActionId(this: IExecuteFunctions, itemIndex: number): string {
	return validateMachineActionId(this.getNodeParameter('machineActionId', itemIndex, undefined, { extractValue: true }), 'Machine Action');
}

export function machineActionPath(id: string, sub?: string): string {
	return sub ? apiPath`/api/machineactions/${id}` + `/${sub}` : apiPath`/api/machineactions/${id}`;
}
