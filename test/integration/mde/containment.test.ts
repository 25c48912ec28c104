import type { IConnections } from 'n8n-workflow';

import { useEmulator } from '../context';
import { byId, defenderNode, runWorkflow } from '../harness';
import { fastActions, mdeCalls, windowsMachine } from './helpers';

const env = useEmulator();

const connect = (from: string, to: string): IConnections => ({ [from]: { main: [[{ node: to, type: 'main', index: 0 }]] } });

/** Two new incidents, each with an alert whose evidence names one device, assigned to a marker owner. */
function seedIncidents(owner: string) {
	return [0, 1].map((offset) => {
		const machine = windowsMachine(env.emulator, offset + 5);
		const { incident } = env.emulator.addIncident({
			assignedTo: owner,
			severity: 'high',
			alerts: [
				{
					title: 'Ransomware behavior detected in the file system',
					evidence: [
						{ '@odata.type': '#microsoft.graph.security.userEvidence', userAccount: { accountName: 'jdoe' } },
						{ '@odata.type': '#microsoft.graph.security.deviceEvidence', mdeDeviceId: machine.id, deviceDnsName: machine.computerDnsName },
					],
				},
			],
		});
		return { incident, machine };
	});
}

describe('containment playbook', () => {
	it('Get Many incidents → Isolate their devices with Wait for Completion → Add Comment on each incident', async () => {
		fastActions(env.emulator, 20, 80);
		const owner = 'containment-playbook@contoso.com';
		const seeded = seedIncidents(owner);

		const getIncidents = defenderNode(
			{ resource: 'incident', operation: 'getAll', returnAll: true, filters: { assignedTo: owner, status: ['active'] }, options: { includeAlerts: true } },
			{ name: 'Get Incidents' },
		);
		const isolate = defenderNode(
			{
				resource: 'responseAction',
				operation: 'isolate',
				deviceId: byId('={{ $json.alerts.flatMap(alert => alert.evidence).find(evidence => evidence.mdeDeviceId).mdeDeviceId }}'),
				isolationType: 'Full',
				comment: '={{ "Contained by n8n for incident " + $json.id }}',
				waitForCompletion: true,
				pollIntervalSeconds: 0.05,
				waitTimeoutSeconds: 10,
			},
			{ name: 'Isolate' },
		);
		const addComment = defenderNode(
			{
				resource: 'incident',
				operation: 'addComment',
				incidentId: byId("={{ $('Get Incidents').item.json.id }}"),
				comment: '={{ "Device " + $json.computerDnsName + " isolation: " + $json.wait.finalStatus }}',
			},
			{ name: 'Comment' },
		);

		const result = await runWorkflow({
			nodes: [getIncidents, isolate, addComment],
			connections: { ...connect('Get Incidents', 'Isolate'), ...connect('Isolate', 'Comment') },
			credentials: env.credentials,
		});
		expect(result.error).toBeUndefined();

		const incidents = result.output('Get Incidents');
		expect(incidents.map((item) => item.json.id).sort()).toEqual(seeded.map(({ incident }) => incident.id).sort());

		const actions = result.output('Isolate');
		expect(actions).toHaveLength(2);
		for (const action of actions) {
			expect(action.json).toMatchObject({ type: 'Isolate', status: 'Succeeded', wait: { completed: true, finalStatus: 'Succeeded' } });
		}

		for (const { incident, machine } of seeded) {
			const action = actions.find((item) => item.json.machineId === machine.id);
			expect(action?.json.requestorComment).toBe(`Contained by n8n for incident ${incident.id}`);
			const comments = env.emulator.store.getIncident(incident.id)?.comments.map((comment) => comment.comment);
			expect(comments).toEqual([`Device ${machine.computerDnsName} isolation: Succeeded`]);
		}
		expect(result.output('Comment')).toHaveLength(2);

		const isolations = mdeCalls(env.emulator).filter((entry) => entry.method === 'POST' && entry.path.endsWith('/isolate'));
		expect(isolations.map((entry) => entry.status)).toEqual([201, 201]);
		const polls = mdeCalls(env.emulator).filter((entry) => entry.method === 'GET' && entry.path.startsWith('/api/machineactions/'));
		expect(polls.length).toBeGreaterThanOrEqual(2);
	});

	it('a device that cannot be isolated does not stop the other incident (Continue On Fail)', async () => {
		fastActions(env.emulator, 0, 50);
		const owner = 'containment-partial@contoso.com';
		const seeded = seedIncidents(owner);
		// The first device already has an isolation pending: Microsoft refuses a second one.
		env.emulator.mde.setMachineActionBehaviour({ pendingMs: null });
		const blocked = seeded[0].machine;
		await runWorkflow({
			nodes: [defenderNode({ resource: 'responseAction', operation: 'isolate', deviceId: byId(blocked.id), comment: 'earlier' }, { name: 'Earlier' })],
			credentials: env.credentials,
		});
		fastActions(env.emulator, 0, 50);

		const result = await runWorkflow({
			nodes: [
				defenderNode({ resource: 'incident', operation: 'getAll', returnAll: true, filters: { assignedTo: owner }, options: { includeAlerts: true } }, { name: 'Get Incidents' }),
				defenderNode(
					{
						resource: 'responseAction',
						operation: 'isolate',
						deviceId: byId('={{ $json.alerts.flatMap(alert => alert.evidence).find(evidence => evidence.mdeDeviceId).mdeDeviceId }}'),
						waitForCompletion: true,
						pollIntervalSeconds: 0.05,
						waitTimeoutSeconds: 10,
					},
					{ name: 'Isolate', continueOnFail: true },
				),
			],
			connections: connect('Get Incidents', 'Isolate'),
			credentials: env.credentials,
		});
		expect(result.error).toBeUndefined();
		const outputs = result.output('Isolate');
		expect(outputs).toHaveLength(2);
		const failed = outputs.find((item) => item.json.error);
		expect(failed?.json.error).toBe('BadRequest: Action is already in progress');
		const succeeded = outputs.find((item) => !item.json.error);
		expect(succeeded?.json).toMatchObject({ machineId: seeded[1].machine.id, status: 'Succeeded' });
	});
});
