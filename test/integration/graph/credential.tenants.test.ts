/**
 * The credential Test's permission report, the Check Permissions operation, and one multi-tenant
 * app working in two tenants through the node's Tenant option.
 */
import type { ICredentialTestFunctions, IHttpRequestOptions, ILoadOptionsFunctions } from 'n8n-workflow';

import { microsoft365DefenderApiTest } from '../../../nodes/Microsoft365Defender/methods/credentialTest';
import { searchIncidents } from '../../../nodes/Microsoft365Defender/methods/listSearch';
import { budgetFor } from '../../../nodes/Microsoft365Defender/transport/pipeline/pacingPolicy';
import { resolveEndpoints } from '../../../nodes/Microsoft365Defender/transport/apis';
import { credentialsFor, useEmulator } from '../context';
import { runNode } from '../harness';

const env = useEmulator();

const credentialTest = async (data: Record<string, unknown>) =>
	await microsoft365DefenderApiTest.call({} as ICredentialTestFunctions, { id: '1', name: 'x', type: 'microsoft365DefenderApi', data } as never);

function graphReadOnly() {
	const { graphReadOnlyApp } = env.emulator.describe().identities;
	return credentialsFor(env.emulator, graphReadOnlyApp);
}

function mssp(extra: Record<string, string> = {}) {
	const { multiTenantApp } = env.emulator.describe().identities;
	return credentialsFor(env.emulator, multiTenantApp, extra);
}

describe('permission report', () => {
	it('the credential Test names the missing permissions and the operations they block', async () => {
		const result = await credentialTest(graphReadOnly());
		expect(result.status).toBe('OK');
		expect(result.message).toContain('Graph: SecurityIncident.Read.All, SecurityAlert.Read.All granted; missing SecurityIncident.ReadWrite.All (Incident Update, Incident Add Comment), SecurityAlert.ReadWrite.All (Alert Update, Alert Add Comment), ThreatHunting.Read.All (Advanced Hunting Run Query), SecurityEvents.Read.All (Score Get Secure Scores, Score Get Secure Score Control Profiles), ');
		expect(result.message).toContain('IdentityRiskyUser.ReadWrite.All (User Mark as Compromised, User Dismiss Risk)');
		expect(result.message).toContain('Defender for Endpoint: no permission of this node granted; missing Machine.Read.All (Device Get,');
		expect(result.message).toContain('Machine.Isolate (Response Action Isolate, Response Action Release From Isolation, Machine Action Cancel)');
		expect(result.message).toMatch(/can take a few minutes to appear/);
	});

	it('a fully permitted app gets no consent note', async () => {
		const result = await credentialTest(env.credentials.full);
		expect(result.status).toBe('OK');
		expect(result.message).toMatch(/Graph: SecurityIncident\.Read\.All, SecurityIncident\.ReadWrite\.All, .*granted\./);
		expect(result.message).not.toMatch(/missing|few minutes/);
	});

	it('Check Permissions gives the same as items: one per permission, granted or missing, with the operations', async () => {
		const { items, error } = await runNode({ resource: 'credential', operation: 'checkPermissions' }, { credentials: { full: graphReadOnly() } });
		expect(error).toBeUndefined();
		const byPermission = Object.fromEntries(items.map((item) => [item.json.permission, item.json]));
		expect(byPermission['SecurityIncident.Read.All']).toEqual({
			tenant: env.emulator.tenantId,
			tenantId: env.emulator.tenantId,
			api: 'Graph',
			permission: 'SecurityIncident.Read.All',
			granted: true,
			operations: ['Incident Get', 'Incident Get Many', 'Incident Get Evidence', 'Trigger: New / Updated Incident'],
		});
		expect(byPermission['SecurityAlert.ReadWrite.All']).toMatchObject({ granted: false, operations: ['Alert Update', 'Alert Add Comment'] });
		expect(byPermission['Machine.Isolate']).toMatchObject({ api: 'Defender for Endpoint', granted: false });
		expect(items.every((item) => JSON.stringify(item.pairedItem) === JSON.stringify({ item: 0 }))).toBe(true);
		const missing = await runNode(
			{ resource: 'credential', operation: 'checkPermissions', permissionsToReturn: 'missing' },
			{ credentials: { full: graphReadOnly() } },
		);
		expect(missing.items.length).toBe(items.filter((item) => item.json.granted === false).length);
	});

	it('a higher permission counts for the lower one (ReadWrite grants Read)', async () => {
		const { items } = await runNode({ resource: 'credential', operation: 'checkPermissions' }, { credentials: env.credentials });
		const incidentRead = items.find((item) => item.json.permission === 'SecurityIncident.Read.All');
		expect(incidentRead?.json).toMatchObject({ granted: true, grantedBy: 'SecurityIncident.ReadWrite.All' });
	});
});

describe('multi-tenant app (MSSP)', () => {
	beforeEach(() => {
		env.emulator.addIncident({ tenantId: env.emulator.otherTenantId, displayName: 'Fabrikam: ransomware on FAB-DC01' });
		env.emulator.addIncident({ tenantId: env.emulator.otherTenantId, displayName: 'Fabrikam: phishing wave' });
	});

	it('one workflow loops over two tenants with the Tenant option: each gets its own incidents, tokens and budget', async () => {
		const input = [{ tenant: '' }, { tenant: env.emulator.otherTenantId }];
		const { items, error } = await runNode(
			{ resource: 'incident', operation: 'getAll', returnAll: true, requestOptions: { tenant: '={{ $json.tenant }}' } },
			{ credentials: { full: mssp() }, input },
		);
		expect(error).toBeUndefined();
		const fabrikam = items.filter((item) => JSON.stringify(item.pairedItem) === JSON.stringify({ item: 1 }));
		const contoso = items.filter((item) => JSON.stringify(item.pairedItem) === JSON.stringify({ item: 0 }));
		expect(fabrikam.map((item) => item.json.displayName).sort()).toEqual(['Fabrikam: phishing wave', 'Fabrikam: ransomware on FAB-DC01']);
		expect(fabrikam.every((item) => item.json.tenantId === env.emulator.otherTenantId)).toBe(true);
		expect(contoso.length).toBeGreaterThan(2);
		expect(contoso.every((item) => item.json.tenantId === env.emulator.tenantId)).toBe(true);

		const tokenTenants = env.emulator.requestLog({ api: 'token' }).map((entry) => entry.tenantId).sort();
		expect(tokenTenants).toEqual([env.emulator.tenantId, env.emulator.otherTenantId].sort());
		const graphTenants = new Set(env.emulator.requestLog({ api: 'graph' }).map((entry) => entry.tenantId));
		expect(graphTenants).toEqual(new Set([env.emulator.tenantId, env.emulator.otherTenantId]));

		const connection = (tenantId: string) => {
			const credentials = { ...mssp(), tenantId };
			return { credentials, endpoints: resolveEndpoints(credentials) };
		};
		const contosoBudget = await budgetFor(connection(env.emulator.tenantId), { api: 'graph', method: 'GET', path: '/v1.0/security/incidents' });
		const fabrikamBudget = await budgetFor(connection(env.emulator.otherTenantId), { api: 'graph', method: 'GET', path: '/v1.0/security/incidents' });
		expect(contosoBudget).not.toBe(fabrikamBudget);
	});

	it("per-item Graph calls of two tenants travel in separate $batch requests, each with its tenant's token", async () => {
		const home = env.emulator.store.listIncidents().find((incident) => incident.tenantId === env.emulator.tenantId);
		const customer = env.emulator.store.listIncidents().find((incident) => incident.tenantId === env.emulator.otherTenantId);
		const input = [
			{ tenant: '', id: String(home?.id) },
			{ tenant: env.emulator.otherTenantId, id: String(customer?.id) },
		];
		const { items, error } = await runNode(
			{
				resource: 'incident',
				operation: 'get',
				incidentId: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
				requestOptions: { tenant: '={{ $json.tenant }}' },
			},
			{ credentials: { full: mssp() }, input },
		);
		expect(error).toBeUndefined();
		expect(items.map((item) => [item.json.id, item.json.tenantId])).toEqual([
			[home?.id, env.emulator.tenantId],
			[customer?.id, env.emulator.otherTenantId],
		]);
	});

	it('"From list" in the editor lists the incidents of the tenant the Tenant option names', async () => {
		const editorContext = (tenant: string) =>
			({
				getNode: () => ({ name: 'Defender', type: 'microsoft365Defender', typeVersion: 1, position: [0, 0], parameters: {} }),
				getCredentials: async () => mssp(),
				getCurrentNodeParameter: (name: string) => (name === 'requestOptions.tenant' ? tenant : undefined),
				logger: { info: () => {}, debug: () => {}, warn: () => {}, error: () => {} },
				helpers: {
					httpRequest: async (options: IHttpRequestOptions) => {
						const response = await fetch(String(options.url), { method: options.method ?? 'GET', headers: options.headers as Record<string, string> });
						return { statusCode: response.status, headers: Object.fromEntries(response.headers), body: Buffer.from(await response.arrayBuffer()) };
					},
				},
			}) as unknown as ILoadOptionsFunctions;
		const customer = await searchIncidents.call(editorContext(env.emulator.otherTenantId));
		expect(customer.results.map((result) => result.name).sort()).toEqual([expect.stringContaining('Fabrikam: phishing wave'), expect.stringContaining('Fabrikam: ransomware')]);
		// An expression over items has no value in the editor: the credential's tenant is listed.
		const home = await searchIncidents.call(editorContext('={{ $json.tenant }}'));
		expect(home.results.length).toBeGreaterThan(2);
		expect(home.results.some((result) => String(result.name).includes('Fabrikam'))).toBe(false);
	});

	it('the Tenant option is checked before any request', async () => {
		const { error } = await runNode(
			{ resource: 'incident', operation: 'getAll', limit: 1, requestOptions: { tenant: 'common' } },
			{ credentials: { full: mssp() } },
		);
		expect(error?.message).toMatch(/^Tenant option: Tenant "common" is a multi-tenant alias/);
		expect(env.emulator.requestLog({ api: 'token' })).toHaveLength(0);
	});

	it('a tenant the app has no consent in gives AADSTS700016 with how to consent', async () => {
		const { error } = await runNode(
			{ resource: 'incident', operation: 'getAll', limit: 1, requestOptions: { tenant: env.emulator.otherTenantId } },
			{ credentials: env.credentials },
		);
		expect(error?.message).toMatch(/AADSTS700016/);
		expect((error as { description?: string }).description).toMatch(/adminconsent\?client_id=/);
	});

	it('the credential Test checks each tenant of "Customer Tenants to Test"', async () => {
		const both = await credentialTest(mssp({ testTenants: `${env.emulator.otherTenantId}` }));
		expect(both.status).toBe('OK');
		expect(both.message).toContain(`Tenant ${env.emulator.tenantId}: Graph: SecurityIncident.Read.All`);
		expect(both.message).toContain(`Tenant ${env.emulator.otherTenantId}: Graph:`);
		expect(both.message).toContain('Defender for Endpoint: no permission of this node granted');
		const notConsented = await credentialTest({ ...env.credentials.full, testTenants: env.emulator.otherTenantId });
		expect(notConsented).toEqual({ status: 'Error', message: expect.stringMatching(new RegExp(`^Tenant ${env.emulator.otherTenantId}: AADSTS700016: .*adminconsent`)) });
	});
});
