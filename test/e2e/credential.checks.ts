/**
 * Checks of the credential lane (credential-lane.ts), run by n8n.test.ts on the shared e2e setup.
 */
import { readFileSync } from 'node:fs';

import type { LoggedRequest } from '../../scripts/lib/emulator.cjs';
import { CL, identitiesOf, UNTRUSTED_SUBJECT, type CredentialLaneRun, type LaneExecution } from './credential-lane';
import { outputOf, type E2EContext, type WorkflowRun } from './harness';
import { N } from './workflows';

function laneOutput(execution: LaneExecution | undefined, nodeName: string): Array<Record<string, unknown>> {
	if (!execution) throw new Error('The workflow did not run');
	return outputOf({ run: { data: execution.run } } as unknown as WorkflowRun, nodeName);
}

const tokenRequests = (requests: LoggedRequest[]) => requests.filter((request) => request.api === 'token');

export function describeCredentialLane(ctx: () => E2EContext): void {
	const lane = (): CredentialLaneRun => {
		const { credentialLane, control } = ctx();
		if (!credentialLane) throw new Error(`The credential lane did not run (control lane: ${control.error ?? 'no error'})`);
		if (credentialLane.error) throw new Error(`The credential lane failed: ${credentialLane.error}`);
		return credentialLane;
	};

	describe('credential: managed identity, workload identity federation, encrypted key (n8n start, REST API)', () => {
		it('managed identity (App Service environment on the n8n process): Incident Get Many and a Defender for Endpoint call', () => {
			const run = lane().managedIdentity;
			expect(run?.status).toBe('success');
			expect(laneOutput(run, CL.incidents)).toHaveLength(3);
			expect(laneOutput(run, CL.devices)).toHaveLength(2);
			const identityCalls = tokenRequests(run?.requests ?? []).map((request) => `${request.method} ${request.path.split('?')[0]} ${request.status}`);
			// One token per API, from the identity endpoint, nothing from the OAuth token endpoint.
			expect(identityCalls).toEqual(['GET /msi/token 200', 'GET /msi/token 200']);
			const systemAssigned = identitiesOf(ctx().credentialEmulator.info).managedIdentity.systemAssigned.clientId;
			const apiCalls = (run?.requests ?? []).filter((request) => request.api === 'graph' || request.api === 'mde');
			expect(new Set(apiCalls.map((request) => request.clientId))).toEqual(new Set([systemAssigned]));
		});

		it("the server's identity only with the administrator's variable, only to Microsoft's hosts", () => {
			// In an n8n process without N8N_DEFENDER_SYSTEM_IDENTITY_ACCESS_ENABLED (the operations run): refused, naming it.
			const [refused] = outputOf(ctx().runs.operations, N.hostIdentityOff);
			expect(JSON.stringify(refused)).toContain('N8N_DEFENDER_SYSTEM_IDENTITY_ACCESS_ENABLED=true');
			// With it (this lane's n8n start), the managed identity and the server's token file reached Microsoft's
			// hosts only (the stand-in proxy tunnels them to the emulator and refuses every other host).
			const targets = new Set(ctx().standInLog.map((entry) => entry.target));
			expect([...targets].sort()).toEqual(['api.security.microsoft.com:443', 'graph.microsoft.com:443', 'login.microsoftonline.com:443']);
			// A credential author aiming it at another host (Custom Endpoints, Graph URL https://management.azure.com): refused, nothing asked.
			const elsewhere = lane().hostIdentityElsewhere;
			expect(elsewhere?.status).toBe(200);
			expect(elsewhere?.body).toMatchObject({ status: 'Error', message: expect.stringMatching(/Custom Endpoints cannot be used with the server's identity/) });
			expect(elsewhere?.identityRequests).toEqual([]);
		});

		it('workload identity federation: works, and the next token request reads the rotated token file', () => {
			const [first, rotatedToUntrusted, rotatedBack] = lane().workloadIdentity;
			expect(first.status).toBe('success');
			expect(laneOutput(first, CL.incidents)).toHaveLength(3);
			expect(laneOutput(first, CL.devices)).toHaveLength(2);
			expect(tokenRequests(first.requests).map((request) => `${request.method} ${request.status}`)).toEqual(['POST 200', 'POST 200']);
			// The file now holds a token of another subject: n8n sent that one, and Entra ID's answer says so.
			expect(rotatedToUntrusted.status).toBe('error');
			const error = rotatedToUntrusted.run?.resultData.error as { message?: string; description?: string } | undefined;
			expect(error?.message).toContain(`AADSTS700213: No matching federated identity record found for presented assertion subject '${UNTRUSTED_SUBJECT}'`);
			expect(error?.description).toMatch(/system:serviceaccount:<namespace>:<service account>/);
			expect(rotatedBack.status).toBe('success');
			expect(laneOutput(rotatedBack, CL.incidents)).toHaveLength(3);
		});

		it('the token file is read, never logged', () => {
			const token = readFileSync(ctx().federatedTokenFile, 'utf8').trim();
			expect(token.split('.')).toHaveLength(3);
			expect(ctx().control.output).not.toContain(token.split('.')[2]);
		});

		it('certificate with an encrypted private key (passphrase field): Incident Get Many and a Defender for Endpoint call', () => {
			const run = lane().encryptedKey;
			expect(run?.status).toBe('success');
			expect(laneOutput(run, CL.incidents)).toHaveLength(3);
			expect(laneOutput(run, CL.devices)).toHaveLength(2);
		});
	});

	describe('credential: permission report and two tenants (n8n start, REST API)', () => {
		it("the credential dialog's Test (POST /rest/credentials/test) names the missing permissions and the operations they block", () => {
			const { credentialTest } = lane();
			expect(credentialTest?.status).toBe(200);
			const { status, message } = credentialTest?.body as { status: string; message: string };
			expect(status).toBe('OK');
			expect(message).toContain('Graph: SecurityIncident.Read.All, SecurityAlert.Read.All granted; missing SecurityIncident.ReadWrite.All (Incident Update, Incident Add Comment)');
			expect(message).toContain('Defender for Endpoint: no permission of this node granted; missing Machine.Read.All (Device Get,');
			expect(message).toContain('Machine.Isolate (Response Action Isolate, Response Action Release From Isolation, Machine Action Cancel)');
			expect(message).toMatch(/can take a few minutes to appear/);
		});

		it('Check Permissions gives the same as items', () => {
			const items = laneOutput(lane().checkPermissions, CL.permissions);
			const granted = items.filter((item) => item.granted === true).map((item) => item.permission);
			expect(granted).toEqual(['SecurityIncident.Read.All', 'SecurityAlert.Read.All']);
			expect(items.find((item) => item.permission === 'Machine.Isolate')).toMatchObject({
				api: 'Defender for Endpoint',
				granted: false,
				operations: ['Response Action Isolate', 'Response Action Release From Isolation', 'Machine Action Cancel'],
			});
		});

		it("one workflow over two tenants (Tenant option as an expression) returns each tenant's incidents", () => {
			const { tenants, customerTenant, customerIncidentIds } = lane();
			expect(tenants?.status).toBe('success');
			const items = laneOutput(tenants, CL.tenantIncidents);
			const customer = items.filter((item) => item.tenantId === customerTenant);
			expect(customer.map((item) => item.id).sort()).toEqual([...customerIncidentIds].sort());
			const home = items.filter((item) => item.tenantId === ctx().credentialEmulator.info.tenantId);
			expect(home.length).toBeGreaterThan(customerIncidentIds.length);
			expect(home.length + customer.length).toBe(items.length);
		});

		it('keeps tokens and budgets apart per tenant (request log: each tenant its own tokens and calls)', () => {
			const { tenants, customerTenant } = lane();
			const requests = tenants?.requests ?? [];
			const home = ctx().credentialEmulator.info.tenantId;
			const perTenant = (api: string) => {
				const counts: Record<string, number> = {};
				for (const request of requests.filter((candidate) => candidate.api === api)) counts[String(request.tenantId)] = (counts[String(request.tenantId)] ?? 0) + 1;
				return counts;
			};
			// This emulator's tokens live 120 s, under msal-node's 5-minute renewal margin: a token per page.
			// Home: 60 seeded incidents in pages of 50; customer: its 2 incidents in one page.
			expect(perTenant('graph')).toEqual({ [home]: 2, [customerTenant]: 1 });
			expect(perTenant('token')).toEqual({ [home]: 2, [customerTenant]: 1 });
		});
	});
}
