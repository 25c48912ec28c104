import type { INodePropertyOptions } from 'n8n-workflow';

import { Microsoft365Defender } from '../../nodes/Microsoft365Defender/Microsoft365Defender.node';
import { PERMISSION_NEEDS } from '../../nodes/Microsoft365Defender/actions/credential/permissionReport';

/** The permission report must know every operation, or Check Permissions misses what a new one needs. */
const { properties } = new Microsoft365Defender().description;
const resources = (properties.find((property) => property.name === 'resource')?.options ?? []) as INodePropertyOptions[];
// Their permission depends on the request the user makes, or they need none of their own.
const WITHOUT_OWN_PERMISSION = new Set(['customApiCall', 'credential']);

const operationLabels = resources
	.filter((resource) => !WITHOUT_OWN_PERMISSION.has(String(resource.value)))
	.flatMap((resource) => {
		const selector = properties.find((property) => property.name === 'operation' && property.displayOptions?.show?.resource?.includes(resource.value));
		return ((selector?.options ?? []) as INodePropertyOptions[]).map((operation) => `${resource.name} ${operation.name}`);
	});

describe('the permission report covers every operation', () => {
	it('names each operation of the node under at least one permission', () => {
		const reported = PERMISSION_NEEDS.flatMap((need) => need.operations);
		// "Enrichment Enrich File (related alerts)": one part of an operation that needs several permissions.
		const covers = (entry: string, label: string) => entry === label || entry.startsWith(`${label} (`);
		expect(operationLabels.length).toBeGreaterThan(50);
		expect(operationLabels.filter((label) => !reported.some((entry) => covers(entry, label)))).toEqual([]);
	});
});
