import { NodeHelpers, type INode, type INodePropertyOptions } from 'n8n-workflow';

import { Microsoft365Defender } from '../../nodes/Microsoft365Defender/Microsoft365Defender.node';
import { Microsoft365DefenderTrigger } from '../../nodes/Microsoft365Defender/Microsoft365DefenderTrigger.node';

/**
 * An AI agent picks a tool by the description n8n derives from the operation's action
 * (NodeHelpers.getToolDescriptionForNode), so each must say what it does; containment actions
 * carry a Tool Description (descriptions/toolDescription.ts) that says they act on a real device.
 */
const nodeType = new Microsoft365Defender();
const { properties } = nodeType.description;
const resources = (properties.find((property) => property.name === 'resource')?.options ?? []) as INodePropertyOptions[];

const operations = resources.flatMap((resource) => {
	const selector = properties.find((property) => property.name === 'operation' && property.displayOptions?.show?.resource?.includes(resource.value));
	return ((selector?.options ?? []) as INodePropertyOptions[]).map((operation) => ({ resource: String(resource.value), operation: String(operation.value), action: operation.action }));
});

/**
 * What an agent is told, as n8n does it: the tool variant of the node is named `<name>Tool`
 * (n8n's convertNodeToAiTool), the workflow fills in each displayed parameter's default
 * (NodeHelpers.getNodeParameters, as the Workflow constructor does), and
 * NodeHelpers.getToolDescriptionForNode reads the result.
 */
function toolDescription(resource: string, operation: string, asTool = true): string {
	const description = { ...nodeType.description, name: asTool ? `${nodeType.description.name}Tool` : nodeType.description.name };
	const node: INode = {
		id: 'tool',
		name: 'Defender',
		type: description.name,
		typeVersion: 1.1,
		position: [0, 0],
		parameters: { resource, operation },
	};
	node.parameters = NodeHelpers.getNodeParameters(description.properties, node.parameters, true, false, node, description) ?? {};
	return NodeHelpers.getToolDescriptionForNode(node, { ...nodeType, description });
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
		expect(toolDescription('incident', 'update')).toBe('Update an incident in Microsoft 365 Defender');
		expect(toolDescription('responseAction', 'runAntivirusScan')).toBe('Run a quick or full antivirus scan on a device in Microsoft 365 Defender');
	});

	const containment = ['isolate', 'releaseFromIsolation', 'offboard', 'restrictAppExecution', 'removeAppRestriction', 'stopAndQuarantineFile'];
	const accountContainment = ['disable', 'enable', 'forcePasswordReset', 'revokeAllSessions', 'requireSignInAgain', 'markAsCompromised', 'dismissRisk'];

	it('an agent is told that every containment action acts on a real device, and that Offboard cannot be undone', () => {
		for (const operation of containment) {
			expect({ operation, description: toolDescription('responseAction', operation) }).toEqual({
				operation,
				description: expect.stringMatching(/Acts on a real device.*\(Microsoft 365 Defender\)$/),
			});
		}
		expect(toolDescription('responseAction', 'isolate')).toBe(
			'Isolate a device from the network. Acts on a real device: it stays cut off (except from Defender) until released. (Microsoft 365 Defender)',
		);
		expect(toolDescription('responseAction', 'offboard')).toMatch(/cannot be undone through the API/);
	});

	it('the canvas gets short action names (n8n names a node added from the panel by its action)', () => {
		const actions = Object.fromEntries(operations.map((entry) => [`${entry.resource}.${entry.operation}`, entry.action]));
		expect(actions['responseAction.isolate']).toBe('Isolate a device');
		expect(actions['responseAction.offboard']).toBe('Offboard a device');
		for (const [key, action] of Object.entries(actions)) {
			expect({ key, action, short: String(action).length <= 60 && !/[()]/.test(String(action)) }).toEqual({ key, action, short: true });
		}
	});

	it('the Tool Description is only on the tool variant, and left empty it is n8n\'s automatic one', () => {
		const plain = NodeHelpers.getNodeParameters(nodeType.description.properties, { resource: 'responseAction', operation: 'isolate' }, true, false, null, nodeType.description);
		expect(plain).not.toHaveProperty('toolDescription');
		expect(toolDescription('alert', 'get')).toBe(`${operations.find((entry) => entry.resource === 'alert' && entry.operation === 'get')?.action} in Microsoft 365 Defender`);
		const fields = nodeType.description.properties.filter((property) => property.name === 'toolDescription');
		// One field per containment action with its note (devices, accounts, Email Remediate), one for the rest.
		expect(fields.length).toBe(containment.length + accountContainment.length + 1 + 1);
		for (const field of fields) expect(field.displayOptions?.show?.['@tool']).toEqual([true]);
	});

	it('every account or mailbox containment says it acts on a real account or mailboxes', () => {
		for (const operation of accountContainment) {
			expect({ operation, description: toolDescription('user', operation) }).toEqual({ operation, description: expect.stringMatching(/Acts on a real account.*\(Microsoft 365 Defender\)$/) });
		}
		expect(toolDescription('email', 'remediate')).toMatch(/Acts on real mailboxes/);
		expect(toolDescription('user', 'getIdentityAccounts')).not.toMatch(/acts on/);
	});

	it('the node falls back to a description that covers what it does', () => {
		expect(nodeType.description.description).toMatch(/incidents.*alerts.*hunt.*devices/i);
	});

	it('the nodes panel, which shows the trigger\'s description on the merged entry, opens with the node\'s own', () => {
		const trigger = new Microsoft365DefenderTrigger().description.description;
		expect(trigger.startsWith(nodeType.description.description)).toBe(true);
		expect(trigger).toMatch(/starts a workflow when incidents or alerts are created or updated$/);
	});
});
