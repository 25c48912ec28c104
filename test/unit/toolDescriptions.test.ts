import { NodeHelpers, type INode, type INodePropertyOptions } from 'n8n-workflow';

import { Microsoft365Defender } from '../../nodes/Microsoft365Defender/Microsoft365Defender.node';

/**
 * An AI agent picks a tool by the description n8n derives from the operation's action
 * (NodeHelpers.getToolDescriptionForNode), so each must say what it does and, for containment,
 * that it acts on a real device.
 */
const nodeType = new Microsoft365Defender();
const { properties } = nodeType.description;
const resources = (properties.find((property) => property.name === 'resource')?.options ?? []) as INodePropertyOptions[];

const operations = resources.flatMap((resource) => {
	const selector = properties.find((property) => property.name === 'operation' && property.displayOptions?.show?.resource?.includes(resource.value));
	return ((selector?.options ?? []) as INodePropertyOptions[]).map((operation) => ({ resource: String(resource.value), operation: String(operation.value), action: operation.action }));
});

function toolDescription(resource: string, operation: string): string {
	const node: INode = {
		id: 'tool',
		name: 'Defender',
		type: 'microsoft365Defender',
		typeVersion: 1.1,
		position: [0, 0],
		parameters: { resource, operation, descriptionType: 'auto' },
	};
	return NodeHelpers.getToolDescriptionForNode(node, nodeType);
}

describe('descriptions AI agents choose tools by', () => {
	it('every operation has an action of its own', () => {
		expect(operations.length).toBeGreaterThan(30);
		for (const { resource, operation, action } of operations) {
			expect({ resource, operation, hasAction: typeof action === 'string' && action.length > 8 }).toEqual({ resource, operation, hasAction: true });
		}
		const actions = operations.map((entry) => entry.action);
		expect(new Set(actions).size).toBe(actions.length);
	});

	it('the derived tool description names the operation and the product', () => {
		expect(toolDescription('incident', 'update')).toBe(
			'Update an incident: change status, owner, classification, determination or tags in Microsoft 365 Defender',
		);
		expect(toolDescription('responseAction', 'isolate')).toBe('Isolate a device from the network (acts on a real device) in Microsoft 365 Defender');
	});

	it('every containment action says it acts on a real device', () => {
		const containment = ['isolate', 'releaseFromIsolation', 'offboard', 'restrictAppExecution', 'removeAppRestriction', 'stopAndQuarantineFile'];
		for (const operation of containment) {
			expect({ operation, description: toolDescription('responseAction', operation) }).toEqual({
				operation,
				description: expect.stringContaining('acts on a real device'),
			});
		}
		expect(toolDescription('responseAction', 'offboard')).toMatch(/not undone/);
	});

	it('every account or mailbox containment says it acts on a real account or mailboxes', () => {
		for (const operation of ['disable', 'enable', 'forcePasswordReset', 'revokeAllSessions', 'requireSignInAgain', 'markAsCompromised', 'dismissRisk']) {
			expect({ operation, description: toolDescription('user', operation) }).toEqual({ operation, description: expect.stringContaining('acts on a real account') });
		}
		expect(toolDescription('email', 'remediate')).toMatch(/acts on real mailboxes/);
		expect(toolDescription('user', 'getIdentityAccounts')).not.toMatch(/acts on/);
	});

	it('the node falls back to a description that covers what it does', () => {
		expect(nodeType.description.description).toMatch(/incidents.*alerts.*hunt.*devices/i);
	});
});
