/* eslint-disable @typescript-eslint/no-explicit-any -- tests navigate arbitrary JSON response bodies freely */
import type { Emulator } from '../../emulator';
import { CLOUD_APPS_RESOURCE, encodeEntityKey, MASS_DOWNLOAD_ALERT_TITLE } from '../../emulator';
import type { JsonResponse } from './helpers';
import { decodeJwtPayload, getToken, requestJson, startTestEmulator } from './helpers';

let emulator: Emulator;
let token: string;

beforeAll(async () => {
	emulator = await startTestEmulator();
});

beforeEach(async () => {
	emulator.reset();
	token = await getToken(emulator, emulator.apps.full, CLOUD_APPS_RESOURCE);
});

afterAll(async () => {
	await emulator.close();
});

function cloudApps(path: string, init: { method?: string; body?: unknown; token?: string; form?: Record<string, string> } = {}): Promise<JsonResponse> {
	const headers: Record<string, string> = { authorization: `Bearer ${init.token ?? token}` };
	let body: string | undefined;
	if (init.form) {
		headers['content-type'] = 'application/x-www-form-urlencoded';
		body = new URLSearchParams(init.form).toString();
	} else if (init.body !== undefined) {
		headers['content-type'] = 'application/json';
		body = JSON.stringify(init.body);
	}
	return requestJson(`${emulator.cloudAppsUrl}${path}`, { method: init.method ?? (body === undefined ? 'GET' : 'POST'), headers, body });
}

describe('Cloud Apps emulator: authentication and routes', () => {
	it('issues tokens for the Microsoft Cloud App Security application id with its permissions, and requires that audience', async () => {
		const claims = decodeJwtPayload(token);
		expect(claims.aud).toBe('05a65629-4c1b-48c1-a78b-804c4abdd4af');
		expect(claims.roles).toEqual(['Investigation.manage', 'Discovery.manage', 'Settings.manage']);

		const graphToken = await getToken(emulator, emulator.apps.full);
		const refused = await cloudApps('/api/v1/alerts/', { token: graphToken });
		expect(refused.status).toBe(401);
		expect(refused.body).toEqual({ detail: 'Access token validation failure. Invalid audience.' });
		expect((await cloudApps('/api/v1/alerts/', { token: '' })).status).toBe(401);

		// A Cloud Apps token is no Graph token either.
		const graphAnswer = await requestJson(`${emulator.graphUrl}/v1.0/security/alerts_v2`, { headers: { authorization: `Bearer ${token}` } });
		expect(graphAnswer.status).toBe(401);
	});

	it('answers 403 when a permission is missing: a read-only app cannot close alerts or create IP ranges', async () => {
		const readOnly = await getToken(emulator, emulator.apps.readOnly, CLOUD_APPS_RESOURCE);
		expect(decodeJwtPayload(readOnly).roles).toEqual(['Investigation.read']);
		expect((await cloudApps('/api/v1/alerts/', { token: readOnly })).status).toBe(200);
		const close = await cloudApps('/api/v1/alerts/close_true_positive/', { token: readOnly, body: { filters: { id: { eq: ['x'] } } } });
		expect(close.status).toBe(403);
		expect((await cloudApps('/api/v1/subnet/create_rule/', { token: readOnly, body: { name: 'n', category: 1, subnets: ['10.0.0.0/8'] } })).status).toBe(403);
	});

	it('serves the trailing slash each page prints, and only that form', async () => {
		expect((await cloudApps('/api/v1/alerts')).status).toBe(404);
		expect((await cloudApps('/api/v1/alerts/')).status).toBe(200);
		const activity = emulator.cloudApps.state().activities[0];
		expect((await cloudApps(`/api/v1/activities/${activity._id}/feedback/`, { body: { feedbackValue: '0' } })).status).toBe(404);
		expect((await cloudApps(`/api/v1/activities/${activity._id}/feedback`, { body: { feedbackValue: '0', feedbackText: 'fine' } })).status).toBe(200);
		expect(activity.feedback).toEqual([expect.objectContaining({ feedbackValue: '0', feedbackText: 'fine' })]);
		// The close true positive page prints both forms.
		const [first, second] = emulator.cloudApps.addAlerts(2);
		expect((await cloudApps('/api/v1/alerts/close_true_positive', { body: { filters: { id: { eq: [first._id] } } } })).body).toEqual({ closed_true_positive: 1 });
		expect((await cloudApps('/api/v1/alerts/close_true_positive/', { body: { filters: { id: { eq: [second._id] } } } })).body).toEqual({ closed_true_positive: 1 });
	});

	it('limits each tenant to 30 requests a minute once limits are on, whichever app asks, with Retry-After', async () => {
		emulator.setThrottle('cloudApps', { limitPerMinute: 30 });
		for (let index = 0; index < 30; index++) expect((await cloudApps('/api/v1/subnet/')).status).toBe(200);
		const readOnly = await getToken(emulator, emulator.apps.readOnly, CLOUD_APPS_RESOURCE);
		const throttled = await cloudApps('/api/v1/subnet/', { token: readOnly });
		expect(throttled.status).toBe(429);
		expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0);
	});
});

describe('Cloud Apps emulator: alerts', () => {
	it('lists with filters per field, refuses unknown fields, operators and value shapes, and pages by skip/limit up to 100', async () => {
		const all = emulator.cloudApps.state().alerts;
		const high = await cloudApps('/api/v1/alerts/', { body: { filters: { severity: { eq: [2] } }, limit: 100 } });
		expect(high.status).toBe(200);
		expect(high.body.total).toBe(all.filter((alert) => alert.severityValue === 2).length);
		expect(high.body.data.every((alert: any) => alert.severityValue === 2 && alert.hidden === undefined)).toBe(true);

		const open = await cloudApps('/api/v1/alerts/', { body: { filters: { alertOpen: { eq: true }, resolutionStatus: { neq: [3] } } } });
		expect(open.body.total).toBe(all.filter((alert) => alert.resolutionStatusValue === 0).length);

		const bad = [
			{ filters: { severityValue: { eq: [2] } } },
			{ filters: { severity: { gte: 1 } } },
			{ filters: { severity: { eq: 2 } } },
			{ filters: { alertOpen: { eq: 'yes' } } },
			{ filters: { date: { range: [{ start: 1 }] } } },
			{ sortField: 'title' },
		];
		for (const body of bad) {
			const answer = await cloudApps('/api/v1/alerts/', { body });
			expect(answer.status).toBe(400);
			expect(typeof answer.body.detail).toBe('string');
		}

		emulator.cloudApps.addAlerts(250);
		const first = await cloudApps('/api/v1/alerts/', { body: { limit: 500, sortField: 'date', sortDirection: 'asc' } });
		expect(first.body.data).toHaveLength(100);
		expect(first.body).toMatchObject({ total: 290, hasNext: true });
		const last = await cloudApps('/api/v1/alerts/?skip=200&limit=100');
		expect(last.body.data).toHaveLength(90);
		expect(last.body.hasNext).toBe(false);

		// GET with filters in the query string, and a form body, as api-introduction.md allows.
		const byQuery = await cloudApps(`/api/v1/alerts/?filters=${encodeURIComponent(JSON.stringify({ severity: { eq: [2] } }))}`);
		expect(byQuery.body.total).toBe(high.body.total + 250);
		const byForm = await cloudApps('/api/v1/alerts/', { form: { limit: '3' } });
		expect(byForm.body.data).toHaveLength(3);
	});

	it('filters dates in milliseconds: gte_ndays, range', async () => {
		const now = emulator.now().getTime();
		const recent = await cloudApps('/api/v1/alerts/', { body: { filters: { date: { gte_ndays: 2 } } } });
		const expected = emulator.cloudApps.state().alerts.filter((alert) => alert.timestamp >= now - 2 * 86_400_000).length;
		expect(recent.body.total).toBe(expected);
		const range = await cloudApps('/api/v1/alerts/', { body: { filters: { date: { range: [{ start: now - 2 * 3_600_000, end: now } ] } } } });
		expect(range.body.data.map((alert: any) => alert.title)).toContain(MASS_DOWNLOAD_ALERT_TITLE);
	});

	it('closes as benign every alert a filter selects in one call, counted, with the documented reason codes only', async () => {
		emulator.cloudApps.addAlerts(250, { alertType: 777 });
		const wrongReason = await cloudApps('/api/v1/alerts/close_benign/', { body: { filters: { alertType: { eq: [777] } }, reasonId: 1 } });
		expect(wrongReason.status).toBe(400);
		expect((await cloudApps('/api/v1/alerts/close_true_positive/', { body: { filters: { alertType: { eq: [777] } }, reasonId: 2 } })).status).toBe(400);
		expect((await cloudApps('/api/v1/alerts/close_benign/', { body: { reasonId: 2 } })).status).toBe(400);

		const closed = await cloudApps('/api/v1/alerts/close_benign/', {
			body: { filters: { alertType: { eq: [777] } }, comment: 'Pen test', reasonId: 6, sendFeedback: true, feedbackText: 'scheduled test', allowContact: false },
		});
		expect(closed.status).toBe(200);
		expect(closed.body).toEqual({ closed_benign: 250 });
		const benign = emulator.cloudApps.state().alerts.filter((alert) => alert.hidden.alertType === 777);
		expect(benign.every((alert) => alert.resolutionStatusValue === 4 && alert.comment === 'Pen test' && alert.resolveTime !== null)).toBe(true);
		expect(emulator.cloudApps.state().alertFeedback).toEqual([expect.objectContaining({ verdict: 'close_benign', reasonId: 6, feedbackText: 'scheduled test' })]);

		const [target] = emulator.cloudApps.addAlerts(1);
		const byIds = await cloudApps('/api/v1/alerts/close_false_positive/', { body: { filters: { id: { eq: [target._id, '5f843e9cfe3f6d80fe58a962'] } }, reasonId: 3 } });
		expect(byIds.body).toEqual({ closed_false_positive: 1, alertsNotFound: ['5f843e9cfe3f6d80fe58a962'] });
		expect(target.resolutionStatusValue).toBe(3);
	});

	it('gets one alert and marks it read and unread', async () => {
		const alert = emulator.cloudApps.state().alerts[0];
		const fetched = await cloudApps(`/api/v1/alerts/${alert._id}/`);
		expect(fetched.body).toMatchObject({ _id: alert._id, title: MASS_DOWNLOAD_ALERT_TITLE, timestamp: alert.timestamp });
		expect((await cloudApps('/api/v1/alerts/000000000000000000000000/')).status).toBe(404);
		expect((await cloudApps(`/api/v1/alerts/${alert._id}/read/`, { method: 'POST' })).status).toBe(200);
		expect(alert.statusValue).toBe(1);
		expect((await cloudApps('/api/v1/alerts/', { body: { filters: { read: { eq: false }, id: { eq: [alert._id] } } } })).body.total).toBe(0);
		await cloudApps(`/api/v1/alerts/${alert._id}/unread/`, { method: 'POST' });
		expect(alert.statusValue).toBe(0);
	});
});

describe('Cloud Apps emulator: activities scan mode', () => {
	it('follows nextQueryFilters: records sharing the edge timestamp are dropped from one page and come whole in the next', async () => {
		const base = emulator.now().getTime() - 86_400_000;
		const timestamps = [...Array.from({ length: 450 }, (_, index) => base + index + 1), ...Array.from({ length: 100 }, () => base + 1000), ...Array.from({ length: 600 }, (_, index) => base + 2000 + index)];
		emulator.cloudApps.addActivities(timestamps, 3);
		const userName = emulator.cloudApps.state().activities.at(-1)?.user.userName;
		let filters: any = { 'user.username': { eq: [userName] }, date: { gte: base } };
		const seen: string[] = [];
		const pageSizes: number[] = [];
		for (let request = 0; request < 10; request++) {
			const page = await cloudApps('/api/v1/activities/', { body: { filters, isScan: true, sortDirection: 'asc' } });
			expect(page.status).toBe(200);
			pageSizes.push(page.body.data.length);
			seen.push(...page.body.data.map((activity: any) => activity._id));
			if (!page.body.hasNext) break;
			filters = page.body.nextQueryFilters;
		}
		expect(pageSizes[0]).toBe(450);
		expect(new Set(seen).size).toBe(seen.length);
		expect(seen.length).toBe(1150 + emulator.cloudApps.state().activities.filter((activity) => activity.user.userName === userName && activity.timestamp >= base && !timestamps.includes(activity.timestamp)).length);
	});

	it('pages plainly with skip/limit, sorts by date or created, and gets one activity', async () => {
		const page = await cloudApps('/api/v1/activities/', { body: { limit: 10, sortField: 'created', sortDirection: 'asc' } });
		expect(page.body.data).toHaveLength(10);
		const created = page.body.data.map((activity: any) => activity.created);
		expect(created).toEqual([...created].sort((a, b) => a - b));
		const one = await cloudApps(`/api/v1/activities/${page.body.data[0]._id}/`);
		expect(one.body._id).toBe(page.body.data[0]._id);
		expect((await cloudApps('/api/v1/activities/', { body: { filters: { 'userAgent.userAgent': { eq: ['x'] } } } })).status).toBe(400);
	});
});

describe('Cloud Apps emulator: entities, files, IP ranges, block scripts', () => {
	it('gets an entity by the base64 key, its tree, and files its accounts own', async () => {
		const user = emulator.cloudApps.state().entities.find((entity) => entity.type === 'user');
		if (!user) throw new Error('seed has no user entity');
		const key = { id: user.id, saas: user.saas, inst: user.inst };
		const fetched = await cloudApps(`/api/v1/entities/${encodeEntityKey(key)}/`);
		expect(fetched.body).toMatchObject({ id: user.id, type: 'user', email: user.email });
		expect((await cloudApps(`/api/v1/entities/${user.id}/`)).status).toBe(400);
		const tree = await cloudApps(`/api/v1/entities/${encodeEntityKey(key)}/retrieve_tree/`);
		expect(tree.body.children.length).toBeGreaterThanOrEqual(2);
		expect(tree.body.children.every((account: any) => account.type === 'account' && account.parent.id === user.id)).toBe(true);

		const accounts = await cloudApps('/api/v1/entities/', { body: { filters: { entity: { eq: [key] }, type: { eq: ['account'] } } } });
		expect(accounts.body.total).toBe(tree.body.children.length);

		const publicFiles = await cloudApps('/api/v1/files/', { body: { filters: { 'owner.entity': { eq: [key] }, sharing: { eq: [3, 4] } } } });
		expect(publicFiles.body.total).toBeGreaterThan(0);
		expect(publicFiles.body.data.every((file: any) => file.ownerAddress === user.email && file.fileAccessLevel[0] >= 3)).toBe(true);
		const file = await cloudApps(`/api/v1/files/${publicFiles.body.data[0]._id}/`);
		expect(file.body._id).toBe(publicFiles.body.data[0]._id);
	});

	it('creates, updates (emptying omitted optional fields), lists and deletes IP ranges', async () => {
		const created = await cloudApps('/api/v1/subnet/create_rule/', { body: { name: 'Branch', category: 1, subnets: ['192.168.1.0/24', '2001:db8::/32'], organization: 'Contoso', tags: ['branch'] } });
		expect(created.status).toBe(200);
		expect(typeof created.body).toBe('string');
		const listed = await cloudApps('/api/v1/subnet/', { body: { filters: { category: { eq: [1] } } } });
		const range = listed.body.data.find((candidate: any) => candidate._id === created.body);
		expect(range).toMatchObject({ name: 'Branch', organization: 'Contoso', tags: [expect.objectContaining({ name: 'branch' })] });
		expect(range.subnets[0]).toEqual({ mask: 120, address: '0000:0000:0000:0000:0000:ffff:c0a8:0100', originalString: '192.168.1.0/24' });

		expect((await cloudApps('/api/v1/subnet/create_rule/', { body: { name: 'branch', category: 1, subnets: ['10.0.0.0/8'] } })).status).toBe(400);
		expect((await cloudApps('/api/v1/subnet/create_rule/', { body: { name: 'Other', category: 7, subnets: ['10.0.0.0/8'] } })).status).toBe(400);
		expect((await cloudApps('/api/v1/subnet/create_rule/', { body: { name: 'Other', category: 1, subnets: ['10.0.0.0/33'] } })).status).toBe(400);

		const updated = await cloudApps(`/api/v1/subnet/${created.body}/update_rule/`, { body: { name: 'Branch', category: 4, subnets: ['192.168.1.0/24'] } });
		expect(updated.body).toMatchObject({ category: 4, organization: '', tags: [] });
		expect((await cloudApps(`/api/v1/subnet/${created.body}/`, { method: 'DELETE' })).status).toBe(200);
		expect((await cloudApps(`/api/v1/subnet/${created.body}/`, { method: 'DELETE' })).status).toBe(404);
	});

	it('generates a block script as text for a documented appliance format only', async () => {
		const script = await cloudApps('/api/discovery_block_scripts/?format=102&type=banned');
		expect(script.status).toBe(200);
		expect(script.headers.get('content-type')).toMatch(/^text\/plain/);
		expect(script.body).toContain('url.domain=dropfiles.example deny');
		expect((await cloudApps('/api/discovery_block_scripts/?format=999&type=banned')).status).toBe(400);
	});
});
