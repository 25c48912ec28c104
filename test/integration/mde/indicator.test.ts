import { createHash } from 'node:crypto';
import type { INodeParameters } from 'n8n-workflow';

import { useEmulator } from '../context';
import { runNode } from '../harness';
import { json, mdeCalls } from './helpers';

const env = useEmulator();

const SHA1 = '220e7d15b011d7fac48f2bd61114db1022197f7f';
const sha256 = (index: number) => createHash('sha256').update(`indicator ${index}`).digest('hex');

const run = (parameters: INodeParameters, options: { credentialId?: string; continueOnFail?: boolean; input?: Array<Record<string, unknown>> } = {}) =>
	runNode({ resource: 'indicator', ...parameters }, { credentials: env.credentials, ...(options as { input?: Array<Record<string, string>> }) });

const importCalls = () => mdeCalls(env.emulator).filter((entry) => entry.method === 'POST' && entry.path === '/api/indicators/import');

describe('Indicator: Create or Update', () => {
	it('creates a block indicator with the type detected from the value, then updates it in place', async () => {
		const { items, error } = await run({
			operation: 'createOrUpdate',
			indicatorValue: SHA1.toUpperCase(),
			action: 'Block',
			title: 'Emotet dropper',
			description: 'Seen in incident 42',
			additionalFields: { severity: 'High', rbacGroupNames: 'Workstations, Finance devices', recommendedActions: 'Isolate', expirationTime: new Date(Date.now() + 86_400_000).toISOString(), generateAlert: true },
		});
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ id: expect.any(String), indicatorValue: SHA1, indicatorType: 'FileSha1', action: 'Block', severity: 'High', rbacGroupNames: ['Workstations', 'Finance devices'], generateAlert: true });
		const { items: updated } = await run({ operation: 'createOrUpdate', indicatorValue: SHA1, indicatorType: 'FileSha1', action: 'Audit', title: 'Emotet dropper', description: 'audit only' });
		expect(updated[0].json).toMatchObject({ id: items[0].json.id, action: 'Audit', generateAlert: true });
		expect(env.emulator.mde.indicators()).toHaveLength(1);
	});

	it('checks the value against its type, Audit against Generate Alert and the expiration, before calling', async () => {
		env.emulator.clearRequestLog();
		const base = { operation: 'createOrUpdate', action: 'Block', title: 't', description: 'd' };
		const { error: wrongType } = await run({ ...base, indicatorValue: SHA1, indicatorType: 'FileSha256' });
		expect(wrongType?.message).toBe(`Value "${SHA1}" is not a SHA-256 hash (64 hexadecimal characters), as the type FileSha256 needs.`);
		expect(wrongType?.description).toBe('Check the "Value" parameter of item 0.');
		const { error: cidr } = await run({ ...base, indicatorValue: '10.0.0.0/8' });
		expect(cidr?.message).toMatch(/not CIDR notation/);
		const { error: unknown } = await run({ ...base, indicatorValue: 'hello world' });
		expect(unknown?.message).toMatch(/its type cannot be detected/);
		const { error: audit } = await run({ ...base, indicatorValue: SHA1, action: 'Audit', additionalFields: { generateAlert: false } });
		expect(audit?.message).toBe('Action Audit needs Generate Alert: an audit indicator only raises alerts.');
		const { error: expired } = await run({ ...base, indicatorValue: SHA1, additionalFields: { expirationTime: '2020-01-01T00:00:00Z' } });
		expect(expired?.message).toMatch(/is in the past/);
		const { error: noTitle } = await run({ ...base, indicatorValue: SHA1, title: '={{ "" }}' });
		expect(noTitle?.message).toBe('Title is empty: Defender for Endpoint requires a title for every indicator.');
		expect(mdeCalls(env.emulator)).toHaveLength(0);
	});

	it("passes on Microsoft's refusals (unknown device group, tenant cap), survives a 429, needs Ti.ReadWrite(.All)", async () => {
		const base = { operation: 'createOrUpdate', action: 'Block', title: 't', description: 'd' };
		const { error: group } = await run({ ...base, indicatorValue: 'contoso-payroll.top', additionalFields: { rbacGroupNames: 'Nope' } });
		expect(group?.message).toMatch(/^InvalidInput: .*device group 'Nope' was not found/);
		env.emulator.mde.addIndicators(15_000);
		const { error: cap } = await run({ ...base, indicatorValue: 'contoso-payroll.top' });
		expect(cap?.message).toMatch(/limit of 15000 active indicators/);
		env.emulator.reset();
		env.emulator.setThrottle('mde', { next429: 1, retryAfterSeconds: 0 });
		const { items } = await run({ ...base, indicatorValue: 'https://contoso-payroll.top/invoice' });
		expect(items[0].json).toMatchObject({ indicatorType: 'Url' });
		const { error: forbidden } = await run({ ...base, indicatorValue: '185.220.101.45' }, { credentialId: 'readOnly' });
		expect(forbidden?.description).toContain('"Ti.ReadWrite.All"');
	});
});

describe('Indicator: Get Many and Delete', () => {
	beforeEach(async () => {
		const input = [
			{ value: SHA1, action: 'Block' },
			{ value: '185.220.101.45', action: 'Audit' },
			{ value: 'contoso-payroll.top', action: 'Block' },
		];
		await run({ operation: 'importMany', indicatorValue: '={{ $json.value }}', action: '={{ $json.action }}', title: 'seed', description: 'seed' }, { input });
	});

	it('lists with filters on type, action, value and creation time', async () => {
		const { items: blocks } = await run({ operation: 'getAll', returnAll: true, filters: { action: ['Block'] } });
		expect(json(blocks).map((indicator) => indicator.indicatorValue).sort()).toEqual(['220e7d15b011d7fac48f2bd61114db1022197f7f', 'contoso-payroll.top']);
		const { items: ips } = await run({ operation: 'getAll', returnAll: true, filters: { indicatorType: ['IpAddress'], createdAfter: new Date(Date.now() - 60_000).toISOString() } });
		expect(ips.map((item) => item.json.indicatorValue)).toEqual(['185.220.101.45']);
		const { items: one } = await run({ operation: 'getAll', limit: 1 });
		expect(one).toHaveLength(1);
		env.emulator.setThrottle('mde', { next429: 1, retryAfterSeconds: 0 });
		const { items: byValue } = await run({ operation: 'getAll', returnAll: true, filters: { indicatorValue: SHA1 } });
		expect(byValue).toHaveLength(1);
	});

	it('deletes by ID and by value (hashes in any case)', async () => {
		const [indicator] = env.emulator.mde.indicators().filter((entry) => entry.indicatorValue === '185.220.101.45');
		const { items, error } = await run({ operation: 'delete', indicatorId: { __rl: true, mode: 'id', value: String(indicator.id) } });
		expect(error).toBeUndefined();
		expect(items[0].json).toEqual({ id: indicator.id, deleted: true });
		const { items: byValue } = await run({ operation: 'delete', indicatorId: { __rl: true, mode: 'value', value: SHA1.toUpperCase() } });
		expect(byValue[0].json).toMatchObject({ indicatorValue: SHA1, deleted: true });
		expect(env.emulator.mde.indicators().map((entry) => entry.indicatorValue)).toEqual(['contoso-payroll.top']);
	});

	it('reports not found by ID and by value, a malformed ID; survives a 429; needs Ti.ReadWrite(.All)', async () => {
		const { error: notFound } = await run({ operation: 'delete', indicatorId: { __rl: true, mode: 'id', value: '999999' } });
		expect(notFound?.message).toBe('ResourceNotFound: Indicator 999999 was not found');
		const { error: noValue } = await run({ operation: 'delete', indicatorId: { __rl: true, mode: 'value', value: 'unknown.example' } });
		expect(noValue?.message).toBe('No indicator with the value "unknown.example" was found.');
		const { error: invalid } = await run({ operation: 'delete', indicatorId: { __rl: true, mode: 'id', value: '={{ "12a" }}' } });
		expect(invalid?.message).toBe('Indicator "12a" is not an indicator ID (a number, e.g. 995).');
		const { error: forbidden } = await run({ operation: 'getAll', limit: 5 }, { credentialId: 'readOnly' });
		expect(forbidden?.description).toContain('"Ti.ReadWrite.All"');
		const id = String(env.emulator.mde.indicators()[0].id);
		env.emulator.setThrottle('mde', { next429: 1, retryAfterSeconds: 0 });
		const { error } = await run({ operation: 'delete', indicatorId: { __rl: true, mode: 'id', value: id } });
		expect(error).toBeUndefined();
	});
});

describe('Indicator: Import Many', () => {
	it('imports 1,200 indicators in exactly 3 import calls of 500, 500 and 200, one output item per input item', async () => {
		const input = Array.from({ length: 1200 }, (_, index) => ({ hash: sha256(index) }));
		const { items, error } = await run(
			{ operation: 'importMany', indicatorValue: '={{ $json.hash }}', indicatorType: 'FileSha256', action: 'Block', title: '={{ "Blocked " + $json.hash.slice(0, 8) }}', description: 'bulk' },
			{ input },
		);
		expect(error).toBeUndefined();
		const calls = importCalls();
		expect(calls).toHaveLength(3);
		expect(calls.map((entry) => entry.status)).toEqual([200, 200, 200]);
		expect(items).toHaveLength(1200);
		expect(items.every((item) => item.json.isFailed === false && typeof item.json.id === 'string')).toBe(true);
		expect(items.map((item) => item.json.indicatorValue)).toEqual(input.map((entry) => entry.hash));
		expect(items.map((item) => (item.pairedItem as { item: number }).item)).toEqual(input.map((_, index) => index));
		expect(env.emulator.mde.indicators()).toHaveLength(1200);
	});

	it('reports wrong values without sending them, and per-indicator failures from Microsoft, each on its own item', async () => {
		env.emulator.mde.setLimits({ maxActiveIndicators: 2 });
		const input = [{ value: SHA1 }, { value: 'not a hash!' }, { value: '185.220.101.45' }, { value: 'contoso-payroll.top' }];
		const { items, error } = await run({ operation: 'importMany', indicatorValue: '={{ $json.value }}', action: 'Block', title: 't', description: 'd' }, { input });
		expect(error).toBeUndefined();
		expect(json(items)).toEqual([
			expect.objectContaining({ indicatorValue: SHA1, indicatorType: 'FileSha1', isFailed: false, id: expect.any(String), sent: true }),
			expect.objectContaining({ indicatorValue: 'not a hash!', isFailed: true, failureReason: expect.stringMatching(/its type cannot be detected/), sent: false }),
			expect.objectContaining({ indicatorValue: '185.220.101.45', indicatorType: 'IpAddress', isFailed: false }),
			expect.objectContaining({ indicatorValue: 'contoso-payroll.top', isFailed: true, failureReason: expect.stringMatching(/limit of 2 active indicators/) }),
		]);
		expect(importCalls()).toHaveLength(1);
	});

	it('waits out a 429 on an import call and repeats it; a refused call fails the run or, with Continue On Fail, its items', async () => {
		const input = Array.from({ length: 600 }, (_, index) => ({ hash: sha256(index) }));
		const parameters = { operation: 'importMany', indicatorValue: '={{ $json.hash }}', action: 'Block', title: 't', description: 'd' };
		env.emulator.setThrottle('mde', { next429: 1, retryAfterSeconds: 0 });
		const { items, error } = await run(parameters, { input });
		expect(error).toBeUndefined();
		expect(importCalls().map((entry) => entry.status)).toEqual([429, 200, 200]);
		expect(items.filter((item) => item.json.isFailed)).toHaveLength(0);

		const { error: forbidden } = await run(parameters, { input: input.slice(0, 3), credentialId: 'readOnly' });
		expect(forbidden?.message).toMatch(/^Forbidden/);
		expect(forbidden?.description).toContain('"Ti.ReadWrite.All"');
		const { items: failed, error: none } = await run(parameters, { input: input.slice(0, 3), credentialId: 'readOnly', continueOnFail: true });
		expect(none).toBeUndefined();
		expect(failed).toHaveLength(3);
		expect(failed.every((item) => item.json.isFailed === true && String(item.json.error).startsWith('Forbidden'))).toBe(true);
	});
});
