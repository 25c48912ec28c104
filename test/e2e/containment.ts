/**
 * Data for the containment playbook (issue 4), added to the emulator before the runs:
 * two active incidents in the containment queue (assigned to CONTAINMENT_ASSIGNEE), created three
 * days ago so that no other run's "newest first" lists pick them up, with medium severity so that
 * the runs that work on active high-severity incidents leave them alone.
 *
 *  - incident A: one alert on device 1;
 *  - incident B: one alert on device 2 (with process evidence on the same device), one alert on
 *    devices 3 and 2: the playbook must isolate devices 2 and 3 once each.
 *
 * Machine actions are sped up (Pending 0 ms, InProgress 200 ms) so Wait for Completion ends at its
 * first check.
 */
import type { AdminClient } from '../../scripts/lib/emulator.cjs';
import { CONTAINMENT_ASSIGNEE } from './workflows';

export interface ContainmentSeed {
	/** Incident id -> the device ids its alerts name, each once, in order. */
	devicesByIncident: Record<string, string[]>;
	deviceIds: string[];
}

const DAY_MS = 24 * 60 * 60_000;

function deviceEvidence(deviceId: string, created: string) {
	return {
		'@odata.type': '#microsoft.graph.security.deviceEvidence',
		createdDateTime: created,
		verdict: 'suspicious',
		remediationStatus: 'none',
		remediationStatusDetails: null,
		roles: ['compromised'],
		detailedRoles: [],
		tags: [],
		mdeDeviceId: deviceId,
		onboardingStatus: 'onboarded',
	};
}

function processEvidence(deviceId: string, created: string) {
	return {
		'@odata.type': '#microsoft.graph.security.processEvidence',
		createdDateTime: created,
		verdict: 'suspicious',
		remediationStatus: 'none',
		remediationStatusDetails: null,
		roles: [],
		detailedRoles: [],
		tags: [],
		processId: 4242,
		processCommandLine: 'powershell.exe -enc SQBFAFgA',
		detectionStatus: 'detected',
		mdeDeviceId: deviceId,
	};
}

export async function seedContainment(admin: AdminClient): Promise<ContainmentSeed> {
	await admin.setMachineActionBehaviour({ pendingMs: 0, inProgressMs: 200, outcome: 'Succeeded' });
	const machines = await admin.ids('machines', 3);
	if (machines.length < 3) throw new Error(`The emulator has ${machines.length} machines; the containment playbook needs 3`);
	const [one, two, three] = machines.map((machine) => machine.id);
	const created = new Date(Date.now() - 3 * DAY_MS).toISOString();
	const alert = (title: string, evidence: unknown[]) => ({ title, severity: 'medium', status: 'new', createdDateTime: created, evidence });
	const incident = (displayName: string, alerts: unknown[]) => ({
		displayName,
		severity: 'medium',
		status: 'active',
		assignedTo: CONTAINMENT_ASSIGNEE,
		createdDateTime: created,
		alerts,
	});
	const a = (await admin.addIncident(
		incident('e2e containment: one device', [alert('e2e: suspicious PowerShell on device 1', [deviceEvidence(one, created)])]),
	)) as { incident: { id: string } };
	const b = (await admin.addIncident(
		incident('e2e containment: two devices', [
			alert('e2e: suspicious PowerShell on device 2', [deviceEvidence(two, created), processEvidence(two, created)]),
			alert('e2e: lateral movement from device 2 to device 3', [deviceEvidence(three, created), deviceEvidence(two, created)]),
		]),
	)) as { incident: { id: string } };
	return { devicesByIncident: { [a.incident.id]: [one], [b.incident.id]: [two, three] }, deviceIds: [one, two, three] };
}
