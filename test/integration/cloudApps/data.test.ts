/* eslint-disable @typescript-eslint/no-explicit-any -- tests navigate arbitrary JSON output freely */
import { cloudAppsCalls, useCloudAppsEmulator } from './helpers';

const env = useCloudAppsEmulator();

describe('Cloud Apps Activity', () => {
	it('scan mode reads 12,000 activities with 300 sharing the timestamp at a page edge, each exactly once, in three calls', async () => {
		const base = env.emulator.now().getTime() - 2 * 86_400_000;
		const edge = base + 10_000;
		const newer = Array.from({ length: 4850 }, (_, index) => base + 20_000 + index);
		const older = Array.from({ length: 6850 }, (_, index) => base + index);
		const atEdge = env.emulator.cloudApps.addActivities(Array(300).fill(edge), 5);
		env.emulator.cloudApps.addActivities([...newer, ...older], 5);
		const user = atEdge[0].user.userName;
		const expected = env.emulator.cloudApps.state().activities.filter((activity) => activity.user.userName === user && activity.timestamp >= base);
		expect(expected.length).toBeGreaterThanOrEqual(12_000);
		env.emulator.clearRequestLog();

		const { items, error } = await env.run('cloudAppsActivity', {
			operation: 'getAll',
			returnAll: true,
			filters: { users: user, after: new Date(base).toISOString() },
			options: { scan: true },
		});
		expect(error).toBeUndefined();
		const ids = items.map((item) => String(item.json._id));
		expect(ids).toHaveLength(expected.length);
		expect(new Set(ids).size).toBe(expected.length);
		const edgeIds = new Set(atEdge.map((activity) => activity._id));
		expect(ids.filter((id) => edgeIds.has(id))).toHaveLength(300);
		const calls = cloudAppsCalls(env.emulator);
		expect(calls.every((call) => call.method === 'POST' && call.path === '/api/v1/activities/')).toBe(true);
		expect(calls).toHaveLength(3);
	}, 120_000);

	it('lists with filters, gets one activity and sends feedback on it', async () => {
		const { items } = await env.run('cloudAppsActivity', { operation: 'getAll', limit: 5, filters: { eventTypes: 'Download file' } });
		expect(items).toHaveLength(5);
		expect(items.every((item) => item.json.eventTypeName === 'Download file')).toBe(true);
		const id = String(items[0].json._id);
		const { items: one } = await env.run('cloudAppsActivity', { operation: 'get', activityId: id });
		expect(one[0].json._id).toBe(id);
		const { items: sent } = await env.run('cloudAppsActivity', { operation: 'sendFeedback', activityId: id, feedbackText: 'Expected backup job' });
		expect(sent[0].json).toEqual({ id, feedbackSent: true });
		const activity = env.emulator.cloudApps.state().activities.find((candidate) => candidate._id === id);
		expect(activity?.feedback).toEqual([expect.objectContaining({ feedbackValue: '0', feedbackText: 'Expected backup job', allowContact: false })]);
		expect(cloudAppsCalls(env.emulator).some((call) => call.path === `/api/v1/activities/${id}/feedback`)).toBe(true);

		const { error } = await env.run('cloudAppsActivity', { operation: 'get', activityId: '../alerts' });
		expect(error?.message).toMatch(/^Activity ID "\.\.\/alerts" is not valid/);
	});
});

describe('Cloud Apps File and Entity', () => {
	it('gets a user entity by id, its accounts (tree and list), and the files they share publicly', async () => {
		const user = env.emulator.cloudApps.state().entities.find((entity) => entity.type === 'user');
		if (!user) throw new Error('no seeded user');
		const { items: entity } = await env.run('cloudAppsEntity', { operation: 'get', entityId: user.id });
		expect(entity[0].json).toMatchObject({ id: user.id, type: 'user', email: user.email });
		const { items: tree } = await env.run('cloudAppsEntity', { operation: 'getTree', entityId: user.id });
		const accounts = tree[0].json.children as any[];
		expect(accounts.length).toBeGreaterThanOrEqual(2);
		const { items: listed } = await env.run('cloudAppsEntity', { operation: 'getAll', returnAll: true, filters: { entityId: user.id, type: 'account' } });
		expect(listed.map((item) => item.json.saas).sort()).toEqual(accounts.map((account) => account.saas).sort());

		const { items: files } = await env.run('cloudAppsFile', { operation: 'getAll', returnAll: true, filters: { ownerId: user.id, sharing: [3, 4] } });
		const expected = env.emulator.cloudApps.state().files.filter((file) => file.ownerAddress === user.email && file.fileAccessLevel[0] >= 3);
		expect(files.map((item) => item.json._id).sort()).toEqual(expected.map((file) => file._id).sort());
		const { items: file } = await env.run('cloudAppsFile', { operation: 'get', fileId: expected[0]._id });
		expect(file[0].json.name).toBe(expected[0].name);
		const { error } = await env.run('cloudAppsFile', { operation: 'get', fileId: 'abc/def' });
		expect(error?.message).toMatch(/^File ID "abc\/def" is not valid/);
	});
});

describe('Cloud Apps IP Range', () => {
	it('creates, lists, updates only what was changed, and deletes a range', async () => {
		const { items: created, error } = await env.run('cloudAppsIpRange', { operation: 'create', name: 'Branch Lyon', category: 1, subnets: '192.0.2.0/24, 2001:db8:20::/48', organization: 'Contoso', tags: 'branch, france' });
		expect(error).toBeUndefined();
		const id = String(created[0].json.id);
		expect(id).toMatch(/^[0-9a-f]{24}$/);
		const { items: corporate } = await env.run('cloudAppsIpRange', { operation: 'getAll', returnAll: true, filters: { category: [1] } });
		expect(corporate.map((item) => item.json.name)).toEqual(expect.arrayContaining(['Branch Lyon', 'Contoso HQ']));

		env.emulator.clearRequestLog();
		const { items: updated } = await env.run('cloudAppsIpRange', { operation: 'update', ipRangeId: id, updateFields: { category: 4 } });
		expect(updated[0].json).toMatchObject({ id, category: 4, name: 'Branch Lyon', organization: 'Contoso', subnets: ['192.0.2.0/24', '2001:db8:20::/48'], tags: ['branch', 'france'] });
		const stored = env.emulator.cloudApps.state().subnets.find((range) => range._id === id);
		expect(stored).toMatchObject({ category: 4, organization: 'Contoso', tags: [expect.objectContaining({ name: 'branch' }), expect.objectContaining({ name: 'france' })] });
		expect(cloudAppsCalls(env.emulator).map((call) => `${call.method} ${call.path}`)).toEqual(['POST /api/v1/subnet/', `POST /api/v1/subnet/${id}/update_rule/`]);

		const { error: badSubnet } = await env.run('cloudAppsIpRange', { operation: 'update', ipRangeId: id, updateFields: { subnets: '10.0.0.0/33' } });
		expect(badSubnet?.message).toMatch(/^Subnets: "10\.0\.0\.0\/33" is not an IPv4 or IPv6 range/);

		const { items: deleted } = await env.run('cloudAppsIpRange', { operation: 'delete', ipRangeId: id });
		expect(deleted[0].json).toEqual({ id, deleted: true });
		expect(env.emulator.cloudApps.state().subnets.some((range) => range._id === id)).toBe(false);
	});
});
