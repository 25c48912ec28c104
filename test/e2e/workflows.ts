/**
 * Credentials and workflows the e2e suite imports into a real n8n. Few workflows with many
 * branches: every `n8n execute` costs a process start (~4-6 s).
 */
import { readFileSync } from 'node:fs';

import type { EmulatorInfo } from '../../scripts/lib/emulator.cjs';

export const NODE_TYPE = 'n8n-nodes-microsoft-365-defender.microsoft365Defender';
export const CREDENTIAL_TYPE = 'microsoft365DefenderApi';

export const CREDENTIAL_IDS = {
	full: 'e2eCredFull00001',
	expired: 'e2eCredExpired01',
	readOnly: 'e2eCredReadOnly1',
	certificate: 'e2eCredCertific1',
} as const;

export const WORKFLOW_IDS = {
	operations: 'e2eWfOperations01',
	expiredFails: 'e2eWfExpiredFail1',
	readOnlyFails: 'e2eWfReadOnlyFail',
} as const;

type CredentialKey = keyof typeof CREDENTIAL_IDS;

const CREDENTIAL_NAMES: Record<CredentialKey, string> = {
	full: 'Defender e2e (full access)',
	expired: 'Defender e2e (expired secret)',
	readOnly: 'Defender e2e (read-only)',
	certificate: 'Defender e2e (certificate)',
};

export interface E2ECredential {
	id: string;
	name: string;
	type: string;
	data: Record<string, string>;
}

function app(info: EmulatorInfo, key: string) {
	const found = info.apps[key];
	if (!found) throw new Error(`The emulator reported no "${key}" app: ${JSON.stringify(Object.keys(info.apps))}`);
	return found;
}

function pemFrom(value: unknown, pathValue: unknown): string | undefined {
	if (typeof value === 'string' && value.includes('-----BEGIN')) return value;
	if (typeof pathValue === 'string') return readFileSync(pathValue, 'utf8');
	return undefined;
}

export function buildCredentials(info: EmulatorInfo, clientCertificateDir: string): E2ECredential[] {
	const endpoints = {
		environment: 'custom',
		loginHost: info.loginHost,
		graphUrl: info.graphUrl,
		mdeUrl: info.mdeUrl,
		tenantId: info.tenantId,
	};
	const secretCredential = (key: CredentialKey, appKey: string): E2ECredential => {
		const registration = app(info, appKey);
		return {
			id: CREDENTIAL_IDS[key],
			name: CREDENTIAL_NAMES[key],
			type: CREDENTIAL_TYPE,
			data: {
				...endpoints,
				clientId: registration.clientId,
				authentication: 'clientSecret',
				clientSecret: String(registration.clientSecret),
			},
		};
	};
	const certificateApp = app(info, 'certificate');
	const privateKey =
		pemFrom(certificateApp.privateKeyPem ?? certificateApp.privateKey, certificateApp.keyPath ?? certificateApp.privateKeyPath) ??
		readFileSync(`${clientCertificateDir}/client-key.pem`, 'utf8');
	const certificate =
		pemFrom(certificateApp.certificatePem ?? certificateApp.certificate, certificateApp.certPath ?? certificateApp.certificatePath) ??
		readFileSync(`${clientCertificateDir}/client-cert.pem`, 'utf8');
	return [
		secretCredential('full', 'full'),
		secretCredential('expired', 'expiredSecret'),
		secretCredential('readOnly', 'readOnly'),
		{
			id: CREDENTIAL_IDS.certificate,
			name: CREDENTIAL_NAMES.certificate,
			type: CREDENTIAL_TYPE,
			data: { ...endpoints, clientId: certificateApp.clientId, authentication: 'certificate', privateKey, certificate },
		},
	];
}

interface WorkflowNode {
	id: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
	onError?: 'continueRegularOutput' | 'continueErrorOutput' | 'stopWorkflow';
}

class WorkflowBuilder {
	private readonly nodes: WorkflowNode[] = [];
	private readonly connections: Record<string, { main: Array<Array<{ node: string; type: 'main'; index: number }>> }> = {};
	private row = 0;

	constructor(
		private readonly id: string,
		private readonly name: string,
	) {
		this.add({ name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, parameters: {} }, [0, 0]);
	}

	private add(node: Omit<WorkflowNode, 'id' | 'position'>, position: [number, number]): string {
		this.nodes.push({ id: `${this.id}-${this.nodes.length + 1}`, position, ...node });
		return node.name;
	}

	private connect(from: string, to: string): void {
		this.connections[from] ??= { main: [[]] };
		this.connections[from].main[0].push({ node: to, type: 'main', index: 0 });
	}

	/** A new branch from the trigger: a chain of nodes, each fed by the one before. */
	branch(...chain: Array<Omit<WorkflowNode, 'id' | 'position'>>): this {
		const y = this.row++ * 200;
		let previous = 'Start';
		chain.forEach((node, index) => {
			const name = this.add(node, [240 * (index + 1), y]);
			this.connect(previous, name);
			previous = name;
		});
		return this;
	}

	/** A node fed by an existing node (a fan-out next to the chain). */
	after(parent: string, node: Omit<WorkflowNode, 'id' | 'position'>): this {
		const parentNode = this.nodes.find((candidate) => candidate.name === parent);
		if (!parentNode) throw new Error(`No node ${parent}`);
		this.add(node, [parentNode.position[0] + 240, parentNode.position[1] + 100]);
		this.connect(parent, node.name);
		return this;
	}

	build() {
		return {
			id: this.id,
			name: this.name,
			active: false,
			nodes: this.nodes,
			connections: this.connections,
			settings: { executionOrder: 'v1' },
			pinData: {},
		};
	}
}

const byId = (value: string) => ({ __rl: true, mode: 'id', value });

function defender(
	name: string,
	credential: CredentialKey,
	parameters: Record<string, unknown>,
	continueOnFail = false,
): Omit<WorkflowNode, 'id' | 'position'> {
	return {
		name,
		type: NODE_TYPE,
		typeVersion: 1,
		parameters,
		credentials: { [CREDENTIAL_TYPE]: { id: CREDENTIAL_IDS[credential], name: CREDENTIAL_NAMES[credential] } },
		...(continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
	};
}

function httpRequest(name: string, url: string, continueOnFail = false): Omit<WorkflowNode, 'id' | 'position'> {
	return {
		name,
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		parameters: {
			method: 'GET',
			url,
			authentication: 'predefinedCredentialType',
			nodeCredentialType: CREDENTIAL_TYPE,
			options: {},
		},
		credentials: { [CREDENTIAL_TYPE]: { id: CREDENTIAL_IDS.full, name: CREDENTIAL_NAMES.full } },
		...(continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
	};
}

export const HUNTING_QUERY =
	'DeviceProcessEvents | where FileName =~ "powershell.exe" | project Timestamp, DeviceName, AccountName, ProcessCommandLine | take 25';

export const E2E_COMMENT = 'Checked by the n8n end-to-end test';
export const E2E_ASSIGNEE = 'e2e.analyst@contoso.com';

/** Node names the tests read results from. */
export const N = {
	incidentFirst: 'Incidents: first one',
	incidentGet: 'Incident: get',
	incidentUpdate: 'Incident: update',
	incidentComment: 'Incident: add comment',
	incidentsAll: 'Incidents: return all',
	incidentsFiltered: 'Incidents: high + active',
	alertFirst: 'Alerts: first one',
	alertGet: 'Alert: get',
	alertUpdate: 'Alert: update',
	alertComment: 'Alert: add comment',
	alertsFiltered: 'Alerts: high, limit 5',
	huntRows: 'Hunting: rows',
	huntTable: 'Hunting: table',
	httpGraph: 'HTTP Request: Graph',
	httpForeign: 'HTTP Request: foreign host',
	readOnlyUpdate: 'Read-only: update incident',
	expiredContinue: 'Expired secret: get many',
	certificateList: 'Certificate: get many',
	readOnlyList: 'Read-only: get many',
} as const;

export function buildWorkflows(info: EmulatorInfo, foreignUrl: string) {
	const operations = new WorkflowBuilder(WORKFLOW_IDS.operations, 'e2e: every operation')
		.branch(
			defender(N.incidentFirst, 'full', { resource: 'incident', operation: 'getAll', returnAll: false, limit: 1 }),
			defender(N.incidentGet, 'full', {
				resource: 'incident',
				operation: 'get',
				incidentId: byId('={{ $json.id }}'),
				options: { includeAlerts: true },
			}),
			defender(N.incidentUpdate, 'full', {
				resource: 'incident',
				operation: 'update',
				incidentId: byId('={{ $json.id }}'),
				updateFields: {
					status: 'inProgress',
					assignedTo: E2E_ASSIGNEE,
					classification: 'truePositive',
					determination: 'malware',
					customTags: 'n8n-e2e, reviewed',
					customTagsMode: 'add',
				},
			}),
			defender(N.incidentComment, 'full', {
				resource: 'incident',
				operation: 'addComment',
				incidentId: byId('={{ $json.id }}'),
				comment: E2E_COMMENT,
			}),
		)
		.after(
			N.incidentFirst,
			defender(
				N.readOnlyUpdate,
				'readOnly',
				{ resource: 'incident', operation: 'update', incidentId: byId('={{ $json.id }}'), updateFields: { status: 'resolved' } },
				true,
			),
		)
		.branch(defender(N.incidentsAll, 'full', { resource: 'incident', operation: 'getAll', returnAll: true }))
		.branch(
			defender(N.incidentsFiltered, 'full', {
				resource: 'incident',
				operation: 'getAll',
				returnAll: true,
				filters: { severity: ['high'], status: ['active'] },
			}),
		)
		.branch(
			defender(N.alertFirst, 'full', { resource: 'alert', operation: 'getAll', returnAll: false, limit: 1 }),
			defender(N.alertGet, 'full', { resource: 'alert', operation: 'get', alertId: byId('={{ $json.id }}') }),
			defender(N.alertUpdate, 'full', {
				resource: 'alert',
				operation: 'update',
				alertId: byId('={{ $json.id }}'),
				updateFields: { status: 'inProgress', assignedTo: E2E_ASSIGNEE, classification: 'truePositive', determination: 'malware' },
			}),
			defender(N.alertComment, 'full', {
				resource: 'alert',
				operation: 'addComment',
				alertId: byId('={{ $json.id }}'),
				comment: E2E_COMMENT,
			}),
		)
		.branch(
			defender(N.alertsFiltered, 'full', {
				resource: 'alert',
				operation: 'getAll',
				returnAll: false,
				limit: 5,
				filters: { severity: ['high'] },
			}),
		)
		.branch(
			defender(N.huntRows, 'full', {
				resource: 'advancedHunting',
				operation: 'runQuery',
				query: HUNTING_QUERY,
				timespan: 'P30D',
				output: 'rows',
			}),
		)
		.branch(
			defender(N.huntTable, 'full', {
				resource: 'advancedHunting',
				operation: 'runQuery',
				query: HUNTING_QUERY,
				timespan: '',
				output: 'table',
			}),
		)
		.branch(httpRequest(N.httpGraph, `${info.graphUrl}/v1.0/security/incidents?$top=1`))
		.branch(httpRequest(N.httpForeign, foreignUrl, true))
		.branch(defender(N.expiredContinue, 'expired', { resource: 'incident', operation: 'getAll', returnAll: false, limit: 1 }, true))
		.branch(defender(N.certificateList, 'certificate', { resource: 'incident', operation: 'getAll', returnAll: false, limit: 2 }))
		.build();

	const expiredFails = new WorkflowBuilder(WORKFLOW_IDS.expiredFails, 'e2e: expired secret stops the run')
		.branch(defender(N.expiredContinue, 'expired', { resource: 'incident', operation: 'getAll', returnAll: false, limit: 1 }))
		.build();

	const readOnlyFails = new WorkflowBuilder(WORKFLOW_IDS.readOnlyFails, 'e2e: read-only app cannot update')
		.branch(
			defender(N.readOnlyList, 'readOnly', { resource: 'incident', operation: 'getAll', returnAll: false, limit: 1 }),
			defender(N.readOnlyUpdate, 'readOnly', {
				resource: 'incident',
				operation: 'update',
				incidentId: byId('={{ $json.id }}'),
				updateFields: { status: 'resolved' },
			}),
		)
		.build();

	return { operations, expiredFails, readOnlyFails };
}
