/**
 * The credential's authentication methods, permission report and multi-tenant use in the real
 * n8n (the "Credential" issue), against an emulator of their own. It runs inside the control
 * lane's `n8n start` (control-lane.ts), after the stop check, so CI starts no extra n8n:
 *
 *  - that n8n process has the App Service managed identity environment (IDENTITY_ENDPOINT,
 *    IDENTITY_HEADER: the emulator's endpoint) and AZURE_FEDERATED_TOKEN_FILE set, as Azure and
 *    AKS workload identity set them;
 *  - the emulator issues tokens that live 120 s, under msal-node's 5-minute renewal margin, so
 *    every token request reaches the emulator's token endpoint and reads the token file anew;
 *  - each workflow is run with the editor's "Execute workflow" call and read back when done;
 *  - the credential dialog's Test is n8n's `POST /rest/credentials/test` with the credential
 *    (n8n 2.40.7, packages/cli/src/credentials/credentials.controller.ts, TestCredentialRequestDto).
 */
import { createPrivateKey } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';

import type { EmulatorInfo, LoggedRequest, RunningEmulator } from '../../scripts/lib/emulator.cjs';
import type { N8nRest } from '../../scripts/lib/n8n-rest.cjs';
import { readExecution, waitFor, type ControlExecution } from './control-lane';
import { CREDENTIAL_TYPE, NODE_TYPE, WorkflowBuilder, emulatorEndpoints, n8nNode, type E2ECredential, type WorkflowNode } from './workflows';

/** Tokens that outlive msal-node's renewal margin (300 s) by nothing: each request gets a new one. */
export const CREDENTIAL_LANE_TOKEN_LIFETIME_SECONDS = 120;
export const ENCRYPTED_KEY_PASSPHRASE = 'e2e passphrase for the encrypted key';
/** A subject the emulator's workload-identity app does not trust. */
export const UNTRUSTED_SUBJECT = 'system:serviceaccount:other:intruder';

/** The managed-identity credential, for a check in an n8n process without the administrator's variable. */
export const MANAGED_IDENTITY_CREDENTIAL = { id: 'e2eCredManagedId1', name: 'Defender e2e (managed identity)' };

export const CREDENTIAL_LANE_IDS = {
	managedIdentity: MANAGED_IDENTITY_CREDENTIAL.id,
	workloadIdentity: 'e2eCredWorkloadId',
	encryptedKey: 'e2eCredEncrypted1',
	graphReadOnly: 'e2eCredGraphRead1',
	multiTenant: 'e2eCredMultiTenan',
} as const;

type LaneCredential = keyof typeof CREDENTIAL_LANE_IDS;

const CREDENTIAL_LANE_NAMES: Record<LaneCredential, string> = {
	managedIdentity: MANAGED_IDENTITY_CREDENTIAL.name,
	workloadIdentity: 'Defender e2e (workload identity federation)',
	encryptedKey: 'Defender e2e (certificate, encrypted key)',
	graphReadOnly: 'Defender e2e (Graph read-only, no MDE roles)',
	multiTenant: 'Defender e2e (multi-tenant app)',
};

export const CREDENTIAL_LANE_WORKFLOW_IDS = {
	managedIdentity: 'e2eWfCredManaged1',
	workloadIdentity: 'e2eWfCredWorkload',
	encryptedKey: 'e2eWfCredEncrypt1',
	checkPermissions: 'e2eWfCredCheckPerm',
	tenants: 'e2eWfCredTenants1',
} as const;

/** Node names the checks read. */
export const CL = {
	incidents: 'Incidents: get many',
	devices: 'Devices: get many',
	permissions: 'Credential: check permissions',
	tenants: 'Tenants',
	tenantIncidents: 'Incidents of each tenant',
} as const;

/** What the emulator's state file says about its identities (test/emulator/auth/identities.ts). */
interface LaneIdentities {
	managedIdentity: { endpoint: string; header: string; systemAssigned: { clientId: string } };
	federation: { clientId: string };
	multiTenantApp: { clientId: string; clientSecret: string; consentedTenantIds: string[] };
	graphReadOnlyApp: { clientId: string; clientSecret: string };
}

export function identitiesOf(info: EmulatorInfo): LaneIdentities {
	if (!info.identities) throw new Error('The emulator reported no identities (test/emulator/auth/identities.ts)');
	return info.identities as LaneIdentities;
}

/**
 * The environment Azure App Service and AKS workload identity would give the n8n process, the
 * administrator's N8N_DEFENDER_SYSTEM_IDENTITY_ACCESS_ENABLED=true, and a proxy through which this
 * emulator stands in for Microsoft's global cloud (the server's identity works only with it).
 */
export function credentialLaneEnv(info: EmulatorInfo, tokenFile: string, standInProxyUrl: string): Record<string, string> {
	const { managedIdentity } = identitiesOf(info);
	return {
		IDENTITY_ENDPOINT: managedIdentity.endpoint,
		IDENTITY_HEADER: managedIdentity.header,
		AZURE_FEDERATED_TOKEN_FILE: tokenFile,
		N8N_DEFENDER_SYSTEM_IDENTITY_ACCESS_ENABLED: 'true',
		HTTPS_PROXY: standInProxyUrl,
		NO_PROXY: 'localhost,127.0.0.1',
	};
}

/** Microsoft's global-cloud hosts the stand-in proxy tunnels to this emulator (its certificate names them). */
export function microsoftStandInRoutes(info: EmulatorInfo): Record<string, string> {
	const local = (url: string) => `127.0.0.1:${new URL(url).port}`;
	return {
		'login.microsoftonline.com:443': local(`https://${info.loginHost}`),
		'graph.microsoft.com:443': local(info.graphUrl),
		'api.security.microsoft.com:443': local(info.mdeUrl),
	};
}


export function buildCredentialLaneCredentials(info: EmulatorInfo): E2ECredential[] {
	const identities = identitiesOf(info);
	const endpoints = { ...emulatorEndpoints(info), rateLimits: 'documented' };
	const certificateApp = info.apps.certificate as { clientId: string; privateKeyPem: string; certificatePem: string };
	const encryptedKey = createPrivateKey(certificateApp.privateKeyPem)
		.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: ENCRYPTED_KEY_PASSPHRASE })
		.toString();
	const credential = (key: LaneCredential, data: Record<string, string>): E2ECredential => ({
		id: CREDENTIAL_LANE_IDS[key],
		name: CREDENTIAL_LANE_NAMES[key],
		type: CREDENTIAL_TYPE,
		data: { ...endpoints, ...data },
	});
	// The server's identity only with a Microsoft cloud: this emulator plays it behind the stand-in proxy.
	const microsoftCloud = { environment: 'global', tenantId: info.tenantId, loginHost: '', graphUrl: '', mdeUrl: '' };
	return [
		credential('managedIdentity', { ...microsoftCloud, authentication: 'managedIdentity', managedIdentityType: 'systemAssigned' }),
		// No file name: the credential reads AZURE_FEDERATED_TOKEN_FILE, as on AKS.
		credential('workloadIdentity', { ...microsoftCloud, authentication: 'workloadIdentity', clientId: identities.federation.clientId }),
		credential('encryptedKey', {
			authentication: 'certificate',
			clientId: certificateApp.clientId,
			privateKey: encryptedKey,
			privateKeyPassphrase: ENCRYPTED_KEY_PASSPHRASE,
			certificate: certificateApp.certificatePem,
		}),
		credential('graphReadOnly', { authentication: 'clientSecret', clientId: identities.graphReadOnlyApp.clientId, clientSecret: identities.graphReadOnlyApp.clientSecret }),
		credential('multiTenant', { authentication: 'clientSecret', clientId: identities.multiTenantApp.clientId, clientSecret: identities.multiTenantApp.clientSecret }),
	];
}

function defender(name: string, credential: LaneCredential, parameters: Record<string, unknown>, extra: Partial<WorkflowNode> = {}): Omit<WorkflowNode, 'id' | 'position'> {
	return {
		name,
		type: NODE_TYPE,
		typeVersion: 1,
		parameters,
		credentials: { [CREDENTIAL_TYPE]: { id: CREDENTIAL_LANE_IDS[credential], name: CREDENTIAL_LANE_NAMES[credential] } },
		...extra,
	};
}

/** Incident Get Many, then one Defender for Endpoint call, with one credential. */
function incidentsAndDevices(id: string, credential: LaneCredential) {
	return new WorkflowBuilder(id, `Credential lane: ${CREDENTIAL_LANE_NAMES[credential]}`)
		.branch(
			defender(CL.incidents, credential, { resource: 'incident', operation: 'getAll', limit: 3 }),
			// Once for the three incidents: one Defender for Endpoint call.
			{ ...defender(CL.devices, credential, { resource: 'device', operation: 'getAll', limit: 2 }), executeOnce: true } as Omit<WorkflowNode, 'id' | 'position'>,
		)
		.build();
}

export function buildCredentialLaneWorkflows(info: EmulatorInfo) {
	const customerTenant = identitiesOf(info).multiTenantApp.consentedTenantIds.find((tenant) => tenant !== info.tenantId) ?? '';
	return {
		managedIdentity: incidentsAndDevices(CREDENTIAL_LANE_WORKFLOW_IDS.managedIdentity, 'managedIdentity'),
		workloadIdentity: incidentsAndDevices(CREDENTIAL_LANE_WORKFLOW_IDS.workloadIdentity, 'workloadIdentity'),
		encryptedKey: incidentsAndDevices(CREDENTIAL_LANE_WORKFLOW_IDS.encryptedKey, 'encryptedKey'),
		checkPermissions: new WorkflowBuilder(CREDENTIAL_LANE_WORKFLOW_IDS.checkPermissions, 'Credential lane: check permissions')
			.branch(defender(CL.permissions, 'graphReadOnly', { resource: 'credential', operation: 'checkPermissions' }))
			.build(),
		tenants: new WorkflowBuilder(CREDENTIAL_LANE_WORKFLOW_IDS.tenants, 'Credential lane: incidents of two tenants')
			.branch(
				n8nNode(CL.tenants, 'code', 2, { jsCode: `return [{ json: { tenant: '' } }, { json: { tenant: ${JSON.stringify(customerTenant)} } }];` }),
				defender(CL.tenantIncidents, 'multiTenant', { resource: 'incident', operation: 'getAll', returnAll: true, requestOptions: { tenant: '={{ $json.tenant }}' } }),
			)
			.build(),
	};
}

export interface LaneExecution extends ControlExecution {
	executionId: string;
	/** The emulator's requests while the workflow ran. */
	requests: LoggedRequest[];
}

export interface CredentialLaneRun {
	error?: string;
	customerTenant: string;
	/** Incidents added to the customer tenant before the run. */
	customerIncidentIds: string[];
	managedIdentity?: LaneExecution;
	/** Run with the token file as written first, after it was rotated to an untrusted subject, and after it was rotated back. */
	workloadIdentity: LaneExecution[];
	encryptedKey?: LaneExecution;
	checkPermissions?: LaneExecution;
	tenants?: LaneExecution;
	credentialTest?: { status: number; body: unknown };
	/** The credential Test of the managed identity with Custom Endpoints (Graph URL on another host), and the identity endpoint's requests meanwhile. */
	hostIdentityElsewhere?: { status: number; body: unknown; identityRequests: LoggedRequest[] };
	timings: Record<string, number>;
}

function log(message: string): void {
	process.stderr.write(`[e2e] credential: ${message}\n`);
}

async function issueFederatedToken(emulator: RunningEmulator, subject?: string): Promise<string> {
	const issued = (await emulator.admin.call('POST', '/federation/token', subject ? { subject } : {})) as { token: string };
	return issued.token;
}

export async function runCredentialLane(rest: N8nRest, emulator: RunningEmulator, tokenFile: string, alive: () => boolean): Promise<CredentialLaneRun> {
	const { info, admin } = emulator;
	const customerTenant = identitiesOf(info).multiTenantApp.consentedTenantIds.find((tenant) => tenant !== info.tenantId) ?? '';
	const result: CredentialLaneRun = { customerTenant, customerIncidentIds: [], workloadIdentity: [], timings: {} };
	const started = Date.now();
	const run = async (workflowId: string): Promise<LaneExecution> => {
		await admin.clearRequests();
		const { executionId } = await rest.runWorkflow(workflowId);
		const summary = await waitFor(
			`workflow ${workflowId} to finish`,
			60_000,
			async () => {
				const [execution] = (await rest.executions(workflowId)).filter((candidate) => candidate.id === executionId);
				return execution && !['new', 'running', 'waiting'].includes(execution.status) ? execution : undefined;
			},
			alive,
		);
		const execution = { ...(await readExecution(rest, summary.id)), summary, executionId, requests: await admin.requests() };
		log(`workflow ${workflowId}: ${execution.status}, ${execution.requests.length} emulator requests`);
		return execution;
	};
	try {
		for (const displayName of ['Fabrikam: ransomware on FAB-DC01', 'Fabrikam: phishing wave']) {
			const created = (await admin.addIncident({ tenantId: customerTenant, displayName })) as { incident: { id: string } };
			result.customerIncidentIds.push(created.incident.id);
		}
		result.managedIdentity = await run(CREDENTIAL_LANE_WORKFLOW_IDS.managedIdentity);

		writeFileSync(tokenFile, await issueFederatedToken(emulator));
		result.workloadIdentity.push(await run(CREDENTIAL_LANE_WORKFLOW_IDS.workloadIdentity));
		writeFileSync(tokenFile, await issueFederatedToken(emulator, UNTRUSTED_SUBJECT));
		result.workloadIdentity.push(await run(CREDENTIAL_LANE_WORKFLOW_IDS.workloadIdentity));
		writeFileSync(tokenFile, await issueFederatedToken(emulator));
		result.workloadIdentity.push(await run(CREDENTIAL_LANE_WORKFLOW_IDS.workloadIdentity));

		result.encryptedKey = await run(CREDENTIAL_LANE_WORKFLOW_IDS.encryptedKey);
		result.checkPermissions = await run(CREDENTIAL_LANE_WORKFLOW_IDS.checkPermissions);
		result.tenants = await run(CREDENTIAL_LANE_WORKFLOW_IDS.tenants);

		const graphReadOnly = buildCredentialLaneCredentials(info).find((credential) => credential.id === CREDENTIAL_LANE_IDS.graphReadOnly);
		const tested = await rest.call('POST', '/rest/credentials/test', { credentials: graphReadOnly });
		result.credentialTest = { status: tested.status, body: tested.data };
		log(`credential test answered ${tested.status}: ${tested.text.slice(0, 300)}`);

		// A credential author aims the server's managed identity at another host: refused before any request.
		const managed = buildCredentialLaneCredentials(info).find((credential) => credential.id === CREDENTIAL_LANE_IDS.managedIdentity);
		await admin.clearRequests();
		const elsewhere = await rest.call('POST', '/rest/credentials/test', {
			credentials: { ...managed, data: { ...managed?.data, environment: 'custom', loginHost: 'login.microsoftonline.com', graphUrl: 'https://management.azure.com' } },
		});
		const identityRequests = (await admin.requests()).filter((request) => request.path.startsWith('/msi/token'));
		result.hostIdentityElsewhere = { status: elsewhere.status, body: elsewhere.data, identityRequests };
	} catch (error) {
		result.error = error instanceof Error ? error.message : String(error);
		log(`failed: ${result.error}`);
	}
	result.timings.total = Date.now() - started;
	return result;
}

/** The JWT the token file holds now (for checks that it is never printed). */
export function tokenFileContent(tokenFile: string): string {
	return readFileSync(tokenFile, 'utf8');
}
