import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { Microsoft365Defender } from '../../nodes/Microsoft365Defender/Microsoft365Defender.node';

interface DefenderNode {
	file: string;
	node: string;
	version: number;
}

function defenderNodesIn(folder: string): DefenderNode[] {
	const found: DefenderNode[] = [];
	for (const file of readdirSync(folder).filter((name) => name.endsWith('.json'))) {
		const workflow = JSON.parse(readFileSync(path.join(folder, file), 'utf8')) as { nodes: Array<{ name: string; type: string; typeVersion: number }> };
		for (const node of workflow.nodes) {
			if (node.type.endsWith('.microsoft365Defender')) found.push({ file, node: node.name, version: node.typeVersion });
		}
	}
	return found;
}

const root = path.resolve(__dirname, '..', '..');
const current = new Microsoft365Defender().description.defaultVersion;

/**
 * What a newcomer sees first (`npm start` imports demo/workflows, the README points at the playbooks in
 * examples/) uses the node's current version, so Simplify is on as the README says. No exception: the
 * version-1 workflows the e2e lanes need are built in test/e2e/workflows.ts.
 */
describe.each([
	['demo workflows', 'demo/workflows', 3],
	['playbooks', 'examples', 10],
])('%s', (_name, folder, atLeast) => {
	it('every Microsoft 365 Defender node is at the current version, with Simplify', () => {
		const found = defenderNodesIn(path.join(root, folder));
		expect(found.length).toBeGreaterThan(atLeast);
		expect(found.filter((entry) => entry.version !== current)).toEqual([]);
	});
});
