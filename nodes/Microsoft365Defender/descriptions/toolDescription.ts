import type { INodeProperties } from 'n8n-workflow';

/**
 * What an AI agent is told a tool does. n8n derives it from the operation's action ("{action} in
 * {node name}", NodeHelpers.getToolDescriptionForNode), and the action is also the name a node
 * added from the nodes panel gets, so actions stay short. Where the short name leaves out what an
 * agent must know before it calls the tool, the node's tool variant (the `@tool` display option)
 * has a Tool Description that says it, editable like n8n's own. With a node description that
 * holds `toolDescription`, n8n adds none of its own: one field without a default covers every
 * other operation, and left empty, n8n's automatic description applies.
 */
const AGENT_NOTES: Record<string, Record<string, string>> = {
	responseAction: {
		isolate: 'Isolate a device from the network. Acts on a real device: it stays cut off (except from Defender) until released.',
		releaseFromIsolation: 'Release a device from isolation. Acts on a real device: it reconnects to the network.',
		restrictAppExecution: 'Restrict a device to Microsoft-signed apps. Acts on a real device: every other application is blocked until the restriction is removed.',
		removeAppRestriction: 'Remove the app restriction of a device. Acts on a real device: all applications may run again.',
		stopAndQuarantineFile: 'Stop and quarantine a file by SHA-1 on a device. Acts on a real device: the file\'s processes are stopped.',
		offboard: 'Offboard a device from Defender for Endpoint. Acts on a real device and cannot be undone through the API: the device stops reporting until it is onboarded again by hand.',
	},
	user: {
		disable: "Disable a user's account in Entra ID, Active Directory or Okta. Acts on a real account: the person cannot sign in until it is enabled again.",
		dismissRisk: "Dismiss a user's risk in Entra ID Protection. Acts on a real account: its risk level becomes none, so risk-based policies stop applying to it.",
		enable: "Enable a user's disabled account again. Acts on a real account: it can sign in again.",
		forcePasswordReset: 'Force a user to change their password at the next sign-in. Acts on a real account.',
		markAsCompromised: 'Mark a user as compromised in Entra ID Protection. Acts on a real account: its risk becomes high and risk policies apply.',
		requireSignInAgain: 'Require a user to sign in again on every device. Acts on a real account: its sessions and refresh tokens end.',
		revokeAllSessions: "Revoke all of a user's active sessions. Acts on a real account: the person is signed out everywhere.",
	},
	email: {
		remediate: "Remediate emails in users' mailboxes (soft or hard delete, move to junk, deleted items or inbox). Acts on real mailboxes: a hard delete cannot be undone.",
	},
};

const NODE_NAME = 'Microsoft 365 Defender';

/** The Tool Description an agent is given for an operation with a note, or undefined. */
export function agentNote(resource: string, operation: string): string | undefined {
	const note = AGENT_NOTES[resource]?.[operation];
	return note === undefined ? undefined : `${note} (${NODE_NAME})`;
}

function toolDescriptionField(value: string, description: string, displayOptions: INodeProperties['displayOptions']): INodeProperties {
	return { displayName: 'Tool Description', name: 'toolDescription', type: 'string', typeOptions: { rows: 2 }, default: value, description, displayOptions };
}

export const toolDescriptionProperties: INodeProperties[] = [
	...Object.entries(AGENT_NOTES).flatMap(([resource, notes]) =>
		Object.keys(notes).map((operation) =>
			toolDescriptionField(
				agentNote(resource, operation) ?? '',
				'What the AI agent is told this tool does. This action acts on a real device, account or mailbox, so the default says so.',
				{ show: { '@tool': [true], resource: [resource], operation: [operation] } },
			),
		),
	),
	toolDescriptionField('', "What the AI agent is told this tool does. Left empty, n8n's automatic description applies: the action and the node's name.", {
		show: { '@tool': [true] },
		hide: { operation: Object.values(AGENT_NOTES).flatMap((notes) => Object.keys(notes)) },
	}),
];
