import type { INodeParameters } from 'n8n-workflow';

import { useEmulator } from '../context';
import { byId, runNode } from '../harness';
import { fromList, json, mdeCalls } from './helpers';

/** Remediation Activity: Get, Get Many; Score: exposure score, by device group, device secure score. */
const env = useEmulator();

const run = (parameters: INodeParameters, options: { credentialId?: string; continueOnFail?: boolean; input?: Array<Record<string, string>> } = {}) =>
	runNode(parameters, { credentials: env.credentials, ...options });

const pairedTo = (items: Array<{ pairedItem?: unknown }>) => items.map((item) => (item.pairedItem as { item: number }).item);

describe('Remediation Activity: Get Many and Get', () => {
	it('lists remediation activities ($top at most 10,000), filtered by status and creation time', async () => {
		const { items: all, error } = await run({ resource: 'remediationActivity', operation: 'getAll', returnAll: true });
		expect(error).toBeUndefined();
		expect(all.length).toBeGreaterThan(3);
		expect(mdeCalls(env.emulator)[0].path).toBe('/api/remediationTasks?$top=10000');
		for (const task of json(all)) expect(task).toMatchObject({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), category: 'Software', status: expect.stringMatching(/^(Active|Completed)$/), productId: expect.stringContaining('-_-') });
		const { items: completed } = await run({ resource: 'remediationActivity', operation: 'getAll', returnAll: true, filters: { status: ['Completed'] } });
		expect(completed.length).toBe(json(all).filter((task) => task.status === 'Completed').length);
		const after = String(all[2].json.createdOn);
		const { items: recent } = await run({ resource: 'remediationActivity', operation: 'getAll', returnAll: true, filters: { createdAfter: after } });
		expect(recent.length).toBe(json(all).filter((task) => String(task.createdOn) > after).length);
		expect(decodeURIComponent(mdeCalls(env.emulator).at(-1)?.path ?? '')).toMatch(/\$filter=createdOn gt 2024-/);
		const { items: two } = await run({ resource: 'remediationActivity', operation: 'getAll', limit: 2 });
		expect(two).toHaveLength(2);
		expect(mdeCalls(env.emulator).at(-1)?.path).toBe('/api/remediationTasks?$top=2');
	});

	it('gets one from the list or by ID (any case); reports not found and a malformed ID; needs RemediationTasks.Read.All; continues on fail', async () => {
		const { items: all } = await run({ resource: 'remediationActivity', operation: 'getAll', limit: 1 });
		const id = String(all[0].json.id);
		for (const remediationActivityId of [fromList(id), byId(id.toUpperCase())]) {
			const { items, error } = await run({ resource: 'remediationActivity', operation: 'get', remediationActivityId });
			expect(error).toBeUndefined();
			expect(items[0].json).toEqual(all[0].json);
		}
		const { error: notFound } = await run({ resource: 'remediationActivity', operation: 'get', remediationActivityId: byId('03942ef5-aecb-4c6e-b555-d6a97013844c') });
		expect(notFound?.message).toBe('ResourceNotFound: Remediation task 03942ef5-aecb-4c6e-b555-d6a97013844c was not found');
		const { error: malformed } = await run({ resource: 'remediationActivity', operation: 'get', remediationActivityId: byId('task-1') });
		expect(malformed?.message).toBe('Remediation Activity ID "task-1" is not valid. Expected something like 03942ef5-aecb-4c6e-b555-d6a97013844c.');
		const { error: forbidden } = await run({ resource: 'remediationActivity', operation: 'getAll', limit: 1 }, { credentialId: 'readOnly' });
		expect(forbidden?.description).toContain('"RemediationTasks.Read.All"');
		const { items } = await run({ resource: 'remediationActivity', operation: 'get', remediationActivityId: byId('={{ $json.id }}') }, { continueOnFail: true, input: [{ id: '03942ef5-aecb-4c6e-b555-d6a97013844c' }, { id }] });
		expect(items.map((item) => item.json.httpCode ?? item.json.id)).toEqual(['404', id]);
		expect(pairedTo(items)).toEqual([0, 1]);
	});
});

describe('Score', () => {
	it('gets the exposure score, one exposure score per device group, and the device secure score', async () => {
		const { items: exposure, error } = await run({ resource: 'score', operation: 'getExposureScore' });
		expect(error).toBeUndefined();
		expect(exposure).toHaveLength(1);
		expect(exposure[0].json).toEqual({ time: expect.any(String), score: expect.any(Number) });
		const score = Number(exposure[0].json.score);
		expect(score).toBeGreaterThan(0);
		expect(score).toBeLessThanOrEqual(100);
		const { items: groups } = await run({ resource: 'score', operation: 'getExposureScoreByDeviceGroup' });
		const groupNames = [...new Set(env.emulator.store.machines.map((machine) => machine.rbacGroupName))].sort();
		expect(json(groups).map((group) => group.rbacGroupName)).toEqual(groupNames);
		const { items: secure } = await run({ resource: 'score', operation: 'getDeviceSecureScore' });
		expect(secure[0].json).toEqual({ time: expect.any(String), score: expect.any(Number) });
		expect(mdeCalls(env.emulator).map((call) => call.path)).toEqual(['/api/exposureScore', '/api/exposureScore/ByMachineGroups', '/api/configurationScore']);
	});

	it('needs Score.Read.All; survives a 429; continues on fail, paired', async () => {
		for (const operation of ['getExposureScore', 'getExposureScoreByDeviceGroup', 'getDeviceSecureScore']) {
			const { error: forbidden } = await run({ resource: 'score', operation }, { credentialId: 'readOnly' });
			expect({ operation, description: forbidden?.description }).toEqual({ operation, description: expect.stringContaining('"Score.Read.All"') });
		}
		env.emulator.setThrottle('mde', { next429: 1, retryAfterSeconds: 0 });
		const { items, error } = await run({ resource: 'score', operation: 'getExposureScore' });
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		const { items: failed } = await run({ resource: 'score', operation: 'getExposureScoreByDeviceGroup' }, { credentialId: 'readOnly', continueOnFail: true, input: [{ a: '1' }, { a: '2' }] });
		expect(failed.map((item) => item.json.httpCode)).toEqual(['403', '403']);
		expect(pairedTo(failed)).toEqual([0, 1]);
	});
});
