'use strict';

/**
 * A few calls against n8n's internal REST API (the one its editor uses), for `npm start`:
 * health check, owner setup on a fresh instance, login. n8n ties the session cookie to a
 * `browser-id` header, so every call sends the same one.
 */

const BROWSER_ID = 'n8n-nodes-microsoft-365-defender-start-script';

class N8nRest {
	constructor(baseUrl) {
		this.baseUrl = baseUrl.replace(/\/$/, '');
		this.cookie = undefined;
	}

	async call(method, route, body) {
		const response = await fetch(this.baseUrl + route, {
			method,
			headers: {
				Accept: 'application/json',
				'browser-id': BROWSER_ID,
				...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
				...(this.cookie ? { Cookie: this.cookie } : {}),
			},
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const setCookie = response.headers.getSetCookie?.() ?? [];
		const auth = setCookie.find((cookie) => cookie.startsWith('n8n-auth='));
		if (auth) this.cookie = auth.split(';')[0];
		const text = await response.text();
		let json;
		try {
			json = text ? JSON.parse(text) : undefined;
		} catch {
			json = undefined;
		}
		return { status: response.status, json, text, data: json && typeof json === 'object' && 'data' in json ? json.data : json };
	}

	async healthy() {
		try {
			const response = await fetch(`${this.baseUrl}/healthz`);
			return response.ok;
		} catch {
			return false;
		}
	}

	/** Whether the REST API answers (it comes up a few seconds after /healthz does). */
	async restReady() {
		try {
			const settings = await this.call('GET', '/rest/settings');
			return settings.status === 200 && typeof settings.data?.userManagement === 'object';
		} catch {
			return false;
		}
	}

	/**
	 * Polls /healthz, then /rest/settings, until both answer, the process dies (`isAlive()` false)
	 * or the time is up.
	 */
	async waitUntilHealthy({ timeoutMs = 180_000, isAlive = () => true } = {}) {
		const deadline = Date.now() + timeoutMs;
		while (Date.now() < deadline) {
			if (!isAlive()) return false;
			if ((await this.healthy()) && (await this.restReady())) return true;
			await new Promise((resolve) => setTimeout(resolve, 500));
		}
		return false;
	}

	/** Whether the instance still asks for an owner account (fresh user folder). */
	async needsOwnerSetup() {
		const settings = await this.call('GET', '/rest/settings');
		return settings.data?.userManagement?.showSetupOnFirstLoad === true;
	}

	async setupOwner(owner) {
		const response = await this.call('POST', '/rest/owner/setup', owner);
		if (response.status !== 200) throw new Error(`Owner setup failed (${response.status}): ${response.text}`);
		return response.data;
	}

	async login(email, password) {
		const response = await this.call('POST', '/rest/login', { emailOrLdapLoginId: email, password });
		return response.status === 200 ? response.data : undefined;
	}

	/**
	 * Publishes (activates) a workflow as the editor's Publish button does: its current version.
	 * n8n runs a polling trigger's first poll during this call and answers with an error if it fails.
	 */
	async activateWorkflow(workflowId) {
		const route = `/rest/workflows/${encodeURIComponent(workflowId)}`;
		const workflow = await this.call('GET', route);
		if (workflow.status !== 200) throw new Error(`GET ${route} answered ${workflow.status}: ${workflow.text.slice(0, 500)}`);
		const response = await this.call('POST', `${route}/activate`, { versionId: workflow.data.versionId });
		if (response.status !== 200) throw new Error(`Activating workflow ${workflowId} failed (${response.status}): ${response.text.slice(0, 1000)}`);
		return response.data;
	}

	/**
	 * Runs a saved workflow as the editor's "Execute workflow" button does (n8n 2.40:
	 * `POST /rest/workflows/:workflowId/run`, body ManualRunDto: a full run from a known trigger,
	 * `{ workflowId, startNodes: [], triggerToStartFrom: { name } }`; n8n reads the workflow from its
	 * database). `triggerName` defaults to the workflow's first Manual Trigger. Resolves with
	 * `{ executionId }` as soon as n8n has started the run.
	 */
	async runWorkflow(workflowId, { triggerName } = {}) {
		const route = `/rest/workflows/${encodeURIComponent(workflowId)}`;
		let name = triggerName;
		if (!name) {
			const workflow = await this.call('GET', route);
			if (workflow.status !== 200) throw new Error(`GET ${route} answered ${workflow.status}: ${workflow.text.slice(0, 500)}`);
			const trigger = (workflow.data?.nodes ?? []).find((node) => node.type === 'n8n-nodes-base.manualTrigger');
			if (!trigger) throw new Error(`Workflow ${workflowId} has no Manual Trigger; give triggerName`);
			name = trigger.name;
		}
		const response = await this.call('POST', `${route}/run`, { workflowId, startNodes: [], triggerToStartFrom: { name } });
		if (response.status !== 200 || !response.data?.executionId) {
			throw new Error(`Running workflow ${workflowId} failed (${response.status}): ${response.text.slice(0, 1000)}`);
		}
		return { executionId: String(response.data.executionId) };
	}

	/**
	 * Stops a running execution as the editor's Stop button does (`POST /rest/executions/:id/stop`,
	 * no body). Returns the raw response (n8n answers with the execution's new status).
	 */
	async stopExecution(executionId) {
		return await this.call('POST', `/rest/executions/${encodeURIComponent(executionId)}/stop`);
	}

	/** Execution summaries (newest first) of one workflow; needs a logged-in owner. */
	async executions(workflowId) {
		const filter = encodeURIComponent(JSON.stringify({ workflowId }));
		const response = await this.call('GET', `/rest/executions?filter=${filter}&limit=100`);
		if (response.status !== 200) throw new Error(`GET /rest/executions answered ${response.status}: ${response.text.slice(0, 500)}`);
		return response.data?.results ?? [];
	}

	/**
	 * One execution with its run data. n8n serves `data` in the `flatted` format it stores; it is
	 * parsed here with the copy of `flatted` that the n8n host itself uses.
	 */
	async execution(id) {
		const response = await this.call('GET', `/rest/executions/${encodeURIComponent(id)}`);
		if (response.status !== 200) throw new Error(`GET /rest/executions/${id} answered ${response.status}: ${response.text.slice(0, 500)}`);
		const execution = response.data;
		if (typeof execution?.data === 'string') execution.data = hostFlatted().parse(execution.data);
		return execution;
	}
}

function hostFlatted() {
	const path = require('node:path');
	const { HOST_DIR } = require('./n8n-host.cjs');
	return require(path.join(HOST_DIR, 'node_modules', 'flatted'));
}

module.exports = { N8nRest, BROWSER_ID };
