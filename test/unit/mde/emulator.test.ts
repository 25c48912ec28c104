/* eslint-disable @typescript-eslint/no-explicit-any -- tests navigate arbitrary JSON response bodies freely */
import type { Emulator } from '../../emulator';
import { requiredRolesFor } from '../../emulator';
import type { JsonResponse } from '../emulator/helpers';
import { getToken, requestJson, startTestEmulator } from '../emulator/helpers';

let emulator: Emulator;
let token: string;
let readOnlyToken: string;

beforeAll(async () => {
	emulator = await startTestEmulator();
	token = await getToken(emulator, emulator.apps.full, emulator.mdeUrl);
	readOnlyToken = await getToken(emulator, emulator.apps.readOnly, emulator.mdeUrl);
});

beforeEach(() => emulator.reset());

afterAll(async () => {
	await emulator.close();
});

async function mde(path: string, init: { method?: string; body?: unknown; token?: string } = {}): Promise<JsonResponse> {
	return requestJson(path.startsWith('https://') ? path : `${emulator.mdeUrl}${path}`, {
		method: init.method ?? 'GET',
		headers: {
			authorization: `Bearer ${init.token ?? token}`,
			...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
		},
		body: init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body),
	});
}

function expectMdeError(response: JsonResponse, status: number, code: string, message?: string | RegExp): void {
	expect(response.status).toBe(status);
	expect(response.body).toEqual({ error: { code, message: expect.any(String), target: expect.any(String) } });
	if (message !== undefined) expect(response.body.error.message).toMatch(message);
}

const windowsMachine = () => emulator.store.machines.find((machine) => machine.osPlatform.startsWith('Windows'))!;
const linuxMachine = () => emulator.store.machines.find((machine) => machine.osPlatform === 'Linux')!;

describe('machines', () => {
	it('lists with OData filters, caps $top at 10,000 and pages with nextLink', async () => {
		const all = await mde('/api/machines');
		expect(all.status).toBe(200);
		expect(all.body['@odata.context']).toBe(`${emulator.mdeUrl}/api/$metadata#Machines`);
		expect(all.body.value).toHaveLength(emulator.store.machines.length);

		const high = await mde(`/api/machines?$filter=${encodeURIComponent("riskScore eq 'High' and healthStatus eq 'Active'")}`);
		expect(high.body.value.length).toBe(emulator.store.machines.filter((machine) => machine.riskScore === 'High' && machine.healthStatus === 'Active').length);
		const tagged = await mde(`/api/machines?$filter=${encodeURIComponent("machineTags/any(tag: tag eq 'Finance')")}`);
		expect(tagged.body.value.every((machine: any) => machine.machineTags.includes('Finance'))).toBe(true);
		const named = await mde(`/api/machines?$filter=${encodeURIComponent("startswith(computerDnsName,'win11')")}`);
		expect(named.body.value.length).toBeGreaterThan(0);

		expectMdeError(await mde('/api/machines?$top=10001'), 400, 'ODataError', "The limit of '10000' for Top query has been exceeded");
		expectMdeError(await mde(`/api/machines?$filter=${encodeURIComponent("riskScore eq 'Extreme'")}`), 400, 'ODataError');
		const page = await mde('/api/machines?$top=5');
		expect(page.body.value).toHaveLength(5);
		const next = await mde(page.body['@odata.nextLink']);
		expect(next.body.value[0].id).toBe(all.body.value[5].id);
	});

	it('gets one machine, and answers unknown ones and unknown routes in the MDE error shape', async () => {
		const machine = windowsMachine();
		const one = await mde(`/api/machines/${machine.id}`);
		expect(one.body).toMatchObject({ id: machine.id, computerDnsName: machine.computerDnsName, '@odata.context': expect.stringContaining('Machines/$entity') });
		expectMdeError(await mde(`/api/machines/${'f'.repeat(40)}`), 404, 'ResourceNotFound', `Machine ${'f'.repeat(40)} was not found`);
		expectMdeError(await mde('/api/nosuchthing'), 404, 'NotFound');
	});

	it('finds machines by internal IP around a time and by tag', async () => {
		const machine = windowsMachine();
		const found = await mde(`/api/machines/findbyip(ip='${machine.lastIpAddress}',timestamp=${machine.lastSeen.replace(/\.\d+Z$/, 'Z')})`);
		expect(found.status).toBe(200);
		expect(found.body.value.map((entry: any) => entry.id)).toContain(machine.id);
		const old = new Date(Date.now() - 31 * 86_400_000).toISOString();
		expectMdeError(await mde(`/api/machines/findbyip(ip='${machine.lastIpAddress}',timestamp=${old})`), 400, 'InvalidInput', /past 30 days/);
		expectMdeError(await mde(`/api/machines/findbyip(ip='10.1.2',timestamp=${new Date().toISOString()})`), 400, 'InvalidIpAddress');
		const byTag = await mde('/api/machines/findbytag?tag=fin&useStartsWithFilter=true');
		expect(byTag.body.value.every((entry: any) => entry.machineTags.some((tag: string) => tag.toLowerCase().startsWith('fin')))).toBe(true);
	});

	it('adds and removes tags, with the body names Microsoft documents', async () => {
		const machine = windowsMachine();
		const added = await mde(`/api/machines/${machine.id}/tags`, { method: 'POST', body: { Value: 'Contained', Action: 'Add' } });
		expect(added.status).toBe(200);
		expect(added.body.machineTags).toContain('Contained');
		const removed = await mde(`/api/machines/${machine.id}/tags`, { method: 'POST', body: { Value: 'Contained', Action: 'Remove' } });
		expect(removed.body.machineTags).not.toContain('Contained');
		expectMdeError(await mde(`/api/machines/${machine.id}/tags`, { method: 'POST', body: { value: 'x', action: 'Add' } }), 400, 'MissingRequiredParameter', 'Parameter Value is missing.');
		expectMdeError(await mde(`/api/machines/${machine.id}/tags`, { method: 'POST', body: { Value: 'x', Action: 'Add' }, token: readOnlyToken }), 403, 'Forbidden');
	});

	it('serves logon users, alerts, software, vulnerabilities and recommendations of a machine', async () => {
		const alertMachineId = emulator.store.listAlerts().flatMap((alert) => alert.evidence).find((evidence) => evidence.mdeDeviceId)?.mdeDeviceId as string;
		const users = await mde(`/api/machines/${alertMachineId}/logonusers`);
		expect(users.body.value[0]).toMatchObject({ id: expect.stringContaining('\\'), accountName: expect.any(String), logonTypes: expect.any(String) });
		const alerts = await mde(`/api/machines/${alertMachineId}/alerts`);
		expect(alerts.body.value.length).toBeGreaterThan(0);
		expect(alerts.body.value[0]).toMatchObject({ machineId: alertMachineId, severity: expect.stringMatching(/^[A-Z]/), status: expect.stringMatching(/^(New|InProgress|Resolved)$/) });
		const software = await mde(`/api/machines/${alertMachineId}/software`);
		expect(software.body.value[0]).toMatchObject({ id: expect.stringContaining('-_-'), vendor: expect.any(String) });
		const vulnerabilities = await mde(`/api/machines/${windowsMachine().id}/vulnerabilities`);
		expect(vulnerabilities.body.value[0].id).toMatch(/^CVE-/);
		expectMdeError(await mde(`/api/machines/${alertMachineId}/logonusers`, { token: readOnlyToken }), 403, 'Forbidden', /User\.Read\.All/);
	});
});

describe('machine actions', () => {
	it('creates an action with 201, refuses a duplicate while it is pending, and moves it on the emulator clock', async () => {
		emulator.mde.setMachineActionBehaviour({ pendingMs: 60_000, inProgressMs: 60_000, outcome: 'Succeeded' });
		const machine = windowsMachine();
		const created = await mde(`/api/machines/${machine.id}/isolate`, { method: 'POST', body: { Comment: 'Isolate due to alert 1234', IsolationType: 'Selective' } });
		expect(created.status).toBe(201);
		expect(created.body).toMatchObject({
			id: expect.stringMatching(/^[0-9a-f-]{36}$/),
			type: 'Isolate',
			scope: 'Selective',
			status: 'Pending',
			requestorComment: 'Isolate due to alert 1234',
			machineId: machine.id,
			computerDnsName: machine.computerDnsName,
			creationDateTimeUtc: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}Z$/),
		});
		const duplicate = await mde(`/api/machines/${machine.id}/isolate`, { method: 'POST', body: { Comment: 'again' } });
		expectMdeError(duplicate, 400, 'BadRequest', 'Action is already in progress');
		const release = await mde(`/api/machines/${machine.id}/unisolate`, { method: 'POST', body: { Comment: 'release' } });
		expectMdeError(release, 400, 'BadRequest', 'Action is already in progress');
		const scan = await mde(`/api/machines/${machine.id}/runAntiVirusScan`, { method: 'POST', body: { Comment: 'scan', ScanType: 'Quick' } });
		expect(scan.status).toBe(201);

		const status = async () => (await mde(`/api/machineactions/${created.body.id}`)).body.status;
		expect(await status()).toBe('Pending');
		emulator.setClockOffset(61_000);
		expect(await status()).toBe('InProgress');
		emulator.setClockOffset(121_000);
		expect(await status()).toBe('Succeeded');
		const again = await mde(`/api/machines/${machine.id}/isolate`, { method: 'POST', body: { Comment: 'now allowed' } });
		expect(again.status).toBe(201);
	});

	it('lets a test hold an action and decide its outcome', async () => {
		emulator.mde.setMachineActionBehaviour({ pendingMs: null });
		const machine = windowsMachine();
		const created = await mde(`/api/machines/${machine.id}/runAntiVirusScan`, { method: 'POST', body: { Comment: 'scan', ScanType: 'Full' } });
		emulator.setClockOffset(30 * 60_000);
		expect((await mde(`/api/machineactions/${created.body.id}`)).body.status).toBe('Pending');
		emulator.mde.setMachineActionStatus(created.body.id, 'Failed');
		expect((await mde(`/api/machineactions/${created.body.id}`)).body).toMatchObject({ status: 'Failed', errorHResult: expect.any(Number) });
	});

	it('checks the body and platform of each action', async () => {
		const machine = windowsMachine();
		expectMdeError(await mde(`/api/machines/${machine.id}/isolate`, { method: 'POST', body: { comment: 'lower case' } }), 400, 'MissingRequiredParameter', 'Parameter Comment is missing.');
		expectMdeError(await mde(`/api/machines/${machine.id}/isolate`, { method: 'POST', body: { Comment: 'x', IsolationType: 'Partial' } }), 400, 'InvalidInput');
		expectMdeError(await mde(`/api/machines/${machine.id}/runAntiVirusScan`, { method: 'POST', body: { Comment: 'x' } }), 400, 'MissingRequiredParameter', 'Parameter ScanType is missing.');
		expectMdeError(await mde(`/api/machines/${machine.id}/StopAndQuarantineFile`, { method: 'POST', body: { Comment: 'x', Sha1: 'abc' } }), 400, 'InvalidHashValue', 'Hash value abc is invalid.');
		expectMdeError(await mde(`/api/machines/${linuxMachine().id}/offboard`, { method: 'POST', body: { Comment: 'x' } }), 400, 'OsPlatformNotSupported', "OS Platform Linux isn't supported for this action.");
		expectMdeError(await mde(`/api/machines/${machine.id}/isolate`, { method: 'POST', body: 'not json' }), 400, 'InvalidRequestBody');
		expectMdeError(await mde(`/api/machines/${'a'.repeat(40)}/isolate`, { method: 'POST', body: { Comment: 'x' } }), 404, 'ResourceNotFound');
	});

	it('requires the documented application role per action', async () => {
		const machine = windowsMachine();
		const forbidden = await mde(`/api/machines/${machine.id}/isolate`, { method: 'POST', body: { Comment: 'x' }, token: readOnlyToken });
		expectMdeError(forbidden, 403, 'Forbidden', /Machine\.Isolate/);
		expect(requiredRolesFor('mde', 'POST', '/api/machines/:id/isolate')).toEqual(['Machine.Isolate']);
		expect(requiredRolesFor('mde', 'POST', '/api/machines/:id/StopAndQuarantineFile')).toEqual(['Machine.StopAndQuarantine']);
		expect(requiredRolesFor('mde', 'GET', '/api/machineactions')).toEqual(['Machine.Read.All', 'Machine.ReadWrite.All']);
		expect(requiredRolesFor('mde', 'POST', '/api/indicators/import')).toEqual(['Ti.ReadWrite', 'Ti.ReadWrite.All']);
	});

	it('cancels a running action, refuses to cancel a finished one, and serves the package URI once collected', async () => {
		emulator.mde.setMachineActionBehaviour({ pendingMs: 0, inProgressMs: 60_000 });
		const machine = windowsMachine();
		const collect = await mde(`/api/machines/${machine.id}/collectInvestigationPackage`, { method: 'POST', body: { Comment: 'collect' } });
		expect(collect.status).toBe(201);
		expectMdeError(await mde(`/api/machineactions/${collect.body.id}/getPackageUri`), 404, 'ResourceNotFound');
		const cancelled = await mde(`/api/machineactions/${collect.body.id}/cancel`, { method: 'POST', body: { Comment: 'not needed' } });
		expect(cancelled.body).toMatchObject({ status: 'Cancelled', cancellationComment: 'not needed', cancellationRequestor: expect.any(String) });
		expectMdeError(await mde(`/api/machineactions/${collect.body.id}/cancel`, { method: 'POST', body: { Comment: 'again' } }), 400, 'BadRequest', /final state/);

		const second = await mde(`/api/machines/${machine.id}/collectInvestigationPackage`, { method: 'POST', body: { Comment: 'collect again' } });
		emulator.mde.setMachineActionStatus(second.body.id, 'Succeeded');
		const uri = await mde(`/api/machineactions/${second.body.id}/getPackageUri`);
		expect(uri.status).toBe(200);
		expect(uri.body.value).toMatch(/^"https:\/\/.+WDATP_Investigation_Package\.zip\?token=.+"$/);
		expectMdeError(await mde('/api/machineactions/5382f7ea-7557-4ab7-9782-d50480024a4e'), 404, 'ResourceNotFound');
	});

	it('lists actions with $filter on machineId, type, status and creation time', async () => {
		emulator.mde.setMachineActionBehaviour({ pendingMs: null });
		const [first, second] = emulator.store.machines.filter((machine) => machine.osPlatform.startsWith('Windows'));
		await mde(`/api/machines/${first.id}/isolate`, { method: 'POST', body: { Comment: 'a' } });
		await mde(`/api/machines/${second.id}/runAntiVirusScan`, { method: 'POST', body: { Comment: 'b', ScanType: 'Quick' } });
		const filter = encodeURIComponent(`machineId eq '${first.id}' and type eq 'Isolate' and status eq 'Pending'`);
		const listed = await mde(`/api/machineactions?$filter=${filter}`);
		expect(listed.body.value).toHaveLength(1);
		expect(listed.body.value[0]).toMatchObject({ machineId: first.id, type: 'Isolate' });
		const all = await mde(`/api/machineactions?$filter=${encodeURIComponent('creationDateTimeUtc gt 2020-01-01T00:00:00Z')}`);
		expect(all.body.value).toHaveLength(2);
	});
});

describe('indicators', () => {
	const sha1 = '220e7d15b011d7fac48f2bd61114db1022197f7f';
	const indicator = (value: string, extra: Record<string, unknown> = {}) => ({
		indicatorValue: value,
		indicatorType: 'FileSha1',
		action: 'Block',
		title: 'test',
		description: 'test',
		...extra,
	});

	it('submits, updates in place, lists and deletes', async () => {
		const created = await mde('/api/indicators', { method: 'POST', body: indicator(sha1.toUpperCase(), { severity: 'High', rbacGroupNames: ['Workstations'] }) });
		expect(created.status).toBe(200);
		expect(created.body).toMatchObject({ id: expect.stringMatching(/^\d+$/), indicatorValue: sha1, severity: 'High', rbacGroupNames: ['Workstations'], rbacGroupIds: ['43'], sourceType: 'AadApp' });
		const updated = await mde('/api/indicators', { method: 'POST', body: indicator(sha1, { action: 'Audit', generateAlert: true }) });
		expect(updated.body).toMatchObject({ id: created.body.id, action: 'Audit' });
		const listed = await mde(`/api/indicators?$filter=${encodeURIComponent(`indicatorValue eq '${sha1}'`)}`);
		expect(listed.body.value).toHaveLength(1);
		expect((await mde(`/api/indicators/${created.body.id}`, { method: 'DELETE' })).status).toBe(204);
		expectMdeError(await mde(`/api/indicators/${created.body.id}`, { method: 'DELETE' }), 404, 'ResourceNotFound');
	});

	it('checks values against their type, Audit against generateAlert, and the tenant cap of 15,000', async () => {
		expectMdeError(await mde('/api/indicators', { method: 'POST', body: indicator('xyz') }), 400, 'InvalidHashValue', 'Hash value xyz is invalid.');
		expectMdeError(await mde('/api/indicators', { method: 'POST', body: indicator('10.0.0.0/8', { indicatorType: 'IpAddress' }) }), 400, 'InvalidIpAddress');
		expectMdeError(await mde('/api/indicators', { method: 'POST', body: indicator('not a domain', { indicatorType: 'DomainName' }) }), 400, 'InvalidDomainName');
		expectMdeError(await mde('/api/indicators', { method: 'POST', body: indicator(sha1, { action: 'Audit', generateAlert: false }) }), 400, 'InvalidInput', /GenerateAlert/);
		expectMdeError(await mde('/api/indicators', { method: 'POST', body: { indicatorValue: sha1, indicatorType: 'FileSha1', action: 'Block', title: 't' } }), 400, 'MissingRequiredParameter', 'Parameter description is missing.');

		emulator.mde.addIndicators(14_999);
		expect((await mde('/api/indicators', { method: 'POST', body: indicator(sha1) })).status).toBe(200);
		expectMdeError(await mde('/api/indicators', { method: 'POST', body: indicator('1'.repeat(40)) }), 400, 'BadRequest', /limit of 15000 active indicators/);
		// Updating an existing indicator is still allowed at the cap.
		expect((await mde('/api/indicators', { method: 'POST', body: indicator(sha1, { title: 'renamed' }) })).status).toBe(200);
	});

	it('imports at most 500 per call and reports each indicator', async () => {
		const tooMany = Array.from({ length: 501 }, (_, index) => indicator(index.toString(16).padStart(40, '0')));
		expectMdeError(await mde('/api/indicators/import', { method: 'POST', body: { Indicators: tooMany } }), 400, 'MaximumBatchSizeExceeded', 'Maximum batch size exceeded. Received: 501, allowed: 500.');
		expectMdeError(await mde('/api/indicators/import', { method: 'POST', body: { indicators: [] } }), 400, 'MissingRequiredParameter', 'Parameter Indicators is missing.');
		const imported = await mde('/api/indicators/import', { method: 'POST', body: { Indicators: [indicator(sha1), indicator('bad'), indicator('example.com', { indicatorType: 'DomainName' })] } });
		expect(imported.status).toBe(200);
		expect(imported.body.value).toEqual([
			{ id: expect.any(String), indicator: sha1, isFailed: false, failureReason: null },
			{ id: null, indicator: 'bad', isFailed: true, failureReason: 'Hash value bad is invalid.' },
			{ id: expect.any(String), indicator: 'example.com', isFailed: false, failureReason: null },
		]);
		emulator.mde.setLimits({ maxActiveIndicators: 3 });
		const capped = await mde('/api/indicators/import', { method: 'POST', body: { Indicators: [indicator('2'.repeat(40)), indicator('3'.repeat(40))] } });
		expect(capped.body.value.map((entry: any) => entry.isFailed)).toEqual([false, true]);
	});

	it('shows an app with Ti.ReadWrite only its own indicators', async () => {
		emulator.mde.addIndicators(2);
		const app = emulator.registerApp({ clientId: '11111111-2222-3333-4444-555555555555', secrets: [{ value: 'own-secret' }], roles: { mde: ['Ti.ReadWrite'] } });
		const ownToken = await getToken(emulator, { ...emulator.apps.full, clientId: app.clientId, clientSecret: 'own-secret' }, emulator.mdeUrl);
		await mde('/api/indicators', { method: 'POST', body: indicator(sha1), token: ownToken });
		expect((await mde('/api/indicators', { token: ownToken })).body.value).toHaveLength(1);
		expect((await mde('/api/indicators')).body.value).toHaveLength(3);
	});
});

describe('files, IPs, domains, users and vulnerability management', () => {
	it('serves file information and statistics by SHA-1 or SHA-256, alerts and machines by SHA-1', async () => {
		const file = emulator.store.files.find((candidate) => candidate.fileName === 'mimikatz.exe')!;
		for (const hash of [file.sha1, file.sha256]) {
			const info = await mde(`/api/files/${hash}`);
			expect(info.body).toMatchObject({ sha1: file.sha1, sha256: file.sha256, determinationType: 'Malware', determinationValue: file.threatName });
		}
		const stats = await mde(`/api/files/${file.sha1}/stats?lookBackHours=48`);
		expect(stats.body).toMatchObject({ sha1: file.sha1, organizationPrevalence: expect.any(Number), topFileNames: expect.any(Array) });
		expectMdeError(await mde(`/api/files/${file.sha1}/stats?lookBackHours=721`), 400, 'InvalidInput');
		expect((await mde(`/api/files/${file.sha1}/alerts`)).body.value.length).toBeGreaterThan(0);
		expect((await mde(`/api/files/${file.sha1}/machines`)).body.value.length).toBeGreaterThan(0);
		expectMdeError(await mde(`/api/files/${file.sha256}/alerts`), 400, 'InvalidHashValue');
		expectMdeError(await mde('/api/files/nothex'), 400, 'InvalidHashValue');
		expectMdeError(await mde(`/api/files/${'0'.repeat(40)}`), 404, 'ResourceNotFound');
		expect((await mde(`/api/files/${'0'.repeat(40)}/alerts`)).body.value).toEqual([]);
	});

	it('serves IP and domain statistics and alerts, and user alerts and machines', async () => {
		const ipEvidence = emulator.store.listAlerts().flatMap((alert) => alert.evidence).find((evidence) => evidence.ipAddress);
		const ip = String(ipEvidence?.ipAddress);
		expect((await mde(`/api/ips/${ip}/stats`)).body).toMatchObject({ ipAddress: ip, organizationPrevalence: expect.any(Number) });
		expect((await mde(`/api/ips/${ip}/alerts`)).body.value.length).toBeGreaterThan(0);
		expectMdeError(await mde('/api/ips/999.1.1.1/stats'), 400, 'InvalidIpAddress', 'IP address 999.1.1.1 is invalid.');
		const domainStats = await mde('/api/domains/github.com/stats');
		expect(domainStats.body).toMatchObject({ host: 'github.com', organizationPrevalence: expect.any(Number) });
		expect((await mde('/api/domains/github.com/machines')).body.value.length).toBeGreaterThan(0);
		expectMdeError(await mde('/api/domains/not_a_domain/stats'), 400, 'InvalidDomainName');
		const userEvidence = emulator.store.listAlerts().flatMap((alert) => alert.evidence).find((evidence) => evidence.userAccount);
		const accountName = String((userEvidence?.userAccount as Record<string, unknown>).accountName);
		expect((await mde(`/api/users/${accountName}/alerts`)).body.value.length).toBeGreaterThan(0);
		expect((await mde(`/api/users/${accountName}/machines`)).body.value.length).toBeGreaterThan(0);
		expectMdeError(await mde(`/api/users/${accountName}@contoso.com/alerts`), 400, 'InvalidInput');
	});

	it('lists vulnerabilities ($top up to 8,000), software and recommendations with filters', async () => {
		const high = await mde(`/api/vulnerabilities?$filter=${encodeURIComponent("severity eq 'Critical' or cvssV3 ge 8.5")}`);
		expect(high.body.value.length).toBeGreaterThan(0);
		expect(high.body.value.every((entry: any) => entry.severity === 'Critical' || entry.cvssV3 >= 8.5)).toBe(true);
		expectMdeError(await mde('/api/vulnerabilities?$top=8001'), 400, 'ODataError');
		const chrome = await mde(`/api/software?$filter=${encodeURIComponent("vendor eq 'google'")}`);
		expect(chrome.body.value.map((entry: any) => entry.name)).toEqual(['chrome']);
		const recommendations = await mde(`/api/recommendations?$filter=${encodeURIComponent("remediationType eq 'Update'")}`);
		expect(recommendations.body.value[0]).toMatchObject({ id: expect.stringMatching(/^va-_-/), exposedMachinesCount: expect.any(Number) });
		expectMdeError(await mde('/api/recommendations', { token: readOnlyToken }), 403, 'Forbidden', /SecurityRecommendation\.Read\.All/);
	});
});

describe('limits', () => {
	it('answers 429 TooManyRequests with Retry-After past 100 calls a minute', async () => {
		emulator.setThrottle('mde', { limitPerMinute: 100 });
		for (let call = 0; call < 100; call++) expect((await mde('/api/machines?$top=1')).status).toBe(200);
		const throttled = await mde('/api/machines?$top=1');
		expectMdeError(throttled, 429, 'TooManyRequests', /Rate limit is exceeded/);
		expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0);
	});

	it('and past 1,500 calls an hour, even when each minute stays under 100', async () => {
		emulator.setThrottle('mde', { limitPerMinute: 100 });
		for (let minute = 0; minute < 15; minute++) {
			emulator.setClockOffset(minute * 61_000);
			const statuses = await Promise.all(Array.from({ length: 100 }, () => mde('/api/machines?$top=1').then((response) => response.status)));
			expect(statuses.every((status) => status === 200)).toBe(true);
		}
		emulator.setClockOffset(15 * 61_000);
		const throttled = await mde('/api/machines?$top=1');
		expectMdeError(throttled, 429, 'TooManyRequests');
		// The oldest calls leave the hour window about 45 minutes later.
		expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(40 * 60);
	}, 30_000);
});
