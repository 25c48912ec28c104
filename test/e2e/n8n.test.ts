/**
 * The package inside a real n8n 2.40.7: installed from its npm tarball like a community package,
 * credentials and workflows imported with n8n's CLI, workflows run with `n8n execute`, all
 * traffic going to the Defender emulator over HTTPS. See harness.ts for how the runs are set up.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { AFTER_STOP_WATCH_MS, receivedAt } from './control-lane';
import { describeCredentialLane } from './credential.checks';
import { describeExamples } from './examples.checks';
import { DEMO_HUNT, DEMO_TRIAGE, databaseFiles, exitStatus, fetchToken, graphGet, nodeErrorOf, outputOf, setupE2E, teardownE2E, type E2EContext } from './harness';
import { proxiedTargets } from './proxy-check';
import { isIncidentPoll } from './trigger-lane';
import {
	C,
	CONTAINMENT_COMMENT_PREFIX,
	CREDENTIAL_TYPE,
	E2E_ASSIGNEE,
	E2E_COMMENT,
	E2E_INDICATOR_IP,
	E2E_INDICATOR_TITLE,
	N,
	NODE_TYPE,
	P,
	STOP_SCAN_DEVICES,
	T,
	TRIGGER_TYPE,
} from './workflows';

const PACKAGE_NAME = 'n8n-nodes-microsoft-365-defender';

let context: E2EContext | undefined;

beforeAll(async () => {
	context = await setupE2E();
}, 20 * 60_000);

afterAll(async () => {
	await teardownE2E(context);
}, 60_000);

function ctx(): E2EContext {
	if (!context) throw new Error('e2e setup failed; see the error of beforeAll');
	return context;
}

const decodedPath = (request: { path: string }) => {
	try {
		return decodeURIComponent(request.path);
	} catch {
		return request.path;
	}
};

function errorText(json: Record<string, unknown> | undefined): string {
	if (!json) return '';
	return [json.message, json.description, json.error, json.httpCode]
		.filter((part) => part !== undefined)
		.map((part) => (typeof part === 'string' ? part : JSON.stringify(part)))
		.join(' | ');
}

describe('the node as n8n loads it', () => {
	const ourNode = () => {
		const found = ctx().nodeTypes.find((type) => type.name === NODE_TYPE);
		if (!found) throw new Error(`${NODE_TYPE} not among n8n's ${ctx().nodeTypes.length} node types`);
		return found as {
			displayName: string;
			version: number[];
			defaultVersion: number;
			iconUrl: { light: string; dark: string };
			codex: { categories: string[]; alias: string[]; resources: Record<string, Array<{ url: string }>> };
			credentials: Array<{ name: string }>;
			communityNodePackageVersion?: string;
			usableAsTool?: boolean;
		};
	};

	it('has its package-scoped type name, version and credential', () => {
		const node = ourNode();
		expect(node.displayName).toBe('Microsoft 365 Defender');
		expect({ version: node.version, defaultVersion: node.defaultVersion }).toEqual({ version: [1, 1.1], defaultVersion: 1.1 });
		expect(node.credentials.map((credential) => credential.name)).toEqual([CREDENTIAL_TYPE]);
		const installed = JSON.parse(readFileSync(path.join(ctx().installedPackageDir, 'package.json'), 'utf8')) as { version: string };
		expect(node.communityNodePackageVersion).toBe(installed.version);
	});

	it('has light and dark icons that exist in the installed package', () => {
		const { iconUrl } = ourNode();
		for (const [variant, url] of Object.entries(iconUrl)) {
			expect(url).toMatch(new RegExp(`^icons/${PACKAGE_NAME}/dist/nodes/Microsoft365Defender/.+\\.svg$`));
			const file = path.join(ctx().installedPackageDir, url.slice(`icons/${PACKAGE_NAME}/`.length));
			expect({ variant, exists: existsSync(file) }).toEqual({ variant, exists: true });
			expect(readFileSync(file, 'utf8')).toContain('<svg');
		}
		expect(iconUrl.light).not.toBe(iconUrl.dark);
	});

	it('carries its codex (categories, aliases, documentation links)', () => {
		const { codex } = ourNode();
		expect(codex.categories.length).toBeGreaterThan(0);
		expect(codex.alias).toEqual(expect.arrayContaining(['Defender', 'KQL']));
		expect(codex.resources.primaryDocumentation[0].url).toMatch(/^https:\/\//);
		expect(codex.resources.credentialDocumentation[0].url).toMatch(/^https:\/\//);
	});

	it('is offered to AI agents as a tool', () => {
		expect(ctx().nodeTypes.some((type) => type.name === `${NODE_TYPE}Tool`)).toBe(true);
	});
});

describe('every operation against the emulator', () => {
	const operations = () => ctx().runs.operations;

	it('runs the whole workflow successfully (expected failures use Continue On Fail)', () => {
		const { run } = operations();
		expect({ exit: exitStatus(operations()), status: run?.status, error: run?.data.resultData.error?.message }).toEqual({
			exit: 0,
			status: 'success',
			error: undefined,
		});
	});

	it('incident: get many (limit), get with alerts, update, add comment', () => {
		const [first] = outputOf(operations(), N.incidentFirst);
		expect(outputOf(operations(), N.incidentFirst)).toHaveLength(1);
		expect(typeof first.id).toBe('string');

		const [incident] = outputOf(operations(), N.incidentGet);
		expect(incident.id).toBe(first.id);
		expect(Array.isArray(incident.alerts)).toBe(true);
		expect((incident.alerts as unknown[]).length).toBeGreaterThan(0);

		const [updated] = outputOf(operations(), N.incidentUpdate);
		expect(updated).toMatchObject({
			id: first.id,
			status: 'inProgress',
			assignedTo: E2E_ASSIGNEE,
			classification: 'truePositive',
			determination: 'malware',
		});
		// Mode "add" keeps the tags the incident had.
		const before = (incident.customTags as string[] | undefined) ?? [];
		expect(updated.customTags).toEqual(expect.arrayContaining([...before, 'n8n-e2e', 'reviewed']));

		const [commented] = outputOf(operations(), N.incidentComment);
		expect(commented.incidentId).toBe(first.id);
		expect(commented.comment).toBe(E2E_COMMENT);
		expect((commented.comments as Array<{ comment: string }>).map((entry) => entry.comment)).toContain(E2E_COMMENT);
	});

	it('node versions: the version-1 node keeps Graph\'s whole incident, the version-1.1 node simplifies it', async () => {
		const [full] = outputOf(operations(), N.incidentGet);
		const [simple] = outputOf(operations(), N.incidentGetSimplified);
		const { info } = ctx();
		const token = await fetchToken(info, info.apps.full.clientId, String(info.apps.full.clientSecret));
		const graph = await graphGet(info, token, `/v1.0/security/incidents/${String(full.id)}?$expand=alerts`);
		// What version 1 gave before version 1.1 existed: every field Graph sends, for the incident and each alert.
		expect(Object.keys(full).sort()).toEqual(Object.keys(graph).sort());
		const graphAlerts = graph.alerts as Array<Record<string, unknown>>;
		expect((full.alerts as Array<Record<string, unknown>>).map((alert) => Object.keys(alert).sort())).toEqual(graphAlerts.map((alert) => Object.keys(alert).sort()));

		expect(simple).toMatchObject({ id: full.id, displayName: full.displayName, severity: full.severity, incidentWebUrl: full.incidentWebUrl });
		expect(simple.tenantId).toBeUndefined();
		expect(simple.comments).toBeUndefined();
		const [simpleAlert] = simple.alerts as Array<Record<string, unknown>>;
		expect(simpleAlert.tenantId).toBeUndefined();
		expect((simpleAlert.evidence as Array<Record<string, unknown>>)[0]).toEqual(expect.objectContaining({ type: expect.any(String), verdict: expect.any(String) }));
	});

	it('incident: Return All follows @odata.nextLink across pages of 50', () => {
		const items = outputOf(operations(), N.incidentsAll);
		expect(items.length).toBeGreaterThan(50);
		expect(new Set(items.map((item) => item.id)).size).toBe(items.length);

		const fullClient = ctx().info.apps.full.clientId;
		const pages = ctx().requests.filter((request) => {
			const requestPath = decodedPath(request);
			return (
				request.method === 'GET' &&
				/^\/v1\.0\/security\/incidents(\?|$)/i.test(requestPath) &&
				!/\$filter=/.test(requestPath) &&
				!/[?&]\$top=[12](&|$)/.test(requestPath) &&
				(request.clientId === undefined || request.clientId === fullClient)
			);
		});
		expect(pages.length).toBe(Math.ceil(items.length / 50));
		expect(pages.every((request) => request.status === 200)).toBe(true);
		expect(decodedPath(pages[0])).toMatch(/[?&]\$top=50(&|$)/);
	});

	it('incident: filters are applied by the API', () => {
		const items = outputOf(operations(), N.incidentsFiltered);
		for (const item of items) expect({ severity: item.severity, status: item.status }).toEqual({ severity: 'high', status: 'active' });
		const filtered = ctx().requests.filter((request) => /\$filter=/.test(decodedPath(request)) && /incidents/.test(request.path));
		expect(filtered.length).toBeGreaterThan(0);
		expect(decodedPath(filtered[0])).toMatch(/severity eq 'high'/);
	});

	it('alert: get many (limit), get, update, add comment', () => {
		const [first] = outputOf(operations(), N.alertFirst);
		expect(typeof first.id).toBe('string');
		const [alert] = outputOf(operations(), N.alertGet);
		expect(alert.id).toBe(first.id);

		const [updated] = outputOf(operations(), N.alertUpdate);
		expect(updated).toMatchObject({
			id: first.id,
			status: 'inProgress',
			assignedTo: E2E_ASSIGNEE,
			classification: 'truePositive',
			determination: 'malware',
		});

		const [commented] = outputOf(operations(), N.alertComment);
		expect(commented.alertId).toBe(first.id);
		expect((commented.comments as Array<{ comment: string }>).map((entry) => entry.comment)).toContain(E2E_COMMENT);
	});

	it('alert: limit and severity filter', () => {
		const items = outputOf(operations(), N.alertsFiltered);
		expect(items.length).toBeGreaterThan(0);
		expect(items.length).toBeLessThanOrEqual(5);
		for (const item of items) expect(item.severity).toBe('high');
	});

	it('advanced hunting: one item per row', () => {
		const rows = outputOf(operations(), N.huntRows);
		expect(rows.length).toBeGreaterThan(0);
		expect(rows.length).toBeLessThanOrEqual(25);
		for (const row of rows) {
			expect(Object.keys(row).sort()).toEqual(['AccountName', 'DeviceName', 'ProcessCommandLine', 'Timestamp']);
		}
	});

	it('advanced hunting: one item with schema and rows', () => {
		const items = outputOf(operations(), N.huntTable);
		expect(items).toHaveLength(1);
		const [table] = items as Array<{ schema: Array<{ name: string }>; results: unknown[]; rowCount: number }>;
		expect(table.schema.map((column) => column.name)).toEqual(['Timestamp', 'DeviceName', 'AccountName', 'ProcessCommandLine']);
		expect(table.rowCount).toBe(table.results.length);
		expect(table.rowCount).toBeGreaterThan(0);
	});

	it('a certificate credential (client assertion) works too', () => {
		expect(outputOf(operations(), N.certificateList)).toHaveLength(2);
	});

	it('Defender for Endpoint: device get many, indicator create and delete', () => {
		const devices = outputOf(operations(), N.devicesFirst);
		expect(devices).toHaveLength(2);
		for (const device of devices) expect(device.id).toMatch(/^[0-9a-f]{40}$/);

		const [indicator] = outputOf(operations(), N.indicatorCreate);
		expect(indicator).toMatchObject({ indicatorValue: E2E_INDICATOR_IP, indicatorType: 'IpAddress', action: 'Block', title: E2E_INDICATOR_TITLE });
		expect(outputOf(operations(), N.indicatorDelete)).toEqual([{ id: String(indicator.id), deleted: true }]);
		// Deleted in the emulator too.
		expect(ctx().mde.indicators.some((entry) => entry.indicatorValue === E2E_INDICATOR_IP)).toBe(false);
	});

	it('Defender for Endpoint calls carry a token requested for its own audience', () => {
		const { info, requests } = ctx();
		const fullClient = info.apps.full.clientId;
		const normalize = (url: string | undefined) => String(url ?? '').replace(/\/\.default$/, '').replace(/\/+$/, '').toLowerCase();
		const mdeAudience = normalize(info.mdeUrl);
		const tokenRequests = requests.filter((request) => request.api === 'token' && request.clientId === fullClient && request.status === 200);
		expect(tokenRequests.map((request) => normalize(request.audience))).toContain(mdeAudience);
		const mdeCalls = requests.filter((request) => request.api === 'mde' && request.clientId === fullClient);
		const routes = mdeCalls.map((request) => `${request.method} ${decodedPath(request).split('?')[0]} ${request.status}`);
		expect(routes).toEqual(expect.arrayContaining(['GET /api/machines 200', 'POST /api/indicators 200', expect.stringMatching(/^DELETE \/api\/indicators\/\d+ 204$/)]));
		for (const request of mdeCalls) expect(normalize(request.audience)).toBe(mdeAudience);
	});
});

describe('containment playbook: incidents -> devices of their alerts -> isolate and wait -> comment', () => {
	const playbook = () => ctx().runs.containment;
	/** (incident, device) in the order the playbook meets them: incidents as Get Many lists them. */
	const expectedPairs = () =>
		outputOf(playbook(), P.incidents).flatMap((incident) =>
			(ctx().containment.devicesByIncident[String(incident.id)] ?? []).map((deviceId) => ({ incidentId: String(incident.id), deviceId })),
		);

	it('runs successfully', () => {
		const { run } = playbook();
		expect({ exit: exitStatus(playbook()), status: run?.status, error: run?.data.resultData.error?.message }).toEqual({
			exit: 0,
			status: 'success',
			error: undefined,
		});
	});

	it('gets exactly the incidents of the queue, with their alerts', () => {
		const incidents = outputOf(playbook(), P.incidents);
		expect(incidents.map((incident) => incident.id).sort()).toEqual(Object.keys(ctx().containment.devicesByIncident).sort());
		for (const incident of incidents) expect((incident.alerts as unknown[]).length).toBeGreaterThan(0);
	});

	it('finds each device of the alerts once (device evidence only)', () => {
		const devices = outputOf(playbook(), P.devices);
		expect(Object.fromEntries(devices.map((item) => [item.incidentId, item.deviceIds]))).toEqual(ctx().containment.devicesByIncident);
		expect(outputOf(playbook(), P.split)).toEqual(expectedPairs());
	});

	it('isolates every device and waits until the action Succeeded', () => {
		const isolated = outputOf(playbook(), P.isolate);
		expect(isolated.map((action) => ({ machineId: action.machineId, type: action.type, scope: action.scope, status: action.status }))).toEqual(
			expectedPairs().map(({ deviceId }) => ({ machineId: deviceId, type: 'Isolate', scope: 'Full', status: 'Succeeded' })),
		);
		isolated.forEach((action, index) => {
			expect(action.wait).toMatchObject({ completed: true, finalStatus: 'Succeeded', timedOut: false });
			expect((action.wait as { checks: number }).checks).toBeGreaterThanOrEqual(1);
			// The comment names the incident the device came from ($('Get Incidents').item, paired items).
			expect(action.requestorComment).toBe(`${CONTAINMENT_COMMENT_PREFIX}${expectedPairs()[index].incidentId}`);
		});
	});

	it("the emulator's machine actions show the devices isolated", () => {
		const isolated = outputOf(playbook(), P.isolate);
		for (const action of isolated) {
			const stored = ctx().mde.machineActions.find((entry) => entry.id === action.id);
			expect(stored).toMatchObject({ type: 'Isolate', machineId: action.machineId, status: 'Succeeded', requestorComment: action.requestorComment });
		}
		const posts = ctx().requests.filter((request) => request.api === 'mde' && request.method === 'POST' && /\/isolate$/i.test(request.path));
		expect(posts.map((request) => request.status)).toEqual(isolated.map(() => 201));
		const checks = ctx().requests.filter((request) => request.api === 'mde' && request.method === 'GET' && /^\/api\/machineactions\/[0-9a-f-]{36}$/i.test(request.path));
		expect(checks.length).toBeGreaterThanOrEqual(isolated.length);
	});

	it('comments on each incident, one comment per isolated device', async () => {
		const comments = outputOf(playbook(), P.comment);
		const isolated = outputOf(playbook(), P.isolate);
		expect(comments.map((item) => item.incidentId)).toEqual(expectedPairs().map((pair) => pair.incidentId));
		const expectedText = isolated.map((action) => `Isolated device ${action.machineId} (machine action ${action.id}): Succeeded`);
		expect(comments.map((item) => item.comment)).toEqual(expectedText);

		// Read back from the emulator (Graph, outside n8n).
		const { info } = ctx();
		const token = await fetchToken(info, info.apps.full.clientId, String(info.apps.full.clientSecret));
		for (const [incidentId] of Object.entries(ctx().containment.devicesByIncident)) {
			const response = await graphGet(info, token, `/v1.0/security/incidents/${incidentId}`);
			const stored = (response.comments as Array<{ comment: string }>).map((entry) => entry.comment);
			const mine = expectedText.filter((_, index) => expectedPairs()[index].incidentId === incidentId);
			expect(stored).toEqual(mine);
		}
	});
});

describe('the polling trigger under `n8n start` (every minute)', () => {
	const trigger = () => ctx().trigger;
	const emittedIds = (nodeName: string) =>
		trigger().executions.flatMap((execution) =>
			(execution.run?.resultData.runData[nodeName]?.[0]?.data?.main?.[0] ?? []).map((item) => String(item.json.id)),
		);

	it('was activated and polled before the new incident was added', () => {
		expect(trigger().error).toBeUndefined();
		const polls = trigger().requestsBeforeInsert.filter(isIncidentPoll);
		expect(polls.length).toBeGreaterThan(0);
		expect(polls.every((request) => request.status === 200)).toBe(true);
		// The first position comes from Microsoft's newest incident, not from n8n's clock.
		expect(decodedPath(polls[0])).toMatch(/\$orderby=createdDateTime desc/);
		expect(decodedPath(polls[0])).toMatch(/\$top=1\b/);
		const windowed = polls.map(decodedPath).filter((path) => /\$filter=createdDateTime ge /.test(path));
		expect(windowed.length).toBeGreaterThan(0);
		expect(windowed.every((path) => /\$expand=alerts/.test(path) && /\$orderby=createdDateTime asc/.test(path))).toBe(true);
	});

	it('runs the workflow once, with exactly the new incident (not the one from before the activation)', () => {
		const { executions, inserted, preexisting } = trigger();
		expect(trigger().error).toBeUndefined();
		expect(executions.map((execution) => ({ mode: execution.summary.mode, status: execution.summary.status }))).toEqual([
			{ mode: 'trigger', status: 'success' },
		]);
		expect(emittedIds(T.trigger)).toEqual([inserted?.id]);
		expect(emittedIds(T.received)).toEqual([inserted?.id]);
		expect(emittedIds(T.trigger)).not.toContain(preexisting?.id);
		// Every poll asked for a window that holds the older incident too (the look-back overlap), so
		// leaving it out was the trigger's doing, not the query's.
		const polls = trigger().requests.filter(isIncidentPoll).filter((poll) => /createdDateTime ge /.test(decodedPath(poll)));
		expect(polls.length).toBeGreaterThanOrEqual(2);
		for (const poll of polls) {
			const since = /createdDateTime ge (\S+?Z)/.exec(decodedPath(poll))?.[1];
			expect({ since, containsOlder: Date.parse(String(since)) <= Date.parse(String(preexisting?.createdDateTime)) }).toEqual({ since, containsOlder: true });
		}
	});

	it('emits the incident with its alerts, as Graph returns it', () => {
		const [execution] = trigger().executions;
		const [item] = execution?.run?.resultData.runData[T.trigger]?.[0]?.data?.main?.[0] ?? [];
		expect(item?.json).toMatchObject({ id: trigger().inserted?.id, displayName: 'e2e: new incident for the trigger', severity: 'high', status: 'active' });
		expect((item?.json.alerts as Array<{ id: string }>).map((alert) => alert.id)).toEqual(trigger().inserted?.alertIds);
	});

	it('is the package\'s trigger node, and n8n stops cleanly', () => {
		const [execution] = trigger().executions;
		expect(execution?.workflowNodes.find((node) => node.name === T.trigger)?.type).toBe(TRIGGER_TYPE);
		expect(trigger().stop).toEqual({ code: 0, signal: null });
	});
});

describe("n8n's HTTP Request node with the credential", () => {
	it('gets a token for Graph and calls it', () => {
		const items = outputOf(ctx().runs.operations, N.httpGraph);
		expect(items).toHaveLength(1);
		expect(Array.isArray(items[0].value)).toBe(true);
		expect((items[0].value as unknown[]).length).toBe(1);
	});

	it('refuses to send the token to another host, and nothing reaches it', () => {
		const [item] = outputOf(ctx().runs.operations, N.httpForeign);
		expect(errorText(item)).toContain('only sends its token to');
		expect(ctx().requests.some((request) => request.path.includes('e2e-foreign-host-probe'))).toBe(false);
	});
});

describe('operator control: Stop in the editor (n8n start, REST API)', () => {
	const control = () => {
		const run = ctx().control;
		if (run.error) throw new Error(`The control lane failed: ${run.error}\n${run.output.slice(-2000)}`);
		return run;
	};
	const stop = () => control().stop;

	it('started the scan of 60 devices and stopped it with the Stop call while it was running', () => {
		const { stopResponse, scansBeforeStop, scans, stopSentAt = 0 } = stop();
		expect(stopResponse?.status).toBe(200);
		expect(scansBeforeStop).toBeGreaterThanOrEqual(1);
		// The Stop came while scans were still to be sent, otherwise the next test proves nothing.
		expect(scans.filter((request) => receivedAt(request) <= stopSentAt).length).toBeLessThan(STOP_SCAN_DEVICES);
		expect(new Set(scans.map((request) => request.path)).size).toBe(scans.length);
		for (const request of scans) expect(ctx().stopDeviceIds.some((id) => request.path.includes(id))).toBe(true);
	});

	it('no scan request reaches Defender for Endpoint more than 2 s after the Stop', () => {
		const { scans, stopAnsweredAt = 0 } = stop();
		const late = scans
			.filter((request) => receivedAt(request) > stopAnsweredAt + 2_000)
			.map((request) => `${request.path.split('/')[3]} +${((receivedAt(request) - stopAnsweredAt) / 1000).toFixed(1)} s`);
		expect({ scansAfterTheStop: late.length, late: late.slice(0, 5) }).toEqual({ scansAfterTheStop: 0, late: [] });
		// Watched for long enough: the emulator log was read AFTER_STOP_WATCH_MS after the Stop.
		expect(AFTER_STOP_WATCH_MS).toBeGreaterThanOrEqual(5_000);
	});

	it('n8n shows the execution as canceled', () => {
		const { execution } = stop();
		expect(execution?.status).toBe('canceled');
	});
});

describe("n8n's HTTP Request node: a redirect to another origin", () => {
	const redirect = () => {
		const run = ctx().control;
		if (run.error && !run.redirect.execution) throw new Error(`The control lane failed: ${run.error}`);
		return run.redirect;
	};

	it('Graph answered the call with a 302 to the recording server', () => {
		const { graphRequests, execution } = redirect();
		expect(graphRequests.filter((request) => request.fault === 'redirect').map((request) => request.status)).toEqual([302]);
		expect(execution?.status).toBeDefined();
	});

	it('does not carry the Authorization header to the other origin', () => {
		const { recorded } = redirect();
		// Only the scheme and length of a leaked value are shown: the token itself stays out of the test output.
		const redacted = (value: string | string[] | undefined) =>
			value === undefined ? null : `${String(value).split(' ')[0]} <${String(value).length} characters>`;
		const seen = recorded.map((request) => ({ url: request.url, authorization: redacted(request.headers.authorization) }));
		expect(seen.filter((request) => request.authorization !== null)).toEqual([]);
	});
});

describe('through an HTTPS proxy (HTTPS_PROXY and HTTP_PROXY set, no NO_PROXY)', () => {
	const proxied = () => ctx().proxied;

	it('the run succeeds', () => {
		const { run } = proxied();
		expect({ exit: exitStatus(run), status: run.run?.status, error: run.run?.data.resultData.error?.message }).toEqual({
			exit: 0,
			status: 'success',
			error: undefined,
		});
		expect(outputOf(run, C.proxyIncidents)).toHaveLength(2);
		expect(outputOf(run, C.proxyDevices)).toHaveLength(2);
	});

	it('the token request goes through the proxy (CONNECT to the login host)', () => {
		const targets = proxiedTargets(proxied().proxyLog, ctx().info);
		if (targets.login === 0) throw new Error(`No CONNECT to the login host ${ctx().info.loginHost}; the proxy saw ${targets.targets.join(', ') || 'nothing'}`);
	});

	it('Graph and Defender for Endpoint calls go through the proxy', () => {
		const targets = proxiedTargets(proxied().proxyLog, ctx().info);
		expect({ graph: targets.graph > 0, mde: targets.mde > 0 }).toEqual({ graph: true, mde: true });
	});
});

describe('errors as users see them', () => {
	it('expired secret: the run stops with AADSTS7000222 and what to do', () => {
		const { run, result } = ctx().runs.expiredFails;
		expect(exitStatus(ctx().runs.expiredFails)).toBe(1);
		expect(run?.status).toBe('error');
		const error = run?.data.resultData.error;
		const text = `${error?.message} ${error?.description}`;
		expect(text).toContain('AADSTS7000222');
		expect(text).toMatch(/expired/i);
		expect(text).toContain('Certificates & secrets');
		expect(nodeErrorOf(ctx().runs.expiredFails, N.expiredContinue)).toBeDefined();
		expect(result.stdout + result.stderr).toContain('AADSTS7000222');
	});

	it('expired secret with Continue On Fail: the item carries the error', () => {
		const items = outputOf(ctx().runs.operations, N.expiredContinue);
		expect(items).toHaveLength(1);
		expect(errorText(items[0])).toContain('AADSTS7000222');
		expect(errorText(items[0])).toContain('Certificates & secrets');
	});

	it('read-only app updating an incident: 403 naming SecurityIncident.ReadWrite.All', () => {
		const { run } = ctx().runs.readOnlyFails;
		expect(exitStatus(ctx().runs.readOnlyFails)).toBe(1);
		expect(run?.status).toBe('error');
		expect(outputOf(ctx().runs.readOnlyFails, N.readOnlyList)).toHaveLength(1);
		const nodeError = nodeErrorOf(ctx().runs.readOnlyFails, N.readOnlyUpdate);
		expect(nodeError).toBeDefined();
		expect(String(nodeError?.httpCode)).toBe('403');
		expect(`${nodeError?.message} ${nodeError?.description}`).toContain('SecurityIncident.ReadWrite.All');
	});

	it('read-only app with Continue On Fail: the item carries the 403', () => {
		const [item] = outputOf(ctx().runs.operations, N.readOnlyUpdate);
		expect(String(item.httpCode)).toBe('403');
		expect(errorText(item)).toContain('SecurityIncident.ReadWrite.All');
	});
});

describe('no secrets at rest', () => {
	function secrets(): Array<{ label: string; value: string }> {
		const found: Array<{ label: string; value: string }> = [];
		for (const credential of ctx().credentials) {
			if (credential.data.clientSecret) found.push({ label: `${credential.name}: client secret`, value: credential.data.clientSecret });
			if (credential.data.privateKey) {
				// A line from the middle of the key's base64 body.
				const lines = credential.data.privateKey.split('\n').filter((line) => line && !line.startsWith('-----'));
				found.push({ label: `${credential.name}: private key`, value: lines[Math.floor(lines.length / 2)] });
			}
		}
		return found;
	}

	it('execution data is stored in SQLite (so the search below means something)', () => {
		const base = ctx().userFolders[0];
		const files = databaseFiles(base);
		expect(files.length).toBeGreaterThan(0);
		expect(ctx().runs.operations.run?.storedAt).toBe('db');
		const contains = (text: string) => files.some((file) => readFileSync(file).includes(text));
		expect(contains(E2E_COMMENT)).toBe(true);
		expect(contains('AADSTS7000222')).toBe(true);
	});

	it('neither client secrets, private keys nor access tokens appear in the database or the run output', async () => {
		const { info } = ctx();
		const token = await fetchToken(info, info.apps.full.clientId, String(info.apps.full.clientSecret));
		// Every token the emulator signs starts with the same JOSE header segment.
		const needles = [...secrets(), { label: 'access token (JWT header)', value: `${token.split('.')[0]}.` }];
		const haystacks = [
			...ctx().userFolders.flatMap((folder) => databaseFiles(folder)).map((file) => ({ label: file, bytes: readFileSync(file) })),
			...Object.entries(ctx().runs).map(([name, run]) => ({
				label: `n8n execute output of ${name}`,
				bytes: Buffer.from(run.result.stdout + run.result.stderr),
			})),
			{ label: 'n8n start output of the trigger run', bytes: Buffer.from(ctx().trigger.output) },
		];
		const leaks = haystacks.flatMap((haystack) =>
			needles.filter((needle) => haystack.bytes.includes(Buffer.from(needle.value))).map((needle) => `${needle.label} in ${haystack.label}`),
		);
		expect(leaks).toEqual([]);
	});
});

describe('the demo workflows `npm start` imports', () => {
	const demoRun = (name: string) => {
		const found = ctx().demoRuns.find((entry) => entry.workflow.name === name);
		if (!found) throw new Error(`no demo run for ${name}`);
		return found.run;
	};

	it(`"${DEMO_TRIAGE}" assigns, starts and comments active high-severity incidents`, () => {
		const run = demoRun(DEMO_TRIAGE);
		expect({ exit: exitStatus(run), status: run.run?.status }).toEqual({ exit: 0, status: 'success' });
		const incidents = outputOf(run, 'Get active high-severity incidents');
		expect(incidents.length).toBeGreaterThan(0);
		for (const incident of incidents) {
			expect({ severity: incident.severity, status: incident.status }).toEqual({ severity: 'high', status: 'active' });
			expect(Array.isArray(incident.alerts)).toBe(true);
		}
		const updated = outputOf(run, 'Assign and start investigating');
		expect(updated).toHaveLength(incidents.length);
		for (const incident of updated) expect(incident).toMatchObject({ status: 'inProgress', assignedTo: 'secops@contoso.com' });
		const comments = outputOf(run, 'Add triage comment');
		expect(comments).toHaveLength(incidents.length);
		expect(String(comments[0].comment)).toMatch(/^Picked up by n8n: \d+ alert\(s\), assigned to secops@contoso\.com\.$/);
	});

	it(`"${DEMO_HUNT}" returns PowerShell process events`, () => {
		const run = demoRun(DEMO_HUNT);
		expect({ exit: exitStatus(run), status: run.run?.status }).toEqual({ exit: 0, status: 'success' });
		const rows = outputOf(run, 'Run hunting query');
		expect(rows.length).toBeGreaterThan(0);
		expect(rows.length).toBeLessThanOrEqual(50);
		for (const row of rows) {
			expect(Object.keys(row).sort()).toEqual(['AccountName', 'DeviceName', 'ProcessCommandLine', 'Timestamp']);
			expect(String(row.ProcessCommandLine).toLowerCase()).toContain('powershell');
		}
	});
});

describeCredentialLane(ctx);

describeExamples(ctx);
