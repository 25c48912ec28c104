/**
 * Issue "Operator control", points 3 to 5 (points 1, 2 and 6 are in operatorControl.stop,
 * operatorControl.redirect and operatorControl.budget):
 *  3. No lost updates: items of one execution that each add a tag to the same incident
 *     ("Add to Existing Tags" reads the tags, then writes the whole list) all keep their tag.
 *  4. Custom API Call cannot escape the API's path: percent-encoded dot segments (".%2e", "%2e.",
 *     ".%2E", "%2e%2e", which URL parsers resolve as "..") are refused before any request.
 *  5. A DELETE that is retried after a 5xx or a dropped connection, whose first attempt was
 *     applied, reports success (the 404 of the retry means "already gone"), not an error.
 */
import type { INodeParameters } from 'n8n-workflow';

import type { ApplyThenFailMode } from '../emulator';
import { useEmulator } from './context';
import { byId, runNode } from './harness';

const env = useEmulator();

const mdeCalls = () => env.emulator.requestLog({ api: 'mde' });

describe('3. No lost updates', () => {
	it.each([2, 20])('%i items each adding a different tag to one incident: the incident ends with every tag', async (count) => {
		const incident = env.emulator.store.listIncidents()[0];
		env.emulator.updateIncident(incident.id, { customTags: ['existing'] });
		const tags = Array.from({ length: count }, (_, index) => `operator-tag-${index}`);
		const { items, error } = await runNode(
			{ resource: 'incident', operation: 'update', incidentId: byId(incident.id), updateFields: { customTags: '={{ $json.tag }}', customTagsMode: 'add' } },
			{ credentials: env.credentials, input: tags.map((tag) => ({ tag })) },
		);
		expect(error).toBeUndefined();
		expect(items).toHaveLength(count);
		expect([...(env.emulator.store.getIncident(incident.id)?.customTags ?? [])].sort()).toEqual(['existing', ...tags].sort());
		// And read back through the node.
		const { items: read } = await runNode({ resource: 'incident', operation: 'get', incidentId: byId(incident.id) }, { credentials: env.credentials });
		expect([...(read[0].json.customTags as string[])].sort()).toEqual(['existing', ...tags].sort());
	});
});

describe('4. Custom API Call path escapes', () => {
	const run = (parameters: INodeParameters) => runNode({ resource: 'customApiCall', operation: 'request', method: 'GET', ...parameters }, { credentials: env.credentials });

	it.each([
		['mde', '/api/.%2e/v1.0/security/incidents'],
		['mde', '/api/%2e%2e/x'],
		['mde', '/api/%2e./x'],
		['mde', '/api/.%2E/x'],
		['graph', '/v1.0/security/.%2e/.%2e/users'],
	])('refuses %s path %s before any request', async (api, path) => {
		const { error } = await run({ api, path });
		expect(error).toBeDefined();
		// Refused by the node, not an answer from the API.
		expect((error as { httpCode?: string }).httpCode).toBeUndefined();
		expect(env.emulator.requestLog()).toEqual([]);
	});

	it('still calls /api/machines', async () => {
		const { items, error } = await run({ api: 'mde', path: '/api/machines' });
		expect(error).toBeUndefined();
		expect(Array.isArray(items[0].json.value)).toBe(true);
		expect(mdeCalls().map((entry) => entry.path)).toEqual(['/api/machines']);
	});
});

describe('5. A DELETE retried after its first attempt was applied', () => {
	it.each<ApplyThenFailMode>([503, 'drop'])('Indicator Delete by ID after the delete was applied and then answered %s reports success', async (mode) => {
		env.emulator.mde.addIndicators(1);
		const [indicator] = env.emulator.mde.indicators();
		const id = String(indicator.id);
		env.emulator.injectFaults('mde', { applyThenFailNext: 1, applyThenFail: mode });
		const { items, error } = await runNode({ resource: 'indicator', operation: 'delete', indicatorId: byId(id) }, { credentials: env.credentials });

		const deletes = mdeCalls().filter((entry) => entry.method === 'DELETE');
		// The fault really happened: Microsoft deleted it (204) but the node did not get that answer.
		expect(deletes[0]).toMatchObject({ path: `/api/indicators/${id}`, appliedStatus: 204 });
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({ id, deleted: true });
		expect(env.emulator.mde.indicators().map((entry) => String(entry.id))).not.toContain(id);
	});
});
