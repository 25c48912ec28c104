/**
 * Credentials and workflows the e2e suite imports into a real n8n. Few workflows with many
 * branches: every `n8n execute` costs a process start (~4-6 s).
 */
import { readFileSync } from 'node:fs';

import type { EmulatorInfo } from '../../scripts/lib/emulator.cjs';

export const NODE_TYPE = 'n8n-nodes-microsoft-365-defender.microsoft365Defender';
export const TRIGGER_TYPE = 'n8n-nodes-microsoft-365-defender.microsoft365DefenderTrigger';
export const CREDENTIAL_TYPE = 'microsoft365DefenderApi';

export const CREDENTIAL_IDS = {
	full: 'e2eCredFull00001',
	expired: 'e2eCredExpired01',
	readOnly: 'e2eCredReadOnly1',
	certificate: 'e2eCredCertific1',
	/** Full access, but to the second emulator: the one only the trigger workflow talks to. */
	trigger: 'e2eCredTrigger01',
} as const;

export const WORKFLOW_IDS = {
	operations: 'e2eWfOperations01',
	expiredFails: 'e2eWfExpiredFail1',
	readOnlyFails: 'e2eWfReadOnlyFail',
	containment: 'e2eWfContainment1',
	trigger: 'e2eWfTriggerNew01',
} as const;

type CredentialKey = keyof typeof CREDENTIAL_IDS;

const CREDENTIAL_NAMES: Record<CredentialKey, string> = {
	full: 'Defender e2e (full access)',
	expired: 'Defender e2e (expired secret)',
	readOnly: 'Defender e2e (read-only)',
	certificate: 'Defender e2e (certificate)',
	trigger: 'Defender e2e (trigger emulator)',
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

/** The emulator's hosts and tenant, as a credential with Environment "Custom" holds them. */
export function emulatorEndpoints(info: EmulatorInfo): Record<string, string> {
	return { environment: 'custom', loginHost: info.loginHost, graphUrl: info.graphUrl, mdeUrl: info.mdeUrl, tenantId: info.tenantId };
}

/** A client-secret credential's data for one of the emulator's apps (`extra`: e.g. rateLimits). */
export function emulatorSecretData(info: EmulatorInfo, appKey = 'full', extra: Record<string, string> = {}): Record<string, string> {
	const registration = app(info, appKey);
	return { ...emulatorEndpoints(info), clientId: registration.clientId, authentication: 'clientSecret', clientSecret: String(registration.clientSecret), ...extra };
}

function pemFrom(value: unknown, pathValue: unknown): string | undefined {
	if (typeof value === 'string' && value.includes('-----BEGIN')) return value;
	if (typeof pathValue === 'string') return readFileSync(pathValue, 'utf8');
	return undefined;
}

export function buildCredentials(info: EmulatorInfo, clientCertificateDir: string): E2ECredential[] {
	const secretCredential = (key: CredentialKey, appKey: string): E2ECredential => ({
		id: CREDENTIAL_IDS[key],
		name: CREDENTIAL_NAMES[key],
		type: CREDENTIAL_TYPE,
		data: emulatorSecretData(info, appKey),
	});
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
			data: { ...emulatorEndpoints(info), clientId: certificateApp.clientId, authentication: 'certificate', privateKey, certificate },
		},
	];
}

/** The credential of the trigger workflow: full access to the second emulator. */
export function buildTriggerCredential(triggerInfo: EmulatorInfo): E2ECredential {
	return { id: CREDENTIAL_IDS.trigger, name: CREDENTIAL_NAMES.trigger, type: CREDENTIAL_TYPE, data: emulatorSecretData(triggerInfo) };
}

export interface WorkflowNode {
	id: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
	onError?: 'continueRegularOutput' | 'continueErrorOutput' | 'stopWorkflow';
}

export class WorkflowBuilder {
	private readonly nodes: WorkflowNode[] = [];
	private readonly connections: Record<string, { main: Array<Array<{ node: string; type: 'main'; index: number }>> }> = {};
	private row = 0;
	private startName = 'Start';

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

	/** Replaces the Manual Trigger by another start node, e.g. a polling trigger (before any branch). */
	startWith(node: Omit<WorkflowNode, 'id' | 'position'>): this {
		const start = this.nodes[0];
		Object.assign(start, node, { id: start.id, position: start.position });
		this.startName = node.name;
		return this;
	}

	/** A new branch from the trigger: a chain of nodes, each fed by the one before. */
	branch(...chain: Array<Omit<WorkflowNode, 'id' | 'position'>>): this {
		const y = this.row++ * 200;
		let previous = this.startName;
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

export const byId = (value: string) => ({ __rl: true, mode: 'id', value });

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

export function n8nNode(name: string, type: string, typeVersion: number, parameters: Record<string, unknown>): Omit<WorkflowNode, 'id' | 'position'> {
	return { name, type: `n8n-nodes-base.${type}`, typeVersion, parameters };
}

export const HUNTING_QUERY =
	'DeviceProcessEvents | where FileName =~ "powershell.exe" | project Timestamp, DeviceName, AccountName, ProcessCommandLine | take 25';

export const E2E_COMMENT = 'Checked by the n8n end-to-end test';
export const E2E_ASSIGNEE = 'e2e.analyst@contoso.com';

/** Node names the tests read results from. */
export const N = {
	incidentFirst: 'Incidents: first one',
	incidentGet: 'Incident: get',
	incidentGetSimplified: 'Incident: get (node version 1.1)',
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
	hostIdentityOff: 'Managed identity, administrator variable off',
	certificateList: 'Certificate: get many',
	readOnlyList: 'Read-only: get many',
	devicesFirst: 'Devices: first two',
	indicatorCreate: 'Indicator: create',
	indicatorDelete: 'Indicator: delete',
} as const;

/** An IP address from TEST-NET-3 (RFC 5737): blocked and unblocked again by the smoke branch. */
export const E2E_INDICATOR_IP = '203.0.113.77';
export const E2E_INDICATOR_TITLE = 'n8n e2e smoke indicator';

/**
 * The containment playbook (issue 4): incidents of a queue -> the devices of their alerts ->
 * Isolate with Wait for Completion -> a comment on the incident for each isolated device.
 */
export const CONTAINMENT_ASSIGNEE = 'containment.e2e@contoso.com';
export const P = {
	incidents: 'Get Incidents',
	devices: 'Devices of their alerts',
	split: 'One item per device',
	isolate: 'Isolate device',
	comment: 'Comment on incident',
} as const;
export const CONTAINMENT_COMMENT_PREFIX = 'Contained by n8n for incident ';

/** The trigger workflow (issue 5): New Incident every minute -> a No Op node to read the items from. */
export const T = { trigger: 'New incident', received: 'Received' } as const;

export function buildTriggerWorkflow() {
	return new WorkflowBuilder(WORKFLOW_IDS.trigger, 'e2e: trigger on new incidents')
		.startWith({
			name: T.trigger,
			type: TRIGGER_TYPE,
			typeVersion: 1,
			parameters: {
				pollTimes: { item: [{ mode: 'everyMinute' }] },
				event: 'newIncident',
				filters: {},
				options: { includeAlerts: true },
			},
			credentials: { [CREDENTIAL_TYPE]: { id: CREDENTIAL_IDS.trigger, name: CREDENTIAL_NAMES.trigger } },
		})
		.branch(n8nNode(T.received, 'noOp', 1, {}))
		.build();
}

/**
 * `hostIdentityCredential`: a managed-identity credential, used here in an n8n process without
 * N8N_DEFENDER_SYSTEM_IDENTITY_ACCESS_ENABLED (the credential lane's n8n start has it on).
 */
export function buildWorkflows(info: EmulatorInfo, foreignUrl: string, hostIdentityCredential: { id: string; name: string }) {
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
		.after(N.incidentFirst, {
			...defender(N.incidentGetSimplified, 'full', {
				resource: 'incident',
				operation: 'get',
				incidentId: byId('={{ $json.id }}'),
				options: { includeAlerts: true },
			}),
			typeVersion: 1.1,
		})
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
		.branch({
			...defender(N.hostIdentityOff, 'full', { resource: 'incident', operation: 'getAll', returnAll: false, limit: 1 }, true),
			credentials: { [CREDENTIAL_TYPE]: hostIdentityCredential },
		})
		.branch(defender(N.certificateList, 'certificate', { resource: 'incident', operation: 'getAll', returnAll: false, limit: 2 }))
		// Defender for Endpoint (its own token audience) in the same run.
		.branch(defender(N.devicesFirst, 'full', { resource: 'device', operation: 'getAll', returnAll: false, limit: 2, filters: {} }))
		.branch(
			defender(N.indicatorCreate, 'full', {
				resource: 'indicator',
				operation: 'createOrUpdate',
				indicatorValue: E2E_INDICATOR_IP,
				indicatorType: 'auto',
				action: 'Block',
				title: E2E_INDICATOR_TITLE,
				description: 'Added and removed again by the n8n end-to-end test',
				additionalFields: { severity: 'Low', generateAlert: false },
			}),
			defender(N.indicatorDelete, 'full', { resource: 'indicator', operation: 'delete', indicatorId: byId('={{ $json.id }}') }),
		)
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

	const isolationEvidence = "$json.alerts.flatMap(alert => alert.evidence).filter(evidence => evidence['@odata.type'] === '#microsoft.graph.security.deviceEvidence')";
	const containment = new WorkflowBuilder(WORKFLOW_IDS.containment, 'e2e: contain the devices of an incident queue')
		.branch(
			defender(P.incidents, 'full', {
				resource: 'incident',
				operation: 'getAll',
				returnAll: true,
				filters: { assignedTo: CONTAINMENT_ASSIGNEE, status: ['active'] },
				options: { includeAlerts: true },
			}),
			n8nNode(P.devices, 'set', 3.4, {
				mode: 'manual',
				assignments: {
					assignments: [
						{ id: 'incident-id', name: 'incidentId', value: '={{ $json.id }}', type: 'string' },
						{
							id: 'device-ids',
							name: 'deviceIds',
							// Each device once, in the order the alerts name them.
							value: `={{ ${isolationEvidence}.map(evidence => evidence.mdeDeviceId).filter((id, index, all) => id && all.indexOf(id) === index) }}`,
							type: 'array',
						},
					],
				},
				includeOtherFields: false,
				options: {},
			}),
			n8nNode(P.split, 'splitOut', 1, {
				fieldToSplitOut: 'deviceIds',
				include: 'selectedOtherFields',
				fieldsToInclude: 'incidentId',
				options: { destinationFieldName: 'deviceId' },
			}),
			defender(P.isolate, 'full', {
				resource: 'responseAction',
				operation: 'isolate',
				deviceId: byId('={{ $json.deviceId }}'),
				isolationType: 'Full',
				comment: `={{ "${CONTAINMENT_COMMENT_PREFIX}" + $('${P.incidents}').item.json.id }}`,
				waitForCompletion: true,
				pollIntervalSeconds: 1,
				waitTimeoutSeconds: 60,
				options: {},
			}),
			defender(P.comment, 'full', {
				resource: 'incident',
				operation: 'addComment',
				incidentId: byId(`={{ $('${P.incidents}').item.json.id }}`),
				comment: '={{ "Isolated device " + $json.machineId + " (machine action " + $json.id + "): " + ($json.wait.finalStatus ?? "not finished, last status " + $json.wait.lastStatus) }}',
			}),
		)
		.build();

	return { operations, expiredFails, readOnlyFails, containment };
}

/**
 * Operator control (the "Operator control" issue): Stop must stop, the HTTP Request node must not
 * carry the token across a redirect to another origin, and every call honours HTTPS_PROXY.
 * The stop and redirect workflows run on their own emulator (strict, documented limits), under
 * `n8n start`, driven through n8n's REST API (control-lane.ts).
 */
export const CONTROL_CREDENTIAL = { id: 'e2eCredControl01', name: 'Defender e2e (operator control, documented limits)' } as const;
export const CONTROL_WORKFLOW_IDS = {
	stopScans: 'e2eWfStopScans01',
	redirect: 'e2eWfRedirect001',
	proxy: 'e2eWfViaProxy001',
} as const;
/** How many devices the stop workflow scans, one request each. */
export const STOP_SCAN_DEVICES = 60;
/**
 * Items Processed at Once for the scan node. The default (100) sends all 60 POSTs within
 * milliseconds, before any Stop could arrive; two at a time, with the emulator's latency, the scans
 * take ~12 s, so a Stop that does not reach the node shows as scans arriving after it.
 */
export const STOP_SCAN_CONCURRENCY = 2;
export const C = {
	devices: 'Devices to scan',
	split: 'One item per device',
	scan: 'Run antivirus scan',
	redirect: 'HTTP Request: Graph (redirected)',
	proxyIncidents: 'Via proxy: incidents',
	proxyDevices: 'Via proxy: devices',
} as const;
export const STOP_SCAN_COMMENT = 'e2e: the operator stops this run';

/** Full access to the control emulator, with the Client-Side Rate Limits at Microsoft's documented values. */
export function buildControlCredential(controlInfo: EmulatorInfo): E2ECredential {
	return { id: CONTROL_CREDENTIAL.id, name: CONTROL_CREDENTIAL.name, type: CREDENTIAL_TYPE, data: emulatorSecretData(controlInfo, 'full', { rateLimits: 'documented' }) };
}

/**
 * Manual Trigger -> one item per device (Set + Split Out: no Code node, so no task runner) ->
 * Run Antivirus Scan on each, without waiting: one POST per item, STOP_SCAN_CONCURRENCY at a time.
 */
export function buildStopScansWorkflow(deviceIds: string[]) {
	const credentials = { [CREDENTIAL_TYPE]: { id: CONTROL_CREDENTIAL.id, name: CONTROL_CREDENTIAL.name } };
	return new WorkflowBuilder(CONTROL_WORKFLOW_IDS.stopScans, 'e2e: scan 60 devices (the operator stops it)')
		.branch(
			n8nNode(C.devices, 'set', 3.4, {
				mode: 'manual',
				assignments: {
					assignments: [{ id: 'device-ids', name: 'deviceIds', value: `={{ ${JSON.stringify(deviceIds)} }}`, type: 'array' }],
				},
				includeOtherFields: false,
				options: {},
			}),
			n8nNode(C.split, 'splitOut', 1, { fieldToSplitOut: 'deviceIds', include: 'noOtherFields', options: { destinationFieldName: 'deviceId' } }),
			{
				name: C.scan,
				type: NODE_TYPE,
				typeVersion: 1,
				parameters: {
					resource: 'responseAction',
					operation: 'runAntivirusScan',
					deviceId: byId('={{ $json.deviceId }}'),
					scanType: 'Quick',
					comment: STOP_SCAN_COMMENT,
					waitForCompletion: false,
					options: {},
					// Two at a time (the option "Items Processed at Once"), so the 60 scans take a while.
					requestOptions: { concurrency: STOP_SCAN_CONCURRENCY },
				},
				credentials,
			},
		)
		.build();
}

/** n8n's HTTP Request node (4.2, predefined credential type) calling the control emulator's Graph. */
export function buildRedirectWorkflow(controlInfo: EmulatorInfo) {
	return new WorkflowBuilder(CONTROL_WORKFLOW_IDS.redirect, 'e2e: HTTP Request node, Graph answers with a redirect to another origin')
		.branch({
			...httpRequest(C.redirect, `${controlInfo.graphUrl}/v1.0/security/incidents?$top=1`, true),
			credentials: { [CREDENTIAL_TYPE]: { id: CONTROL_CREDENTIAL.id, name: CONTROL_CREDENTIAL.name } },
		})
		.build();
}

/** Graph (incidents) and Defender for Endpoint (devices) calls, run with HTTPS_PROXY set (main emulator). */
export function buildProxyWorkflow() {
	return new WorkflowBuilder(CONTROL_WORKFLOW_IDS.proxy, 'e2e: Graph and Defender for Endpoint through an HTTPS proxy')
		.branch(defender(C.proxyIncidents, 'full', { resource: 'incident', operation: 'getAll', returnAll: false, limit: 2 }))
		.branch(defender(C.proxyDevices, 'full', { resource: 'device', operation: 'getAll', returnAll: false, limit: 2, filters: {} }))
		.build();
}
