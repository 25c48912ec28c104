import { detectionRules } from '../../emulator/graph/detectionRules';
import { useEmulator } from '../context';
import { runNode } from '../harness';

const env = useEmulator();

const rules = () => detectionRules(env.emulator.store);
const graphCalls = () => env.emulator.requestLog({ api: 'graph' });

describe('Detection Rule (Preview, Graph beta)', () => {
	it('creates a rule from fields with the body the create page gives, then gets, lists, updates and deletes it', async () => {
		const { items: created, error } = await runNode(
			{
				resource: 'detectionRule',
				operation: 'create',
				defineUsing: 'fields',
				ruleId: 'office-encoded-powershell',
				displayName: 'Suspicious encoded PowerShell from Office',
				queryText: "DeviceProcessEvents | where FileName == 'powershell.exe' | where ProcessCommandLine has '-enc'",
				frequency: 'PT1H',
				status: 'enabled',
				alertTitle: 'Encoded PowerShell from Office',
				alertSeverity: 'high',
				additionalFields: { recommendedActions: 'Isolate the device', moreJson: '{"detectionAction":{"automatedActions":{"isolateDevices":[{"deviceIdColumn":"DeviceId","isolationType":"full"}]}}}' },
			},
			{ credentials: env.credentials },
		);
		expect(error).toBeUndefined();
		expect(created[0].json).toMatchObject({ id: 'office-encoded-powershell', status: 'enabled' });
		expect(rules().get('office-encoded-powershell')).toMatchObject({
			schedule: { frequency: 'PT1H' },
			queryCondition: { queryText: expect.stringContaining('-enc') },
			detectionAction: {
				alertTemplate: { title: 'Encoded PowerShell from Office', severity: 'high', recommendedActions: 'Isolate the device' },
				automatedActions: { isolateDevices: [{ deviceIdColumn: 'DeviceId', isolationType: 'full' }] },
			},
		});
		expect(graphCalls().map((entry) => `${entry.method} ${entry.path}`)).toEqual(['POST /beta/security/rules/detectionRules']);

		const { items: got } = await runNode({ resource: 'detectionRule', operation: 'get', ruleId: 'office-encoded-powershell' }, { credentials: env.credentials });
		expect(got[0].json.displayName).toBe('Suspicious encoded PowerShell from Office');
		const { items: listed } = await runNode({ resource: 'detectionRule', operation: 'getAll', returnAll: true }, { credentials: env.credentials });
		expect(listed.map((item) => item.json.id).sort()).toEqual(['7506', 'office-encoded-powershell']);

		const { items: updated } = await runNode(
			{ resource: 'detectionRule', operation: 'update', ruleId: 'office-encoded-powershell', updateFields: { status: 'disabled', alertTitle: 'Different title' } },
			{ credentials: env.credentials },
		);
		expect(updated[0].json).toMatchObject({ status: 'disabled', detectionAction: { alertTemplate: { title: 'Different title', severity: 'high' } } });

		const { items: deleted } = await runNode({ resource: 'detectionRule', operation: 'delete', ruleId: 'office-encoded-powershell' }, { credentials: env.credentials });
		expect(deleted[0].json).toEqual({ id: 'office-encoded-powershell', deleted: true });
		expect(rules().has('office-encoded-powershell')).toBe(false);
	});

	it('creates a rule from a whole JSON body, and refuses what Microsoft removed on 2026-10-01 before any request', async () => {
		const rule = { id: 'from-repo', displayName: 'From the repository', status: 'enabled', queryCondition: { queryText: 'EmailEvents | take 1' }, schedule: { frequency: 'PT24H' } };
		const { error } = await runNode({ resource: 'detectionRule', operation: 'create', defineUsing: 'json', ruleJson: JSON.stringify(rule) }, { credentials: env.credentials });
		expect(error).toBeUndefined();
		expect(rules().get('from-repo')).toMatchObject(rule);

		env.emulator.clearRequestLog();
		const removed = { ...rule, id: 'old', detectionAction: { responseActions: [{ '@odata.type': '#microsoft.graph.security.disableUserResponseAction', identifier: 'accountSid' }] } };
		const { error: refused } = await runNode({ resource: 'detectionRule', operation: 'create', defineUsing: 'json', ruleJson: JSON.stringify(removed) }, { credentials: env.credentials });
		expect(refused?.message).toMatch(/disableUserResponseAction was removed by Microsoft on 2026-10-01/);
		expect(refused?.description).toMatch(/automatedActions/);
		const { error: enabledFlag } = await runNode({ resource: 'detectionRule', operation: 'update', ruleId: '7506', updateFields: { moreJson: '{"isEnabled": false}' } }, { credentials: env.credentials });
		expect(enabledFlag?.description).toMatch(/Set status/);
		expect(graphCalls()).toEqual([]);
	});

	it('pairs items under Continue On Fail, reports a conflict and names the permission', async () => {
		const { items } = await runNode(
			{ resource: 'detectionRule', operation: 'get', ruleId: '={{ $json.id }}' },
			{ credentials: env.credentials, continueOnFail: true, input: [{ id: '7506' }, { id: 'missing' }] },
		);
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(items[0].json.id).toBe('7506');
		expect(items[1].json.error).toMatch(/^NotFound/);
		const { error: forbidden } = await runNode({ resource: 'detectionRule', operation: 'getAll', returnAll: true }, { credentials: env.credentials, credentialId: 'readOnly' });
		expect(forbidden?.description).toMatch(/"CustomDetection\.Read\.All"/);
	});
});
