import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { Microsoft365Defender } from '../../nodes/Microsoft365Defender/Microsoft365Defender.node';

/** What a newcomer sees first (`npm start` imports demo/workflows) uses the node's current version. */
describe('demo workflows', () => {
	const folder = path.resolve(__dirname, '..', '..', 'demo', 'workflows');
	const current = new Microsoft365Defender().description.defaultVersion;

	it('every Microsoft 365 Defender node is at the current version, with Simplify', () => {
		const found: Array<{ file: string; node: string; version: number }> = [];
		for (const file of readdirSync(folder).filter((name) => name.endsWith('.json'))) {
			const workflow = JSON.parse(readFileSync(path.join(folder, file), 'utf8')) as { nodes: Array<{ name: string; type: string; typeVersion: number }> };
			for (const node of workflow.nodes) {
				if (node.type.endsWith('.microsoft365Defender')) found.push({ file, node: node.name, version: node.typeVersion });
			}
		}
		expect(found.length).toBeGreaterThan(3);
		expect(found.filter((entry) => entry.version !== current)).toEqual([]);
	});
});
