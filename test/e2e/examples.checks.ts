/**
 * What the playbooks in examples/ must do in the real n8n (runs set up in harness.ts, see examples.ts).
 * Called from n8n.test.ts inside its context; not a test file of its own (one harness per suite).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { readZip } from '../emulator/storage/zip';
import { exitStatus, fetchToken, graphGet, outputOf, type E2EContext, type WorkflowRun } from './harness';
import { EXAMPLE_IDS, PHISHING_SEED, cloudAppsGet, exampleFiles, mdeGet } from './examples';
import { NODE_TYPE, TRIGGER_TYPE } from './workflows';

type Json = Record<string, unknown>;

/** Every parameter (and collection key) a node of this package sets is one its description defines, for that resource and operation. */
function unknownParameters(node: { type: string; parameters: Json }, nodeTypes: Json[]): string[] {
	const type = nodeTypes.find((candidate) => candidate.name === node.type);
	if (!type) return [`node type ${node.type} not loaded`];
	const properties = (type.properties ?? []) as Array<{ name: string; displayOptions?: { show?: Record<string, unknown[]> }; options?: Array<{ name?: string; value?: unknown }> ; type?: string }>;
	const shown = (property: (typeof properties)[number]) =>
		Object.entries(property.displayOptions?.show ?? {}).every(([key, values]) => {
			if (!(key in node.parameters)) return true;
			const actual = node.parameters[key];
			return (Array.isArray(actual) ? actual : [actual]).some((value) => values.includes(value));
		});
	const problems: string[] = [];
	for (const [name, value] of Object.entries(node.parameters)) {
		const property = properties.find((candidate) => candidate.name === name && shown(candidate));
		if (!property) {
			problems.push(name);
			continue;
		}
		if (property.type === 'collection' && value && typeof value === 'object') {
			for (const key of Object.keys(value)) if (!property.options?.some((option) => option.name === key)) problems.push(`${name}.${key}`);
		}
	}
	return problems;
}

/** The binary data of each output item of a node, as n8n returned it. */
function binaryOf(run: WorkflowRun, nodeName: string): Array<Record<string, BinaryInRun>> {
	const items = (run.run?.data.resultData.runData[nodeName]?.[0]?.data?.main?.[0] ?? []) as Array<{ binary?: Record<string, BinaryInRun> }>;
	return items.map((item) => item.binary ?? {});
}

interface BinaryInRun {
	fileName?: string;
	mimeType?: string;
	id?: string;
	data?: string;
	bytes?: number;
}

function filesUnder(dir: string): string[] {
	if (!existsSync(dir)) return [];
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? filesUnder(path.join(dir, entry.name)) : [path.join(dir, entry.name)]));
}

/** The bytes of binary data: inline (base64), or the file n8n's filesystem store keeps under the user folder. */
function binaryBytes(run: WorkflowRun, binary: BinaryInRun): Buffer {
	if (!binary.id) return Buffer.from(String(binary.data ?? ''), 'base64');
	const name = binary.id.split('/').pop() ?? '';
	const file = filesUnder(path.join(run.userFolder, '.n8n')).find((candidate) => path.basename(candidate) === name);
	if (!file) throw new Error(`n8n's binary data file ${binary.id} was not found under ${run.userFolder}/.n8n`);
	return readFileSync(file);
}

function commentsOf(entity: Json): string[] {
	return ((entity.comments ?? []) as Array<{ comment?: string }>).map((entry) => String(entry.comment ?? ''));
}

export function describeExamples(ctx: () => E2EContext): void {
	const exampleRun = (id: string): WorkflowRun => {
		const found = ctx().exampleRuns.find((entry) => entry.workflow.id === id);
		if (!found?.run) throw new Error(`no run of example ${id}`);
		return found.run;
	};
	const succeeded = (run: WorkflowRun) => expect({ exit: exitStatus(run), status: run.run?.status }).toEqual({ exit: 0, status: 'success' });
	const mdeRequests = (method: string, pattern: RegExp) => ctx().examples.requests.filter((request) => request.api === 'mde' && request.method === method && pattern.test(request.path));

	describe('the playbook library (examples/)', () => {
		it('has at least six playbooks, each with a fixed id, a sticky note (what, permissions, adapt), a Manual Trigger and the credential by name', () => {
			const files = exampleFiles();
			expect(files.length).toBeGreaterThanOrEqual(6);
			expect(new Set(files.map(({ workflow }) => workflow.id)).size).toBe(files.length);
			for (const { file, workflow } of files) {
				const note = workflow.nodes.find((node) => node.type === 'n8n-nodes-base.stickyNote');
				expect({ file, note: String(note?.parameters.content ?? '') }).toEqual({ file, note: expect.stringMatching(/\*\*What it does\.\*\*[\s\S]*\*\*Permissions\.\*\*[\s\S]*\*\*Adapt\.\*\*/) });
				expect({ file, manual: workflow.nodes.filter((node) => node.type !== 'n8n-nodes-base.stickyNote')[0]?.type }).toEqual({ file, manual: 'n8n-nodes-base.manualTrigger' });
				for (const node of workflow.nodes.filter((candidate) => candidate.credentials)) {
					expect({ file, node: node.name, credentials: node.credentials }).toEqual({
						file,
						node: node.name,
						credentials: { microsoft365DefenderApi: { id: 'REPLACE_WITH_YOUR_CREDENTIAL_ID', name: 'Microsoft 365 Defender' } },
					});
				}
				// Placeholders for messaging stay disabled and carry no credential.
				for (const node of workflow.nodes.filter((candidate) => /slack|emailSend/.test(candidate.type))) expect({ file, node: node.name, disabled: node.disabled }).toEqual({ file, node: node.name, disabled: true });
			}
		});

		it("use only parameters this package's node and trigger define (as n8n loaded them)", () => {
			const problems = exampleFiles().flatMap(({ file, workflow }) =>
				workflow.nodes
					.filter((node) => node.type === NODE_TYPE || node.type === TRIGGER_TYPE)
					.flatMap((node) => unknownParameters(node, ctx().nodeTypes).map((name) => `${file} / ${node.name}: ${name}`)),
			);
			expect(problems).toEqual([]);
		});

		it('every playbook was imported and run in the real n8n', () => {
			expect(ctx().exampleRuns.map((entry) => [entry.file, Boolean(entry.run?.run)])).toEqual(exampleFiles().map(({ file }) => [file, true]));
		});

		it('"block a list of indicators" imports the feed in one call, one result per item, the malformed entry failed and not sent', () => {
			const run = exampleRun(EXAMPLE_IDS.block);
			succeeded(run);
			const results = outputOf(run, 'Import indicators');
			expect(results).toHaveLength(6);
			const blocked = outputOf(run, 'Blocked');
			expect(blocked.map((item) => item.indicatorType)).toEqual(['FileSha256', 'FileSha1', 'IpAddress', 'DomainName', 'Url']);
			for (const item of blocked) expect(String(item.id)).toMatch(/^\d+$/);
			expect(outputOf(run, 'Not imported (review)')).toEqual([expect.objectContaining({ indicatorValue: '198.51.100.300', sent: false })]);
			expect(mdeRequests('POST', /^\/api\/indicators\/import$/).map((request) => request.status)).toEqual([200]);
		});

		it('"clean up stale indicators" (maxAgeDays 0 in the e2e) deletes what the block playbook imported, and they are gone', () => {
			const run = exampleRun(EXAMPLE_IDS.staleIndicators);
			succeeded(run);
			const imported = outputOf(exampleRun(EXAMPLE_IDS.block), 'Blocked').map((item) => String(item.id)).sort();
			const deleted = outputOf(run, 'Delete indicator');
			expect(deleted.map((item) => String(item.id)).sort()).toEqual(imported);
			for (const item of deleted) expect(item.deleted).toBe(true);
			expect(mdeRequests('DELETE', /^\/api\/indicators\/\d+$/).map((request) => request.path.split('/').pop()).sort()).toEqual(imported);
			expect(ctx().examples.indicators.filter((indicator) => imported.includes(String(indicator.id)))).toEqual([]);
			expect(outputOf(run, 'Summary')[0]).toMatchObject({ deleted: imported.length });
		});

		it('"hunt for a process" finds rclone.exe on devices and tags each of them (read back from Defender for Endpoint)', async () => {
			const run = exampleRun(EXAMPLE_IDS.hunt);
			succeeded(run);
			const rows = outputOf(run, 'Hunt for the process');
			expect(rows.length).toBeGreaterThan(0);
			const tagged = outputOf(run, 'Tag device');
			expect(tagged.map((device) => device.id)).toEqual(rows.map((row) => row.DeviceId));
			expect(mdeRequests('POST', /^\/api\/machines\/[0-9a-f]{40}\/tags$/)).toHaveLength(rows.length);
			const { info } = ctx().examplesEmulator;
			const token = await fetchToken(info, info.apps.full.clientId, String(info.apps.full.clientSecret), 'https://api.securitycenter.microsoft.com/.default');
			for (const row of rows.slice(0, 3)) {
				const machine = await mdeGet(info, token, `/api/machines/${String(row.DeviceId)}`);
				expect(machine.machineTags).toContain('n8n-hunt: rclone.exe');
			}
			expect(outputOf(run, 'Summary')[0]).toMatchObject({ processName: 'rclone.exe', devicesTagged: rows.length });
		});

		it('"daily vulnerability report" reads each exposed device\'s vulnerabilities and the recommendations into one report', () => {
			const run = exampleRun(EXAMPLE_IDS.vulnerabilities);
			succeeded(run);
			const devices = outputOf(run, 'Highly exposed devices');
			expect(devices.length).toBeGreaterThan(0);
			for (const device of devices) expect(device.exposureLevel).toBe('High');
			const findings = outputOf(run, 'Device vulnerabilities');
			expect(mdeRequests('GET', /^\/api\/machines\/[0-9a-f]{40}\/vulnerabilities$/)).toHaveLength(devices.length);
			const [report] = outputOf(run, 'Build report');
			expect(report).toMatchObject({ devices: devices.length, findings: findings.length });
			expect((report.topRecommendations as unknown[]).length).toBeGreaterThan(0);
			expect(String(report.text)).toMatch(/^Vulnerability report \d{4}-\d{2}-\d{2}\n/);
		});

		it('"CVE impact report" goes CVE -> affected devices -> exposures -> software -> missing KBs, one report', () => {
			const run = exampleRun(EXAMPLE_IDS.cveImpact);
			succeeded(run);
			const devices = outputOf(run, 'Affected devices');
			expect(devices.length).toBeGreaterThan(0);
			for (const device of devices) expect(device).toMatchObject({ cveId: 'CVE-2024-21338', id: expect.stringMatching(/^[0-9a-f]{40}$/) });
			const exposures = outputOf(run, 'Exposures of the CVE');
			expect(new Set(exposures.map((row) => row.machineId))).toEqual(new Set(devices.map((device) => device.id)));
			const software = outputOf(run, 'Software of the CVE');
			const kbs = outputOf(run, 'Missing KBs');
			expect(mdeRequests('GET', /^\/api\/Software\/microsoft-_-windows_[\w]+\/getmissingkbs$/)).toHaveLength(software.length);
			expect(kbs.map((kb) => kb.softwareId).sort()).toEqual(software.map((entry) => entry.softwareId).sort());
			const [report] = outputOf(run, 'Build report');
			expect(report).toMatchObject({ cveId: 'CVE-2024-21338', devices: devices.length, exposures: exposures.length, withoutKb: [] });
			expect((report.missingKbs as Array<{ devicesMissing: number }>).reduce((sum, kb) => sum + kb.devicesMissing, 0)).toBe(devices.length);
			expect(String(report.text)).toMatch(/^CVE impact report: CVE-2024-21338\n/);
		});

		it('"triage with approval" marks the incidents and stops at the approval form: nothing isolated', async () => {
			const run = exampleRun(EXAMPLE_IDS.triage);
			expect({ exit: exitStatus(run), status: run.run?.status, last: run.run?.data.resultData.lastNodeExecuted }).toEqual({ exit: 0, status: 'waiting', last: 'Wait for approval' });
			const planned = outputOf(run, 'Plan containment');
			expect(planned.length).toBeGreaterThan(0);
			for (const incident of planned) expect((incident.deviceIds as string[]).length).toBeGreaterThan(0);
			const marked = outputOf(run, 'Mark awaiting approval');
			expect(marked.map((incident) => incident.id)).toEqual(planned.map((incident) => incident.incidentId));
			for (const incident of marked) {
				expect(incident.status).toBe('inProgress');
				expect(incident.customTags).toContain('n8n: awaiting isolation approval');
			}
			expect(run.run?.data.resultData.runData['Isolate device']).toBeUndefined();
			expect(ctx().examples.machineActions.filter((action) => /approved by/.test(String(action.requestorComment ?? '')))).toEqual([]);
		});

		it('"enrich phishing and malware alerts" enriches the seeded alert\'s file, IP and domain and comments on it (read back from Graph)', async () => {
			const run = exampleRun(EXAMPLE_IDS.phishing);
			succeeded(run);
			const indicators = outputOf(run, 'Extract indicators').filter((item) => item.alertId === ctx().examples.phishingAlertId);
			expect(indicators.map((item) => [item.kind, item.value])).toEqual(
				expect.arrayContaining([
					['domain', PHISHING_SEED.domain],
					['ip', PHISHING_SEED.ip],
					['file', PHISHING_SEED.attachmentSha256],
				]),
			);
			for (const prefix of [`/api/files/${PHISHING_SEED.attachmentSha256}`, `/api/ips/${PHISHING_SEED.ip}/`, `/api/domains/${PHISHING_SEED.domain}/`]) {
				expect({ prefix, calls: mdeRequests('GET', /./).filter((request) => request.path.startsWith(prefix)).length > 0 }).toEqual({ prefix, calls: true });
			}
			const commented = outputOf(run, 'Comment on alert');
			expect(commented.map((item) => item.alertId)).toContain(ctx().examples.phishingAlertId);
			const { info } = ctx().examplesEmulator;
			const token = await fetchToken(info, info.apps.full.clientId, String(info.apps.full.clientSecret));
			const alert = await graphGet(info, token, `/v1.0/security/alerts_v2/${ctx().examples.phishingAlertId}`);
			const comment = commentsOf(alert).find((text) => text.startsWith('n8n enrichment ('));
			expect(comment).toContain(`domain ${PHISHING_SEED.domain}: `);
			expect(comment).toContain(`ip ${PHISHING_SEED.ip}: `);
			expect(comment).toContain(`file ${PHISHING_SEED.attachmentSha256}: unknown to Defender`);
		});

		it('"contain devices, collect packages and live response evidence": isolates, downloads the package zip, runs a library script, gets a file, comments', async () => {
			const run = exampleRun(EXAMPLE_IDS.contain);
			succeeded(run);
			const [incident] = outputOf(run, 'Newest active high-severity incident');
			const devices = outputOf(run, 'Devices of the incident');
			expect(devices.length).toBeGreaterThan(0);
			const isolated = outputOf(run, 'Isolate device');
			const collected = outputOf(run, 'Collect investigation package');
			expect(isolated.map((action) => [action.type, action.machineId, (action.wait as Json).finalStatus])).toEqual(devices.map((device) => ['Isolate', device.deviceId, 'Succeeded']));
			expect(collected.map((action) => [action.type, action.machineId, (action.wait as Json).finalStatus])).toEqual(
				devices.map((device) => ['CollectInvestigationPackage', device.deviceId, 'Succeeded']),
			);
			for (const action of [...isolated, ...collected]) {
				expect(ctx().examples.machineActions.find((candidate) => candidate.id === action.id)).toMatchObject({ status: 'Succeeded' });
			}

			// The package is a real zip in n8n's binary data: read back from n8n's binary data store and opened here,
			// and opened by n8n's own Compression node in the run.
			const packages = binaryOf(run, 'Collect investigation package').map((binary) => binary.package);
			expect(packages).toHaveLength(devices.length);
			for (const [index, binary] of packages.entries()) {
				expect(binary).toMatchObject({ fileName: 'WDATP_Investigation_Package.zip', mimeType: 'application/zip' });
				const entries = readZip(binaryBytes(run, binary));
				expect(entries.map((entry) => entry.name)).toEqual(expect.arrayContaining(['Processes/Processes.csv', 'CollectionSummaryReport.xls']));
				expect(entries.find((entry) => entry.name === 'Processes/Processes.csv')?.content.toString('utf8')).toContain(String(devices[index].deviceId));
			}
			const listed = binaryOf(run, 'List package contents');
			expect(listed.map((binaries) => Object.values(binaries).map((binary) => binary.fileName))).toEqual(
				devices.map(() => expect.arrayContaining(['Processes.csv', 'CollectionSummaryReport.xls'])),
			);

			// Live response: the library script ran, and Get File brought the hosts file as binary data.
			const scripts = outputOf(run, 'Run triage script');
			expect(scripts.map((item) => [item.type, item.status, item.exitCode, item.machineId])).toEqual(devices.map((device) => ['LiveResponse', 'Succeeded', 0, device.deviceId]));
			expect(scripts.map((item) => item.scriptName)).toEqual(devices.map((device) => (device.windows ? 'collect-triage.ps1' : 'list-processes.sh')));
			const hostsFiles = binaryOf(run, 'Get hosts file').map((binary) => binary.hostsFile);
			for (const [index, binary] of hostsFiles.entries()) {
				expect(binary.fileName).toBe('hosts');
				const text = binaryBytes(run, binary).toString('utf8');
				expect(text).toContain(`(${String(devices[index].deviceId)})`);
				expect(text).toContain(devices[index].windows ? '# Copyright (c) 1993-2009 Microsoft Corp.' : '# /etc/hosts');
				expect(outputOf(run, 'Read hosts file')[index].hostsFile).toBe(text);
			}
			// Every download went to the storage host, none with an Authorization header.
			const storage = ctx().examples.storageRequests;
			expect(storage.length).toBeGreaterThanOrEqual(devices.length * 3);
			for (const request of storage) expect({ path: request.path, authorization: request.headers.authorization }).toEqual({ path: request.path, authorization: undefined });

			const { info } = ctx().examplesEmulator;
			const token = await fetchToken(info, info.apps.full.clientId, String(info.apps.full.clientSecret));
			const readBack = await graphGet(info, token, `/v1.0/security/incidents/${String(incident.id)}`);
			const comments = commentsOf(readBack).filter((text) => text.startsWith('n8n containment of device '));
			expect(comments).toHaveLength(devices.length);
			for (const text of comments) {
				expect(text).toMatch(/isolation Succeeded .*investigation package Succeeded .*package downloaded \(\d+ bytes, 6 files\); triage script \S+ exit code 0; hosts file collected \(\d+ lines\)\.$/);
			}
		});
		it('"respond to a phishing campaign" soft-deletes the message from every recipient in one remediation, revokes the clickers\' sessions, comments', async () => {
			const run = exampleRun(EXAMPLE_IDS.phishingResponse);
			succeeded(run);
			const { campaign, accounts } = ctx().examples;
			const { info } = ctx().examplesEmulator;
			const token = await fetchToken(info, info.apps.full.clientId, String(info.apps.full.clientSecret));
			// Every recipient of the campaign, read from Graph outside n8n.
			const listed = await graphGet(info, token, `/v1.0/security/collaboration/analyzedEmails?$filter=${encodeURIComponent(`networkMessageId eq '${campaign.networkMessageId}'`)}`);
			const recipients = (listed.value as Json[]).map((email) => String(email.recipientEmailAddress)).sort();
			expect(recipients.length).toBeGreaterThan(campaign.clickers.length);
			const [remediation, ...others] = accounts.remediations;
			expect(others).toEqual([]);
			expect(remediation).toMatchObject({ action: 'softDelete', severity: 'high', remediateSendersCopy: false });
			expect(remediation.analyzedEmails.map((pair) => pair.networkMessageId)).toEqual(recipients.map(() => campaign.networkMessageId));
			expect(remediation.analyzedEmails.map((pair) => pair.recipientEmailAddress).sort()).toEqual(recipients);
			const deleted = outputOf(run, 'Soft delete from every mailbox');
			expect(deleted.map((item) => item.bulkId)).toEqual(recipients.map(() => remediation.bulkId));
			// Exactly the users who clicked lost their sessions, once each (the compromised-account playbook revokes its own user's).
			expect(outputOf(run, 'Revoke sessions').map((item) => item.user)).toEqual(campaign.clickers);
			const revoked = accounts.users.filter((user) => user.sessionsRevoked > 0 && user.userPrincipalName !== ctx().examples.compromised.userPrincipalName);
			expect(revoked.map((user) => [user.userPrincipalName, user.sessionsRevoked])).toEqual(campaign.clickers.map((upn) => [upn, 1]));
			const readBack = await graphGet(info, token, `/v1.0/security/incidents/${campaign.incidentId}`);
			const comment = commentsOf(readBack).find((text) => text.startsWith('n8n phishing response: '));
			expect(comment).toBe(
				`n8n phishing response: soft-deleted ${campaign.networkMessageId} from ${recipients.length} mailboxes (follow in the Action center: ${String(deleted[0].actionCenterUrl)}); revoked the sessions of ${campaign.clickers.join(', ')}.`,
			);
		});

		it('"contain a compromised account" marks the user compromised, disables it, revokes its sessions, isolates the devices it signed in to, comments', async () => {
			const run = exampleRun(EXAMPLE_IDS.compromisedAccount);
			succeeded(run);
			const { compromised, accounts } = ctx().examples;
			const victim = accounts.users.find((user) => user.userPrincipalName === compromised.userPrincipalName);
			expect(victim).toMatchObject({ accountEnabled: false, compromised: true, riskState: 'confirmedCompromised', sessionsRevoked: 1 });
			// Nobody else was touched by a user action (the phishing playbook revokes its clickers' sessions only).
			expect(accounts.users.filter((user) => !user.accountEnabled || user.compromised).map((user) => user.userPrincipalName)).toEqual([compromised.userPrincipalName]);
			// The devices the user signed in to, read from Defender for Endpoint outside n8n, each isolated once and done.
			const { info } = ctx().examplesEmulator;
			const mdeToken = await fetchToken(info, info.apps.full.clientId, String(info.apps.full.clientSecret), 'https://api.securitycenter.microsoft.com/.default');
			const devices = ((await mdeGet(info, mdeToken, `/api/users/${compromised.accountName}/machines`)).value as Json[]).map((device) => String(device.id)).sort();
			expect(devices.length).toBeGreaterThan(0);
			const isolations = ctx().examples.machineActions.filter((action) => action.type === 'Isolate' && String(action.requestorComment ?? '').includes(`${compromised.userPrincipalName} is compromised`));
			expect(isolations.map((action) => action.machineId).sort()).toEqual(devices);
			for (const action of isolations) expect(action.status).toBe('Succeeded');
			const token = await fetchToken(info, info.apps.full.clientId, String(info.apps.full.clientSecret));
			const readBack = await graphGet(info, token, `/v1.0/security/incidents/${compromised.incidentId}`);
			const comment = commentsOf(readBack).find((text) => text.startsWith('n8n compromised-account containment. '));
			expect(comment).toContain(`${compromised.userPrincipalName}: Confirmed the compromise of the Microsoft Entra ID account ${compromised.userPrincipalName}; Disabled the Microsoft Entra ID account ${compromised.userPrincipalName}; Revoked all sessions of the Microsoft Entra ID account ${compromised.userPrincipalName}; isolated ${devices.length} device(s): `);
			for (const id of devices) expect(comment).toContain(`(${id}) Succeeded`);
		});

		it('"Cloud Apps mass download": finds the user and accounts, their public files, and closes the alert as true positive (read back from Cloud Apps)', async () => {
			const run = exampleRun(EXAMPLE_IDS.cloudAppsMassDownload);
			succeeded(run);
			const picked = outputOf(run, 'Mass download alerts and their users');
			expect(picked).toHaveLength(1);
			const [{ alertId, user, userId }] = picked;
			expect(outputOf(run, 'User entity')).toEqual([expect.objectContaining({ id: userId, type: 'user', email: user })]);
			const [tree] = outputOf(run, "User's accounts");
			expect((tree.children as Json[]).length).toBeGreaterThanOrEqual(2);
			const files = outputOf(run, 'Files shared publicly');
			expect(files.length).toBeGreaterThan(0);
			for (const file of files) expect({ owner: file.ownerAddress, sharing: (file.fileAccessLevel as number[])[0] >= 3 }).toEqual({ owner: user, sharing: true });
			const [summary] = outputOf(run, 'Write comment per alert');
			expect(summary).toMatchObject({ alertId, publicFiles: files.length });
			expect(outputOf(run, 'Close as true positive')).toEqual([expect.objectContaining({ verdict: 'truePositive', closed: 1, alertsNotFound: [] })]);

			const cloudAppsCalls = ctx().examples.requests.filter((request) => request.api === 'cloudApps');
			expect(cloudAppsCalls.filter((request) => request.path === '/api/v1/alerts/close_true_positive/')).toHaveLength(1);
			const { info } = ctx().examplesEmulator;
			const token = await fetchToken(info, info.apps.full.clientId, String(info.apps.full.clientSecret), '05a65629-4c1b-48c1-a78b-804c4abdd4af/.default');
			const alert = await cloudAppsGet(info, token, `/api/v1/alerts/${String(alertId)}/`);
			expect(alert).toMatchObject({ resolutionStatusValue: 5, comment: summary.comment });
		});
	});
}
