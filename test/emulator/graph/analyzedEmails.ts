import { randomUUID } from 'node:crypto';

import { addRoutePermissions, requiredRolesFor } from '../auth/permissions';
import { graphTimestamp } from '../runtime';
import type { RequestContext, Router } from '../server';
import type { Store } from '../store/store';
import { badRequest, listCollection, metadataUrl } from './common';
import type { EntitySchema } from './odata';

/**
 * Defender for Office 365's analyzed emails in Graph v1.0 (microsoftgraph/microsoft-graph-docs-contrib):
 * - api-reference/v1.0/api/security-collaborationroot-list-analyzedemails.md: GET with startTime / endTime,
 *   $count, $filter, $skiptoken, $top; SecurityAnalyzedMessage.Read.All (or .ReadWrite.All).
 * - security-analyzedemail-get.md: one by id.
 * - security-analyzedemail-remediate.md: POST .../remediate with displayName, description, severity
 *   (low, medium, high), action (moveToJunk, moveToInbox, hardDelete, softDelete, moveToDeletedItems),
 *   remediateSendersCopy, analyzedEmails of networkMessageId + recipientEmailAddress; 202 Accepted, no body,
 *   a Location into the Action center's history filtered on the remediation's bulkId;
 *   SecurityAnalyzedMessage.ReadWrite.All. The page gives no per-call maximum; Defender for Office 365's
 *   remediation page (MicrosoftDocs/defender-docs, defender-office-365/remediate-malicious-email-delivered-office-365.md)
 *   advises batches of 50,000 or fewer and allows 50 active remediations per organization.
 * - resources/security-analyzedemail.md, security-analyzedemaildeliverydetail.md (deliveryAction, deliveryLocation),
 *   security-analyzedemailsenderdetail.md.
 */

const EMAILS_PATH = '/v1.0/security/collaboration/analyzedEmails';
const EMAIL_PATH = `${EMAILS_PATH}/:id`;
const REMEDIATE_PATH = `${EMAILS_PATH}/remediate`;
const READ = ['SecurityAnalyzedMessage.Read.All', 'SecurityAnalyzedMessage.ReadWrite.All'];
const PAGE_SIZE = 100;
export const ACTIVE_REMEDIATIONS_MAX = 50;

addRoutePermissions([
	{ api: 'graph', method: 'GET', pattern: EMAILS_PATH, anyOf: READ },
	{ api: 'graph', method: 'GET', pattern: EMAIL_PATH, anyOf: READ },
	{ api: 'graph', method: 'POST', pattern: REMEDIATE_PATH, anyOf: ['SecurityAnalyzedMessage.ReadWrite.All'] },
]);

const SEVERITIES = ['low', 'medium', 'high'];
const ACTIONS = ['moveToJunk', 'moveToInbox', 'hardDelete', 'softDelete', 'moveToDeletedItems'];

export interface Remediation {
	bulkId: string;
	displayName: string;
	description: string;
	severity: string;
	action: string;
	remediateSendersCopy: boolean;
	analyzedEmails: Array<{ networkMessageId: string; recipientEmailAddress: string }>;
	receivedAt: string;
}

const SCHEMA: EntitySchema = {
	typeName: 'microsoft.graph.security.analyzedEmail',
	properties: {
		id: { type: 'string', filterable: true },
		networkMessageId: { type: 'string', filterable: true },
		internetMessageId: { type: 'string', filterable: true },
		recipientEmailAddress: { type: 'string', filterable: true },
		subject: { type: 'string', filterable: true },
		loggedDateTime: { type: 'datetime', filterable: true, sortable: true },
		threatTypes: { type: 'stringCollection', filterable: true },
		'senderDetail/fromAddress': { type: 'string', filterable: true },
		'senderDetail/mailFromAddress': { type: 'string', filterable: true },
		'latestDelivery/action': { type: 'string', filterable: true },
		'latestDelivery/location': { type: 'string', filterable: true },
	},
};

const CAMPAIGNS = [
	{ subject: 'Action required: your mailbox is full', from: 'it-support@contoso-helpdesk.com', threat: 'phish', recipients: 12 },
	{ subject: 'Invoice 88412 overdue', from: 'billing@fabrikam-payments.net', threat: 'malware', recipients: 8 },
	{ subject: 'Weekly newsletter', from: 'news@litware.com', threat: 'spam', recipients: 20 },
	{ subject: 'Team lunch on Friday', from: 'megan.bowen@contoso.com', threat: 'none', recipients: 6 },
];

/** The network message id of a campaign (0: the phish, sent to the first 12 users). */
export function campaignNetworkMessageId(campaignIndex: number): string {
	return `${(campaignIndex + 1).toString(16).padStart(8, '0')}-58d8-43d0-a890-08dc18c52e6d`;
}

/** The tenant's analyzed emails: one message per campaign, one analyzed email per recipient, an hour apart. */
export function analyzedEmails(store: Store, nowMs: number): Array<Record<string, unknown>> {
	let emails = store.graph.get('analyzedEmails') as Array<Record<string, unknown>> | undefined;
	if (!emails) {
		emails = [];
		const now = nowMs;
		CAMPAIGNS.forEach((campaign, campaignIndex) => {
			const networkMessageId = campaignNetworkMessageId(campaignIndex);
			const loggedDateTime = graphTimestamp(now - (campaignIndex + 1) * 3_600_000);
			store.users.slice(0, campaign.recipients).forEach((user, recipientIndex) => {
				const delivered = campaign.threat !== 'malware';
				const delivery = { action: delivered ? 'delivered' : 'blocked', location: delivered ? 'inbox_folder' : 'quarantine', latestThreats: campaign.threat, originalThreats: campaign.threat };
				emails!.push({
					'@odata.type': '#microsoft.graph.security.analyzedEmail',
					id: `${networkMessageId}-${1000 + recipientIndex}-1`,
					loggedDateTime,
					networkMessageId,
					internetMessageId: `<${networkMessageId}@${campaign.from.split('@')[1]}>`,
					senderDetail: { fromAddress: campaign.from, mailFromAddress: campaign.from, displayName: campaign.from.split('@')[0], domainName: campaign.from.split('@')[1], ipv4: `203.0.113.${campaignIndex + 10}` },
					recipientEmailAddress: user.userPrincipalName,
					subject: campaign.subject,
					directionality: campaign.threat === 'none' ? 'intraOrg' : 'inbound',
					originalDelivery: { ...delivery },
					latestDelivery: { ...delivery },
					attachments: [],
					urls: campaign.threat === 'phish' ? [{ url: 'https://contoso-helpdesk.com/login', domain: 'contoso-helpdesk.com' }] : [],
					threatTypes: [campaign.threat],
					alertIds: [],
					sizeInBytes: 24_000 + recipientIndex,
				});
			});
		});
		store.graph.set('analyzedEmails', emails);
	}
	return emails;
}

export function remediations(store: Store): Remediation[] {
	let list = store.graph.get('remediations') as Remediation[] | undefined;
	if (!list) {
		list = [];
		store.graph.set('remediations', list);
	}
	return list;
}

function filterRow(email: Record<string, unknown>): Record<string, unknown> {
	const sender = email.senderDetail as Record<string, unknown>;
	const latest = email.latestDelivery as Record<string, unknown>;
	return {
		...email,
		'senderDetail/fromAddress': sender.fromAddress,
		'senderDetail/mailFromAddress': sender.mailFromAddress,
		'latestDelivery/action': latest.action,
		'latestDelivery/location': latest.location,
	};
}

function withoutFilterKeys(row: Record<string, unknown>): Record<string, unknown> {
	return Object.fromEntries(Object.entries(row).filter(([key]) => !key.includes('/')));
}

function timeWindow(context: RequestContext): { start?: number; end?: number } {
	const parse = (name: string) => {
		const text = context.query.get(name);
		if (text === null) return undefined;
		const value = Date.parse(text);
		if (Number.isNaN(value)) return badRequest(context, `Invalid value '${text}' for query parameter '${name}': expected a date-time.`);
		return value;
	};
	return { start: parse('startTime'), end: parse('endTime') };
}

function remediate(context: RequestContext) {
	const body = context.body as Record<string, unknown> | undefined;
	if (typeof body !== 'object' || body === null || Array.isArray(body)) return badRequest(context, 'Unable to read JSON request payload.');
	for (const name of ['displayName', 'description']) {
		if (typeof body[name] !== 'string' || (body[name] as string).trim() === '') return badRequest(context, `The parameter '${name}' is required.`);
	}
	if (!SEVERITIES.includes(String(body.severity))) return badRequest(context, `Cannot convert the literal '${String(body.severity)}' to the expected type 'microsoft.graph.security.remediationSeverity'.`);
	if (!ACTIONS.includes(String(body.action))) return badRequest(context, `Cannot convert the literal '${String(body.action)}' to the expected type 'microsoft.graph.security.remediationAction'.`);
	// The page's own example sends "false" as a string; both spellings read as Edm.Boolean.
	const sendersCopy = body.remediateSendersCopy;
	if (!(typeof sendersCopy === 'boolean' || sendersCopy === 'true' || sendersCopy === 'false')) {
		return badRequest(context, `Cannot convert the literal '${JSON.stringify(sendersCopy)}' to the expected type 'Edm.Boolean'.`);
	}
	const emails = body.analyzedEmails;
	if (!Array.isArray(emails) || emails.length === 0) return badRequest(context, "The parameter 'analyzedEmails' is required and must not be empty.");
	for (const email of emails as Array<Record<string, unknown>>) {
		if (typeof email?.networkMessageId !== 'string' || typeof email?.recipientEmailAddress !== 'string') {
			return badRequest(context, 'Each analyzed email needs networkMessageId and recipientEmailAddress.');
		}
	}
	const list = remediations(context.runtime.store);
	if (list.length >= ACTIVE_REMEDIATIONS_MAX) {
		return context.fail(429, 'TooManyRequests', `The organization has ${ACTIVE_REMEDIATIONS_MAX} active email remediations; wait for some to complete.`, { 'Retry-After': '60' });
	}
	const bulkId = randomUUID();
	list.push({
		bulkId,
		displayName: String(body.displayName),
		description: String(body.description),
		severity: String(body.severity),
		action: String(body.action),
		remediateSendersCopy: sendersCopy === true || sendersCopy === 'true',
		analyzedEmails: (emails as Array<Record<string, string>>).map((email) => ({ networkMessageId: email.networkMessageId, recipientEmailAddress: email.recipientEmailAddress })),
		receivedAt: graphTimestamp(context.runtime.clock.nowMs()),
	});
	const tenant = context.principal?.tid ?? context.runtime.store.primaryTenantId;
	return { status: 202, headers: { Location: `https://security.microsoft.com/action-center/history?filters={"bulkId":["${bulkId}"]}&tid=${tenant}` } };
}

export function registerAnalyzedEmailRoutes(router: Router): void {
	router.add({
		method: 'GET',
		pattern: EMAILS_PATH,
		bucket: 'graph',
		requiredRoles: requiredRolesFor('graph', 'GET', EMAILS_PATH),
		handler: (context) => {
			const { start, end } = timeWindow(context);
			const inWindow = analyzedEmails(context.runtime.store, context.runtime.clock.nowMs()).filter((email) => {
				const logged = Date.parse(String(email.loggedDateTime));
				return (start === undefined || logged >= start) && (end === undefined || logged <= end);
			});
			return listCollection({
				context,
				items: inWindow.map(filterRow),
				schema: SCHEMA,
				resourcePath: 'security/collaboration/analyzedEmails',
				maxTop: PAGE_SIZE,
				defaultPageSize: PAGE_SIZE,
				defaultOrder: [{ property: 'loggedDateTime', descending: true, schema: SCHEMA.properties.loggedDateTime }],
				tieBreaker: (a, b) => String(a.id).localeCompare(String(b.id)),
				allowedExpand: [],
				serialize: withoutFilterKeys,
			});
		},
	});
	// Registered before /:id so that "remediate" is not read as an id by a GET.
	router.add({ method: 'POST', pattern: REMEDIATE_PATH, bucket: 'graph', requiredRoles: requiredRolesFor('graph', 'POST', REMEDIATE_PATH), handler: remediate });
	router.add({
		method: 'GET',
		pattern: EMAIL_PATH,
		bucket: 'graph',
		requiredRoles: requiredRolesFor('graph', 'GET', EMAIL_PATH),
		handler: (context) => {
			const email = analyzedEmails(context.runtime.store, context.runtime.clock.nowMs()).find((candidate) => candidate.id === context.params.id);
			if (!email) return context.fail(404, 'NotFound', `Analyzed email with id '${context.params.id}' was not found.`);
			return { status: 200, body: { '@odata.context': metadataUrl(context, 'security/collaboration/analyzedEmails/$entity'), ...email } };
		},
	});
}
