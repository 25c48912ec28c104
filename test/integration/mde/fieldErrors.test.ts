import type { INodeParameters } from 'n8n-workflow';

import { useEmulator } from '../context';
import { byId, runNode } from '../harness';
import { json, mdeCalls, windowsMachine } from './helpers';

const env = useEmulator();

const run = (parameters: INodeParameters) => runNode(parameters, { credentials: env.credentials });

/** An expression, so that the editor's own rule for a literal value does not stop the value first. */
const expression = (value: string) => `={{ ${JSON.stringify(value)} }}`;

const SHA1 = '87662bc3d60e4200ceaf7aae249d1c343f4b83c9';
const indicatorBase = { resource: 'indicator', operation: 'createOrUpdate', action: 'Block', title: 't', description: 'd' };

/**
 * Each input error names the field the user filled in, as the node panel shows it, and nothing is
 * sent. [field, parameters, a bad value's description].
 */
const CASES: Array<[field: string, parameters: () => INodeParameters]> = [
	['User', () => ({ resource: 'enrichment', operation: 'user', user: '.' })],
	['User', () => ({ resource: 'enrichment', operation: 'user', user: '..' })],
	['User', () => ({ resource: 'enrichment', operation: 'user', user: 'CONTOSO\\..' })],
	['User', () => ({ resource: 'enrichment', operation: 'user', user: '..@contoso.com' })],
	['User', () => ({ resource: 'enrichment', operation: 'user', user: 'user one@contoso.com' })],
	['Domain', () => ({ resource: 'enrichment', operation: 'domain', domain: 'https://contoso.com/path' })],
	['IP Address', () => ({ resource: 'enrichment', operation: 'ip', ipAddress: '10.0.0.0/8' })],
	['File Hash', () => ({ resource: 'enrichment', operation: 'file', fileHash: 'not-a-hash' })],
	['Device', () => ({ resource: 'device', operation: 'get', deviceId: byId(expression('desktop-01')) })],
	['Device', () => ({ resource: 'responseAction', operation: 'isolate', deviceId: byId(expression('..')), comment: 'c' })],
	['Machine Action', () => ({ resource: 'machineAction', operation: 'get', machineActionId: byId(expression('..')) })],
	['Indicator', () => ({ resource: 'indicator', operation: 'delete', indicatorId: byId(expression('..')) })],
	['Value', () => ({ ...indicatorBase, indicatorValue: '10.0.0.0/8' })],
	['Educate URL', () => ({ ...indicatorBase, indicatorValue: SHA1, additionalFields: { educateUrl: 'ftp://contoso.com' } })],
	['File SHA-1', () => ({ resource: 'responseAction', operation: 'stopAndQuarantineFile', deviceId: byId(windowsMachine(env.emulator).id), sha1: 'abc', comment: 'c' })],
	['IP Address', () => ({ resource: 'device', operation: 'find', findBy: 'ip', ipAddress: 'desktop-01' })],
	['Last IP Address', () => ({ resource: 'device', operation: 'getAll', filters: { lastIpAddress: '10.0.0.300' } })],
	['Device ID', () => ({ resource: 'machineAction', operation: 'getAll', filters: { machineId: '..' } })],
];

describe('Defender for Endpoint input errors name the field the user filled in', () => {
	it.each(CASES)('%s', async (field, parameters) => {
		env.emulator.clearRequestLog();
		const { error } = await run(parameters());
		expect(error?.description).toBe(`Check the "${field}" parameter of item 0.`);
		expect(error?.message.startsWith(`${field} `)).toBe(true);
		expect(mdeCalls(env.emulator)).toHaveLength(0);
	});
});

describe('Defender for Endpoint filters on documented values that the node did not offer before', () => {
	it('Recommendation: Category Security Controls matches the configuration recommendations', async () => {
		const { items, error } = await run({ resource: 'recommendation', operation: 'getAll', returnAll: true, filters: { recommendationCategory: ['SecurityControls'] } });
		expect(error).toBeUndefined();
		expect(items.length).toBeGreaterThan(0);
		expect(json(items).every((entry) => entry.recommendationCategory === 'SecurityControls' && entry.remediationType === 'ConfigurationChange')).toBe(true);
		expect(decodeURIComponent(String(mdeCalls(env.emulator).at(-1)?.path))).toContain("$filter=recommendationCategory eq 'SecurityControls'");
	});

	it('Indicator: Action Alert and Alert and Block match indicators created with the prior actions', async () => {
		env.emulator.mde.addIndicators(1, { action: 'AlertAndBlock', generateAlert: true });
		env.emulator.mde.addIndicators(1, { action: 'Alert', generateAlert: true });
		env.emulator.mde.addIndicators(1);
		const { items, error } = await run({ resource: 'indicator', operation: 'getAll', returnAll: true, filters: { action: ['Alert', 'AlertAndBlock'] } });
		expect(error).toBeUndefined();
		expect(json(items).map((entry) => entry.action).sort()).toEqual(['Alert', 'AlertAndBlock']);
	});
});
