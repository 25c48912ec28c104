import { NodeHelpers, type INode, type INodeParameters, type INodePropertyOptions } from 'n8n-workflow';

import { Microsoft365Defender } from '../../nodes/Microsoft365Defender/Microsoft365Defender.node';

/** The parameters the editor shows for an operation, in order, as n8n decides it. */
const nodeType = new Microsoft365Defender();
const { properties } = nodeType.description;
const resources = (properties.find((property) => property.name === 'resource')?.options ?? []) as INodePropertyOptions[];

function shown(resource: string, operation: string): string[] {
	const parameters: INodeParameters = { resource, operation };
	const node: INode = { id: 'n', name: 'Defender', type: nodeType.description.name, typeVersion: 1.1, position: [0, 0], parameters };
	const filled = NodeHelpers.getNodeParameters(properties, parameters, true, false, node, nodeType.description) ?? {};
	return properties.filter((property) => NodeHelpers.displayParameter(filled, property, node, nodeType.description)).map((property) => property.name);
}

describe('parameter order, as in n8n\'s own nodes', () => {
	const operations = resources.flatMap((resource) => {
		const selector = properties.find((property) => property.name === 'operation' && property.displayOptions?.show?.resource?.includes(resource.value));
		return ((selector?.options ?? []) as INodePropertyOptions[]).map((operation) => [String(resource.value), String(operation.value)] as const);
	});

	it('Simplify comes before Options in every operation that has both, and Request Options last', () => {
		let both = 0;
		for (const [resource, operation] of operations) {
			const names = shown(resource, operation);
			if (names.includes('simplify') && names.includes('options')) {
				both++;
				expect({ resource, operation, simplifyFirst: names.indexOf('simplify') < names.indexOf('options') }).toEqual({ resource, operation, simplifyFirst: true });
			}
			expect({ resource, operation, last: names[names.length - 1] }).toEqual({ resource, operation, last: 'requestOptions' });
		}
		expect(both).toBeGreaterThan(0);
	});

	it('an operation\'s own fields stay in their order, above Simplify', () => {
		const names = shown('incident', 'getAll');
		expect(names.slice(0, 3)).toEqual(['resource', 'operation', 'returnAll']);
		expect(names.indexOf('simplify')).toBeGreaterThan(names.indexOf('filters'));
	});
});
