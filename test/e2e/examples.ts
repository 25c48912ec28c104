/**
 * The playbook library (examples/*.json) in the e2e suite: each file imported into the real n8n and
 * run with `n8n execute` against an emulator of its own (so the playbooks' isolations, tags,
 * comments and indicators never meet the other runs' assertions, and the other runs never change
 * what the playbooks find).
 *
 * What the harness changes in a playbook before importing it (forE2E):
 *  - the credential reference ("Microsoft 365 Defender", id placeholder) -> the examples credential;
 *  - Wait for Completion checks every 1 s instead of 15-30 s (the emulator finishes an action in 200 ms);
 *  - the stale-indicator clean-up's maxAgeDays 90 -> 0, so the indicators the block playbook has just
 *    imported count as stale and are deleted (the emulator cannot make an indicator 90 days old).
 * The approval playbook runs up to its Wait (form) node: the execution ends `waiting`, with no isolation.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import * as demo from '../../scripts/lib/demo.cjs';
import { campaignNetworkMessageId } from '../emulator/graph/analyzedEmails';
import * as emulatorLib from '../../scripts/lib/emulator.cjs';
import type { AdminClient, EmulatorInfo } from '../../scripts/lib/emulator.cjs';
import type { E2ECredential } from './workflows';

export const EXAMPLES_DIR = path.resolve(__dirname, '..', '..', 'examples');
export const EXAMPLES_CREDENTIAL = { id: 'm365DefenderExampl1', name: 'Microsoft 365 Defender (examples emulator)' };

export const EXAMPLE_IDS = {
	triage: 'exPbTriageApprv1',
	phishing: 'exPbPhishEnrich1',
	block: 'exPbBlockIocs001',
	hunt: 'exPbHuntTag00001',
	vulnerabilities: 'exPbVulnReport01',
	cveImpact: 'exPbCveImpact001',
	contain: 'exPbContainPkg01',
	staleIndicators: 'exPbStaleIocs001',
	phishingResponse: 'exPbPhishRespnd1',
	compromisedAccount: 'exPbCompromAcct1',
	cloudAppsMassDownload: 'exPbCloudAppsDl1',
} as const;

/**
 * Two lanes (each its own copy of the user folder), runs within a lane one after the other:
 * the clean-up after the block playbook (it deletes what that one imported).
 */
export const EXAMPLE_LANES: string[][] = [
	[EXAMPLE_IDS.block, EXAMPLE_IDS.staleIndicators, EXAMPLE_IDS.hunt, EXAMPLE_IDS.vulnerabilities, EXAMPLE_IDS.cveImpact, EXAMPLE_IDS.phishingResponse],
	// The compromised-account playbook isolates devices: after the containment playbook, never beside it.
	[EXAMPLE_IDS.triage, EXAMPLE_IDS.phishing, EXAMPLE_IDS.contain, EXAMPLE_IDS.compromisedAccount, EXAMPLE_IDS.cloudAppsMassDownload],
];

export interface ExampleWorkflow {
	id: string;
	name: string;
	nodes: Array<{ name: string; type: string; parameters: Record<string, unknown>; credentials?: Record<string, { id: string; name: string }>; disabled?: boolean }>;
	connections: Record<string, unknown>;
	[key: string]: unknown;
}

/** The playbooks as shipped, sorted by file name. */
export function exampleFiles(): Array<{ file: string; workflow: ExampleWorkflow }> {
	return readdirSync(EXAMPLES_DIR)
		.filter((name) => name.endsWith('.json'))
		.sort()
		.map((file) => ({ file, workflow: JSON.parse(readFileSync(path.join(EXAMPLES_DIR, file), 'utf8')) as ExampleWorkflow }));
}

/** The examples credential: the demo credential's template, filled in for the examples emulator. */
export function examplesCredential(info: EmulatorInfo): E2ECredential {
	const [template] = demo.demoCredentials(info) as E2ECredential[];
	return { ...template, ...EXAMPLES_CREDENTIAL };
}

/** A playbook as the e2e imports it (see the header). */
export function forE2E(workflow: ExampleWorkflow): ExampleWorkflow {
	const copy = structuredClone(workflow);
	for (const node of copy.nodes) {
		if (node.credentials?.microsoft365DefenderApi) node.credentials.microsoft365DefenderApi = { ...EXAMPLES_CREDENTIAL };
		if (node.parameters.waitForCompletion === true) node.parameters.pollIntervalSeconds = 1;
		if (copy.id === EXAMPLE_IDS.staleIndicators && node.name === 'Settings') {
			const assignments = (node.parameters.assignments as { assignments: Array<{ name: string; value: unknown }> }).assignments;
			for (const assignment of assignments) if (assignment.name === 'maxAgeDays') assignment.value = 0;
		}
	}
	return copy;
}

/** The phishing alert seedExamples adds: the newest new alert, with a URL, a sender IP and an attachment. */
export const PHISHING_SEED = {
	title: 'e2e: email messages containing malicious URL removed after delivery',
	url: 'https://login-micros0ft-support.com/owa/auth.php',
	domain: 'login-micros0ft-support.com',
	ip: '185.220.101.45',
	attachmentSha256: '0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0',
};

/**
 * Machine actions finish at once (Pending 0 ms, InProgress 200 ms), so Wait for Completion ends at
 * its first check; one medium-severity incident (so the high-severity playbooks leave it alone) with
 * a Defender for Office 365 phishing alert, so the enrichment playbook meets a file, an IP and a domain.
 */
export async function seedExamples(admin: AdminClient): Promise<{ phishingAlertId: string } & ResponseSeed> {
	await admin.setMachineActionBehaviour({ pendingMs: 0, inProgressMs: 200, outcome: 'Succeeded' });
	const created = new Date().toISOString();
	const base = (type: string) => ({ '@odata.type': `#microsoft.graph.security.${type}`, createdDateTime: created, verdict: 'malicious', remediationStatus: 'none', remediationStatusDetails: null, roles: [], detailedRoles: [], tags: [] });
	const added = (await admin.addIncident({
		displayName: 'e2e examples: phishing email with a malicious link',
		severity: 'medium',
		status: 'active',
		createdDateTime: created,
		alerts: [
			{
				title: PHISHING_SEED.title,
				severity: 'medium',
				status: 'new',
				serviceSource: 'microsoftDefenderForOffice365',
				detectionSource: 'microsoftDefenderForOffice365',
				createdDateTime: created,
				evidence: [
					{ ...base('urlEvidence'), url: PHISHING_SEED.url },
					{ ...base('ipEvidence'), ipAddress: PHISHING_SEED.ip, countryLetterCode: 'NL' },
					{ ...base('fileEvidence'), detectionStatus: 'detected', fileDetails: { sha256: PHISHING_SEED.attachmentSha256, fileName: 'invoice.html' } },
				],
			},
		],
	})) as { alerts?: Array<{ id: string }> };
	const phishingAlertId = added.alerts?.[0]?.id;
	if (!phishingAlertId) throw new Error(`The examples emulator did not return the phishing alert: ${JSON.stringify(added).slice(0, 500)}`);
	return { phishingAlertId, ...(await seedResponseIncidents(admin)) };
}

export interface ResponseSeed {
	/** The phishing campaign the response playbook must pull (the emulator's first campaign), and who clicked its link. */
	campaign: { incidentId: string; networkMessageId: string; clickers: string[] };
	/** The account the compromised-account playbook must contain. */
	compromised: { incidentId: string; userPrincipalName: string; accountName: string };
}

/**
 * Two incidents a analyst has classified true positive (medium severity, so the high-severity playbooks leave them
 * alone): a phishing campaign whose link two recipients clicked (Defender for Office 365's alert names the message
 * and the clicking users), and a compromised account (Entra ID Protection's alert names the user, who has signed in
 * to two devices in the seed).
 */
async function seedResponseIncidents(admin: AdminClient): Promise<ResponseSeed> {
	const { users } = await admin.accountsAndMail();
	const created = new Date().toISOString();
	const evidence = (type: string, fields: Record<string, unknown>) => ({ '@odata.type': `#microsoft.graph.security.${type}`, createdDateTime: created, verdict: 'malicious', remediationStatus: 'none', remediationStatusDetails: null, roles: [], detailedRoles: [], tags: [], ...fields });
	const userEvidence = (user: (typeof users)[number]) => evidence('userEvidence', { userAccount: { accountName: user.accountName, domainName: 'CONTOSO', userPrincipalName: user.userPrincipalName, azureAdUserId: user.id, displayName: user.userPrincipalName } });
	const networkMessageId = campaignNetworkMessageId(0);
	// The phish went to the first 12 users (graph/analyzedEmails.ts); the third and fourth clicked.
	const clickers = users.slice(2, 4);
	const incidentOf = (added: unknown) => String((added as { incident?: { id?: string } }).incident?.id ?? (added as { id?: string }).id);
	const phishing = await admin.addIncident({
		displayName: 'e2e examples: phishing campaign, link clicked',
		severity: 'medium',
		status: 'active',
		classification: 'truePositive',
		determination: 'phishing',
		createdDateTime: created,
		alerts: [
			{
				title: 'A potentially malicious URL click was detected',
				severity: 'medium',
				status: 'inProgress',
				classification: 'truePositive',
				determination: 'phishing',
				serviceSource: 'microsoftDefenderForOffice365',
				detectionSource: 'microsoftDefenderForOffice365',
				createdDateTime: created,
				evidence: [
					evidence('analyzedMessageEvidence', { networkMessageId, recipientEmailAddress: clickers[0].userPrincipalName, subject: 'Action required: your mailbox is full', senderIp: '203.0.113.10' }),
					evidence('urlEvidence', { url: 'https://contoso-helpdesk.com/login' }),
					...clickers.map(userEvidence),
				],
			},
		],
	});
	const victim = users[9];
	const compromised = await admin.addIncident({
		displayName: 'e2e examples: compromised account',
		severity: 'medium',
		status: 'active',
		classification: 'truePositive',
		determination: 'compromisedAccount',
		createdDateTime: created,
		alerts: [
			{
				title: 'Unfamiliar sign-in properties',
				severity: 'medium',
				status: 'inProgress',
				classification: 'truePositive',
				determination: 'compromisedAccount',
				serviceSource: 'azureAdIdentityProtection',
				detectionSource: 'azureAdIdentityProtection',
				createdDateTime: created,
				evidence: [userEvidence(victim), evidence('ipEvidence', { ipAddress: '198.51.100.77', countryLetterCode: 'RU' })],
			},
		],
	});
	return {
		campaign: { incidentId: incidentOf(phishing), networkMessageId, clickers: clickers.map((user) => user.userPrincipalName) },
		compromised: { incidentId: incidentOf(compromised), userPrincipalName: victim.userPrincipalName, accountName: victim.accountName },
	};
}

/** GET on an emulator's Defender for Endpoint API with a token (outside n8n). */
export async function mdeGet(info: EmulatorInfo, token: string, route: string): Promise<Record<string, unknown>> {
	return await getJson(info, info.mdeUrl, token, route);
}

/** GET on an emulator's Defender for Cloud Apps API with a token for its audience (outside n8n). */
export async function cloudAppsGet(info: EmulatorInfo, token: string, route: string): Promise<Record<string, unknown>> {
	return await getJson(info, info.cloudAppsUrl, token, route);
}

async function getJson(info: EmulatorInfo, baseUrl: string, token: string, route: string): Promise<Record<string, unknown>> {
	const response = await emulatorLib.request(`${baseUrl.replace(/\/$/, '')}${route}`, {
		headers: { Authorization: `Bearer ${token}` },
		ca: readFileSync(info.caCertPath),
	});
	if (response.status !== 200) throw new Error(`GET ${route} answered ${response.status}: ${response.text}`);
	return response.json as Record<string, unknown>;
}
