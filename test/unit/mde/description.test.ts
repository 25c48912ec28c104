import { NodeHelpers, type INodeProperties, type INodePropertyOptions } from 'n8n-workflow';

import { Microsoft365Defender } from '../../../nodes/Microsoft365Defender/Microsoft365Defender.node';

const properties = new Microsoft365Defender().description.properties;
const resources = (properties.find((property) => property.name === 'resource')?.options ?? []) as INodePropertyOptions[];
const operationsOf = (resource: string) =>
	(properties.find((property) => property.name === 'operation' && property.displayOptions?.show?.resource?.includes(resource))?.options ?? []) as INodePropertyOptions[];

const MDE_RESOURCES = ['customApiCall', 'device', 'enrichment', 'indicator', 'machineAction', 'recommendation', 'responseAction', 'software', 'vulnerability'];

describe('node description (Defender for Endpoint resources)', () => {
	it('lists the resources alphabetically', () => {
		const names = resources.map((resource) => String(resource.name));
		expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
		expect(resources.map((resource) => resource.value)).toEqual(expect.arrayContaining(MDE_RESOURCES));
	});

	it.each(MDE_RESOURCES)('%s: every operation resolves its parameters, and options are sorted', (resource) => {
		const operations = operationsOf(resource);
		expect(operations.length).toBeGreaterThan(0);
		expect(operations.map((operation) => String(operation.name))).toEqual(operations.map((operation) => String(operation.name)).sort((a, b) => a.localeCompare(b)));
		for (const operation of operations) {
			const values = NodeHelpers.getNodeParameters(properties, { resource, operation: operation.value }, true, false, null, null);
			expect(values).toBeTruthy();
			const shown = properties.filter((property: INodeProperties) =>
				NodeHelpers.displayParameter({ resource, operation: operation.value }, property, null, null),
			);
			expect(shown.length).toBeGreaterThan(1);
		}
	});

	it('asks for a comment on every response action, defaulting to the workflow and execution', () => {
		for (const operation of operationsOf('responseAction')) {
			const comment = properties.find(
				(property) => property.name === 'comment' && property.displayOptions?.show?.resource?.includes('responseAction') && property.displayOptions?.show?.operation?.includes(operation.value as string),
			);
			expect(comment).toMatchObject({ required: true, default: expect.stringContaining('$workflow.name') });
		}
	});
});
