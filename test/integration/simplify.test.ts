import type { IDataObject, INode } from 'n8n-workflow';

import { useEmulator } from './context';
import { byId, runNode } from './harness';

const env = useEmulator({ incidentCount: 20 });

type Parameters = INode['parameters'];

async function output(parameters: Parameters, typeVersion: number): Promise<IDataObject[]> {
	const { items, error } = await runNode(parameters, { credentials: env.credentials, typeVersion });
	expect(error).toBeUndefined();
	return items.map((item) => item.json);
}

const someIncident = () => env.emulator.store.listIncidents()[2];
const incidentGet = (extra: Parameters = {}): Parameters => ({
	resource: 'incident',
	operation: 'get',
	incidentId: byId(someIncident().id),
	options: { includeAlerts: true },
	...extra,
});

const keysOf = (items: IDataObject[]) => [...new Set(items.flatMap((item) => Object.keys(item)))].sort();

describe('version 1: workflows saved before Simplify keep Microsoft\'s whole objects', () => {
	it('an incident with its alerts is the same as version 1.1 with Simplify off', async () => {
		const [version1] = await output(incidentGet(), 1);
		const [raw] = await output(incidentGet({ simplify: false }), 1.1);
		expect(version1).toEqual(raw);
		// Fields Simplify drops, present in version 1 as Graph sends them.
		expect(version1).toEqual(expect.objectContaining({ tenantId: expect.any(String), comments: expect.any(Array), systemTags: expect.any(Array) }));
		const [alert] = version1.alerts as IDataObject[];
		expect(alert).toEqual(expect.objectContaining({ evidence: expect.any(Array), tenantId: expect.any(String), providerAlertId: expect.any(String) }));
	});

	it('ignores Simplify and Fields to Return if a version 1 node carries them', async () => {
		const [plain] = await output(incidentGet(), 1);
		const [carrying] = await output(incidentGet({ simplify: true, fieldsToReturn: 'id' }), 1);
		expect(carrying).toEqual(plain);
	});
});

describe('version 1.1: Simplify is on by default', () => {
	it('an incident keeps what an analyst needs, its alerts simplified with one line per evidence', async () => {
		const [full] = await output(incidentGet(), 1);
		const [simple] = await output(incidentGet(), 1.1);
		expect(simple).toMatchObject({ id: full.id, displayName: full.displayName, severity: full.severity, status: full.status, incidentWebUrl: full.incidentWebUrl });
		expect(Object.keys(simple)).not.toEqual(expect.arrayContaining(['tenantId']));
		expect(simple.comments).toBeUndefined();
		expect(JSON.stringify(simple).length).toBeLessThan(JSON.stringify(full).length / 2);

		const fullAlerts = full.alerts as IDataObject[];
		const simpleAlerts = simple.alerts as IDataObject[];
		expect(simpleAlerts.map((alert) => alert.id)).toEqual(fullAlerts.map((alert) => alert.id));
		const [fullAlert] = fullAlerts;
		const [simpleAlert] = simpleAlerts;
		expect(simpleAlert).toMatchObject({ title: fullAlert.title, severity: fullAlert.severity, incidentId: full.id });
		const evidence = simpleAlert.evidence as IDataObject[];
		expect(evidence).toHaveLength((fullAlert.evidence as unknown[]).length);
		for (const entry of evidence) {
			expect(Object.keys(entry).sort()).toEqual(expect.arrayContaining(['type', 'verdict']));
			expect(String(entry.type)).not.toMatch(/microsoft|Evidence/);
		}
		const device = (fullAlert.evidence as IDataObject[]).find((entry) => entry['@odata.type'] === '#microsoft.graph.security.deviceEvidence');
		if (device) expect(evidence).toContainEqual(expect.objectContaining({ type: 'device', name: device.deviceDnsName }));
	});

	it('every operation that offers it returns a subset of the full object, with its id', async () => {
		const devices = await output({ resource: 'device', operation: 'getAll', returnAll: false, limit: 50 }, 1);
		const device = devices.find((candidate) => String(candidate.osPlatform).startsWith('Windows')) ?? devices[0];
		const deviceId = byId(String(device.id));
		await output({ resource: 'responseAction', operation: 'runAntivirusScan', deviceId, scanType: 'Quick', comment: 'simplify test' }, 1);
		const cases: Array<[string, Parameters]> = [
			['alert get many', { resource: 'alert', operation: 'getAll', returnAll: false, limit: 5 }],
			['device get', { resource: 'device', operation: 'get', deviceId }],
			['device get many', { resource: 'device', operation: 'getAll', returnAll: false, limit: 5 }],
			['device related alerts', { resource: 'device', operation: 'getAlerts', deviceId }],
			['device vulnerabilities', { resource: 'device', operation: 'getVulnerabilities', deviceId, returnAll: true }],
			['machine action get many', { resource: 'machineAction', operation: 'getAll', returnAll: false, limit: 5 }],
			['vulnerability get many', { resource: 'vulnerability', operation: 'getAll', returnAll: false, limit: 5 }],
			['recommendation get many', { resource: 'recommendation', operation: 'getAll', returnAll: false, limit: 5 }],
			['device security recommendations', { resource: 'device', operation: 'getRecommendations', deviceId, returnAll: true }],
		];
		const [software] = await output({ resource: 'software', operation: 'getAll', returnAll: false, limit: 1 }, 1);
		const [recommendation] = await output({ resource: 'recommendation', operation: 'getAll', returnAll: false, limit: 1 }, 1);
		cases.push(
			['software vulnerabilities', { resource: 'software', operation: 'getVulnerabilities', softwareId: byId(String(software.id)), returnAll: true }],
			['recommendation vulnerabilities', { resource: 'recommendation', operation: 'getVulnerabilities', recommendationId: byId(String(recommendation.id)), returnAll: true }],
		);
		for (const [label, parameters] of cases) {
			const full = await output(parameters, 1);
			const simple = await output(parameters, 1.1);
			expect({ label, count: simple.length }).toEqual({ label, count: full.length });
			expect({ label, some: full.length > 0 }).toEqual({ label, some: true });
			const fullKeys = keysOf(full);
			const simpleKeys = keysOf(simple);
			expect({ label, extra: simpleKeys.filter((key) => !fullKeys.includes(key) && key !== 'evidence') }).toEqual({ label, extra: [] });
			expect({ label, fewer: simpleKeys.length < fullKeys.length }).toEqual({ label, fewer: true });
			expect({ label, ids: simple.map((item) => item.id) }).toEqual({ label, ids: full.map((item) => item.id) });
		}
	});

	it('leaves operations without Simplify as they were (advanced hunting rows)', async () => {
		const query = 'DeviceInfo | take 3';
		const parameters = { resource: 'advancedHunting', operation: 'runQuery', query };
		expect(await output(parameters, 1.1)).toEqual(await output(parameters, 1));
	});
});

describe('version 1.1: Fields to Return (Simplify off)', () => {
	it('keeps only the listed fields, dotted paths into objects included', async () => {
		const [full] = await output({ resource: 'alert', operation: 'getAll', returnAll: false, limit: 1 }, 1);
		const [picked] = await output(
			{ resource: 'alert', operation: 'getAll', returnAll: false, limit: 1, simplify: false, fieldsToReturn: ' id, severity ,evidence, notAField' },
			1.1,
		);
		expect(picked).toEqual({ id: full.id, severity: full.severity, evidence: full.evidence });

		const [incident] = await output(incidentGet(), 1);
		const [pickedIncident] = await output(incidentGet({ simplify: false, fieldsToReturn: 'id, alerts.id, alerts.severity' }), 1.1);
		const alerts = incident.alerts as IDataObject[];
		expect(alerts.length).toBeGreaterThan(0);
		expect(pickedIncident).toEqual({ id: incident.id, alerts: alerts.map((alert) => ({ id: alert.id, severity: alert.severity })) });
	});

	it('refuses a malformed field list before calling Microsoft, naming the field', async () => {
		const { error } = await runNode(
			{ ...incidentGet(), simplify: false, fieldsToReturn: 'id, severity; drop' },
			{ credentials: env.credentials, typeVersion: 1.1 },
		);
		expect(error?.message).toBe('"severity; drop" in "Fields to Return" is not a field name');
		expect(env.emulator.requestLog({ api: 'graph' })).toHaveLength(0);
	});

	it('with Continue On Fail, a bad list fails only its own item, paired to it', async () => {
		const { items, error } = await runNode(
			{ ...incidentGet(), simplify: false, fieldsToReturn: '={{ $json.fields }}' },
			{ credentials: env.credentials, typeVersion: 1.1, continueOnFail: true, input: [{ fields: 'id' }, { fields: 'id..x' }] },
		);
		expect(error).toBeUndefined();
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(items[0].json).toEqual({ id: someIncident().id });
		expect(items[1].json.error).toMatch(/"id\.\.x" in "Fields to Return"/);
	});
});
