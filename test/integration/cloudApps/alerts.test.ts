import { CLOUD_APPS_RESOURCE, MASS_DOWNLOAD_ALERT_TITLE } from '../../emulator';
import { byId } from '../harness';
import { cloudAppsCalls, useCloudAppsEmulator } from './helpers';

const env = useCloudAppsEmulator();

describe('Cloud Apps Alert', () => {
	it('gets one alert (by ID and by its portal URL) and lists alerts filtered, sorted and paged 100 a call', async () => {
		const seeded = env.emulator.cloudApps.state().alerts[0];
		const { items } = await env.run('cloudAppsAlert', { operation: 'get', alertId: byId(seeded._id) });
		expect(items[0].json).toMatchObject({ _id: seeded._id, title: MASS_DOWNLOAD_ALERT_TITLE, timestamp: seeded.timestamp });
		expect(items[0].pairedItem).toEqual({ item: 0 });
		const { items: byUrl } = await env.run('cloudAppsAlert', { operation: 'get', alertId: { __rl: true, mode: 'url', value: seeded.URL } });
		expect(byUrl[0].json._id).toBe(seeded._id);

		env.emulator.cloudApps.addAlerts(230, { severityValue: 2 });
		env.emulator.clearRequestLog();
		const { items: high } = await env.run('cloudAppsAlert', {
			operation: 'getAll',
			returnAll: true,
			filters: { severity: [2], open: 'yes' },
			sort: { sortField: 'date', sortDirection: 'asc' },
		});
		const expected = env.emulator.cloudApps.state().alerts.filter((alert) => alert.severityValue === 2 && alert.resolutionStatusValue === 0);
		expect(high).toHaveLength(expected.length);
		expect(new Set(high.map((item) => item.json._id)).size).toBe(expected.length);
		const calls = cloudAppsCalls(env.emulator);
		expect(calls.map((call) => `${call.method} ${call.path}`)).toEqual(Array(Math.ceil(expected.length / 100)).fill('POST /api/v1/alerts/'));

		const { items: limited } = await env.run('cloudAppsAlert', { operation: 'getAll', limit: 7, filterOptions: { filterJson: '{"severity": {"eq": [2]}}' } });
		expect(limited).toHaveLength(7);
	});

	it('simplifies an alert: names for codes, the time as an n8n date, the portal link', async () => {
		const seeded = env.emulator.cloudApps.state().alerts[0];
		const { items } = await env.run('cloudAppsAlert', { operation: 'get', alertId: byId(seeded._id), simplify: true }, { typeVersion: 1.1 });
		expect(items[0].json).toMatchObject({
			id: seeded._id,
			title: MASS_DOWNLOAD_ALERT_TITLE,
			severity: 'high',
			resolutionStatus: 'open',
			time: new Date(seeded.timestamp).toISOString(),
			url: seeded.URL,
		});
		expect(items[0].json.entities).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'account', id: seeded.entities[0].id, saas: 11161, inst: 0 })]));
	});

	it('closes 250 alerts selected by a filter as benign in one call, counted per alert, with the named reason', async () => {
		env.emulator.cloudApps.addAlerts(250, { alertType: 4242 });
		env.emulator.clearRequestLog();
		const { items, error } = await env.run('cloudAppsAlert', {
			operation: 'closeBenign',
			selectBy: 'filters',
			filters: { alertTypes: '4242' },
			comment: 'Red team exercise',
			reasonId: 6,
			feedback: { feedbackText: 'Scheduled test' },
		});
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ verdict: 'benign', closed: 250, alertsNotFound: [] });
		const calls = cloudAppsCalls(env.emulator);
		expect(calls.map((call) => `${call.method} ${call.path}`)).toEqual(['POST /api/v1/alerts/close_benign/']);
		const closed = env.emulator.cloudApps.state().alerts.filter((alert) => alert.hidden.alertType === 4242);
		expect(closed.every((alert) => alert.resolutionStatusValue === 4 && alert.comment === 'Red team exercise')).toBe(true);
		expect(env.emulator.cloudApps.state().alertFeedback).toEqual([expect.objectContaining({ reasonId: 6, feedbackText: 'Scheduled test' })]);

		const { error: noFilter } = await env.run('cloudAppsAlert', { operation: 'closeBenign', selectBy: 'filters', filters: {} });
		expect(noFilter?.message).toMatch(/No filter is set/);
	});

	it('closes by IDs as false positive and true positive, reporting ids Microsoft did not find', async () => {
		const [first, second] = env.emulator.cloudApps.addAlerts(2);
		const missing = '5f843e9cfe3f6d80fe58a962';
		const { items } = await env.run('cloudAppsAlert', { operation: 'closeFalsePositive', alertIds: `${first._id}, ${missing}`, reasonId: 1, comment: 'Noisy rule' });
		expect(items[0].json).toMatchObject({ verdict: 'falsePositive', closed: 1, requested: 2, alertsNotFound: [missing] });
		expect(first.resolutionStatusValue).toBe(3);
		const { items: truePositive } = await env.run('cloudAppsAlert', { operation: 'closeTruePositive', alertIds: second._id, comment: 'Confirmed exfiltration' });
		expect(truePositive[0].json).toMatchObject({ verdict: 'truePositive', closed: 1 });
		expect(second).toMatchObject({ resolutionStatusValue: 5, comment: 'Confirmed exfiltration' });
	});

	it('marks alerts read and unread, one item each, paired', async () => {
		const [first, second] = env.emulator.cloudApps.addAlerts(2);
		const { items } = await env.run('cloudAppsAlert', { operation: 'markAsRead', alertId: byId('={{ $json.id }}') }, { input: [{ id: first._id }, { id: second._id }] });
		expect(items.map((item) => [item.json, item.pairedItem])).toEqual([
			[{ id: first._id, read: true }, { item: 0 }],
			[{ id: second._id, read: true }, { item: 1 }],
		]);
		expect([first.statusValue, second.statusValue]).toEqual([1, 1]);
		await env.run('cloudAppsAlert', { operation: 'markAsUnread', alertId: byId(first._id) });
		expect(first.statusValue).toBe(0);
	});

	it('refuses hostile or broken input before any request, naming the field; Continue On Fail keeps the other items', async () => {
		env.emulator.clearRequestLog();
		const good = env.emulator.cloudApps.state().alerts[1]._id;
		const { items } = await env.run(
			'cloudAppsAlert',
			{ operation: 'get', alertId: byId('={{ $json.id }}') },
			{ continueOnFail: true, input: [{ id: '603f704aaf7417985bbf3b22/../../subnet' }, { id: '..' }, { id: good }] },
		);
		expect(items[0].json.error).toMatch(/^Alert ".*" is not valid/);
		expect(items[1].json.error).toMatch(/^Alert "\.\." is not valid/);
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(items[2].json._id).toBe(good);
		expect(cloudAppsCalls(env.emulator).map((call) => call.path)).toEqual([`/api/v1/alerts/${good}/`]);

		env.emulator.clearRequestLog();
		const { error: json } = await env.run('cloudAppsAlert', { operation: 'getAll', filterOptions: { filterJson: '{severity: 2' } });
		expect(json?.message).toMatch(/^Filter \(JSON\) is not valid JSON/);
		const { error: shape } = await env.run('cloudAppsAlert', { operation: 'getAll', filterOptions: { filterJson: '{"severity": [2]}' } });
		expect(shape?.message).toMatch(/^Filter \(JSON\): "severity" must map to an object/);
		const { error: ids } = await env.run('cloudAppsAlert', { operation: 'closeTruePositive', alertIds: '603f704aaf7417985bbf3b22, ../x' });
		expect(ids?.message).toMatch(/^Alert IDs "\.\.\/x" is not valid/);
		expect(env.emulator.requestLog()).toHaveLength(0);
	});

	it('refuses a Cloud Apps API URL on another host before any request, token requests included', async () => {
		env.emulator.clearRequestLog();
		for (const cloudAppsUrl of ['https://contoso.portal.cloudappsecurity.com.evil.example/api', 'https://evil.example/api', 'not a url']) {
			env.credentials.hostile = { ...env.credentials.full, environment: 'global', cloudAppsUrl };
			const { error } = await env.run('cloudAppsAlert', { operation: 'getAll', limit: 1 }, { credentialId: 'hostile' });
			expect(error?.message).toMatch(/Cloud Apps API URL/);
		}
		expect(env.emulator.requestLog()).toHaveLength(0);
	});

	it('asks tokens for the Cloud Apps scope and sends them to the Cloud Apps host only', async () => {
		env.emulator.clearRequestLog();
		await env.run('cloudAppsAlert', { operation: 'getAll', limit: 3 });
		const log = env.emulator.requestLog();
		const tokenRequests = log.filter((entry) => entry.api === 'token');
		expect(tokenRequests.map((entry) => entry.audience)).toEqual([CLOUD_APPS_RESOURCE]);
		const withToken = log.filter((entry) => entry.api !== 'token');
		expect(withToken.length).toBeGreaterThan(0);
		expect(withToken.every((entry) => entry.api === 'cloudApps' && entry.audience === CLOUD_APPS_RESOURCE)).toBe(true);
		expect(env.emulator.storageLog()).toHaveLength(0);
	});

	it('Check Permissions reports the Cloud Apps permissions and what each unlocks, from a Cloud Apps token', async () => {
		const { items } = await env.run('credential', { operation: 'checkPermissions' });
		const cloudApps = items.map((item) => item.json).filter((status) => status.api === 'Cloud Apps');
		expect(cloudApps.map((status) => [status.permission, status.granted, status.grantedBy])).toEqual([
			['Investigation.read', true, 'Investigation.manage'],
			['Investigation.manage', true, undefined],
			['Discovery.read', true, 'Discovery.manage'],
			['Discovery.manage', true, undefined],
			['Settings.read', true, 'Settings.manage'],
			['Settings.manage', true, undefined],
		]);
		const { items: readOnly } = await env.run('credential', { operation: 'checkPermissions', permissionsToReturn: 'missing' }, { credentialId: 'readOnly' });
		const missing = readOnly.map((item) => item.json).filter((status) => status.api === 'Cloud Apps');
		expect(missing.map((status) => status.permission)).toEqual(['Investigation.manage', 'Discovery.read', 'Discovery.manage', 'Settings.read', 'Settings.manage']);
		expect(missing[0].operations).toContain('Cloud Apps Alert Close as True Positive');
	});

	it('names the missing permission when the app may not close alerts', async () => {
		const [alert] = env.emulator.cloudApps.addAlerts(1);
		const { error } = await env.run('cloudAppsAlert', { operation: 'closeTruePositive', alertIds: alert._id }, { credentialId: 'readOnly' });
		expect(error?.message).toMatch(/403|permission/i);
		expect(alert.resolutionStatusValue).toBe(0);
	});
});
