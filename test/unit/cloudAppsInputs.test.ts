import {
	integerList,
	mergeFilterJson,
	toMilliseconds,
	validateObjectId,
	validateObjectIds,
	validateSubnets,
} from '../../nodes/Microsoft365Defender/actions/cloudApps';
import { InvalidPathValueError } from '../../nodes/Microsoft365Defender/transport/paths';

function refusal(action: () => unknown): { field: string; message: string } {
	try {
		action();
	} catch (error) {
		if (error instanceof InvalidPathValueError) return { field: error.field, message: error.message };
		throw error;
	}
	throw new Error('not refused');
}

describe('Cloud Apps inputs, checked before any request', () => {
	it('takes 24-hex ids only, so "/" and ".." never reach a path', () => {
		expect(validateObjectId(' 603F704AAF7417985BBF3B22 ', 'Alert')).toBe('603f704aaf7417985bbf3b22');
		for (const hostile of ['603f704aaf7417985bbf3b22/../subnet', '..', '603f704aaf7417985bbf3b2', '%2e%2e', '']) {
			expect(refusal(() => validateObjectId(hostile, 'Alert')).field).toBe('Alert');
		}
		expect(validateObjectIds('603f704aaf7417985bbf3b22,\n603f704aaf7417985bbf3b23 603f704aaf7417985bbf3b22', 'Alert IDs')).toEqual(['603f704aaf7417985bbf3b22', '603f704aaf7417985bbf3b23']);
		expect(refusal(() => validateObjectIds(' , ', 'Alert IDs'))).toEqual({ field: 'Alert IDs', message: expect.stringMatching(/^Alert IDs is empty/) });
	});

	it('merges Filter (JSON) over the fields, and refuses text that is not JSON or not field: {operator: value}', () => {
		const merged = mergeFilterJson({ severity: { eq: [2] }, date: { gte: 1 } }, '{"severity": {"neq": [0]}, "entity.service": {"eq": [11161]}}');
		expect(merged).toEqual({ severity: { eq: [2], neq: [0] }, date: { gte: 1 }, 'entity.service': { eq: [11161] } });
		expect(mergeFilterJson({ read: { eq: true } }, '')).toEqual({ read: { eq: true } });
		expect(refusal(() => mergeFilterJson({}, '{severity: 2'))).toEqual({ field: 'Filter (JSON)', message: expect.stringMatching(/^Filter \(JSON\) is not valid JSON/) });
		expect(refusal(() => mergeFilterJson({}, '[1, 2]')).message).toMatch(/must be a JSON object/);
		expect(refusal(() => mergeFilterJson({}, '{"severity": 2}')).message).toMatch(/"severity" must map to an object/);
	});

	it('converts n8n dates to milliseconds and names the field of one that is not a date', () => {
		expect(toMilliseconds('2026-01-31T12:00:00Z', 'After')).toBe(Date.UTC(2026, 0, 31, 12));
		expect(toMilliseconds(new Date(5000), 'After')).toBe(5000);
		expect(toMilliseconds({ toMillis: () => 7000 }, 'After')).toBe(7000);
		expect(toMilliseconds('1700000000000', 'After')).toBe(1_700_000_000_000);
		expect(refusal(() => toMilliseconds('yesterday-ish', 'Raised After')).field).toBe('Raised After');
	});

	it('takes CIDR ranges and whole-number app ids only', () => {
		expect(validateSubnets('203.0.113.0/24, 2001:db8::/32\n10.0.0.0/8')).toEqual(['203.0.113.0/24', '2001:db8::/32', '10.0.0.0/8']);
		for (const bad of ['203.0.113.0', '203.0.113.0/33', '2001:db8::/129', 'example.com/24', '10.0.0.0/8/1']) {
			expect(refusal(() => validateSubnets(bad)).field).toBe('Subnets');
		}
		expect(integerList('11161, 20893', 'App IDs')).toEqual([11161, 20893]);
		expect(refusal(() => integerList('11161, office', 'App IDs')).field).toBe('App IDs');
	});
});
