'use strict';

/**
 * The demo credential and workflows in demo/ (used by `npm start`, and run by the e2e suite so they
 * keep working).
 */

const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const DEMO_DIR = path.join(ROOT, 'demo');
const WORKFLOW_DIR = path.join(DEMO_DIR, 'workflows');

/** Values the credential template's {{placeholders}} take, from the emulator's description. */
function demoCredentialValues(info) {
	return {
		loginHost: info.loginHost,
		graphUrl: info.graphUrl,
		mdeUrl: info.mdeUrl,
		cloudAppsUrl: info.cloudAppsUrl,
		tenantId: info.tenantId,
		clientId: info.apps.full.clientId,
		clientSecret: info.apps.full.clientSecret,
	};
}

function fill(value, values) {
	if (typeof value === 'string') {
		return value.replace(/\{\{(\w+)\}\}/g, (match, key) => {
			if (values[key] === undefined) throw new Error(`demo/credentials.template.json: no value for ${match}`);
			return String(values[key]);
		});
	}
	if (Array.isArray(value)) return value.map((entry) => fill(entry, values));
	if (value && typeof value === 'object') {
		return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, fill(entry, values)]));
	}
	return value;
}

/** The demo credentials, filled in for a running emulator (import:credentials input). */
function demoCredentials(info) {
	const template = JSON.parse(fs.readFileSync(path.join(DEMO_DIR, 'credentials.template.json'), 'utf8'));
	return fill(template, demoCredentialValues(info));
}

/** The demo workflows (import:workflow input), sorted by file name. */
function demoWorkflows() {
	return fs
		.readdirSync(WORKFLOW_DIR)
		.filter((name) => name.endsWith('.json'))
		.sort()
		.map((name) => JSON.parse(fs.readFileSync(path.join(WORKFLOW_DIR, name), 'utf8')));
}

function hashOf(value) {
	return crypto.createHash('sha256').update(JSON.stringify(value)).digest('hex');
}

module.exports = { DEMO_DIR, demoCredentials, demoWorkflows, demoCredentialValues, hashOf };
