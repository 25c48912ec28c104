import { updateDisplayOptions, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { incidentLocator } from '../../descriptions/common';
import { apiPath, validateId } from '../../transport/paths';
import { defenderApiRequest } from '../../transport/request';
import { describeEvidence } from '../simplify';
import { INCIDENT } from './kind';

/**
 * The incident's evidence as items, one per entity across its alerts (GET /security/incidents/{id}?$expand=alerts,
 * api-reference/v1.0/api/security-incident-get.md; evidence types from resources/security-alert.md), each with the
 * identifiers the containment operations take, so a playbook can branch on `type`.
 */
const TYPES = [
	{ name: 'Device', value: 'device' },
	{ name: 'Email (Analyzed Message)', value: 'analyzedMessage' },
	{ name: 'File', value: 'file' },
	{ name: 'IP Address', value: 'ip' },
	{ name: 'Mailbox', value: 'mailbox' },
	{ name: 'URL', value: 'url' },
	{ name: 'User', value: 'user' },
];

export const description = updateDisplayOptions({ show: { resource: ['incident'], operation: ['getEvidence'] } }, [
	incidentLocator,
	{
		displayName: 'Evidence Types',
		name: 'evidenceTypes',
		type: 'multiOptions',
		options: TYPES,
		default: [],
		description: 'Only these kinds of evidence; none chosen returns every kind (processes and registry entries too)',
	},
]);

const nested = (value: unknown, field: string) => (typeof value === 'object' && value !== null ? (value as IDataObject)[field] : undefined);

/** What a containment or enrichment operation takes, per kind of evidence. */
const IDENTIFIERS: Record<string, (entry: IDataObject) => IDataObject> = {
	user: (entry) => ({
		userPrincipalName: nested(entry.userAccount, 'userPrincipalName'),
		azureAdUserId: nested(entry.userAccount, 'azureAdUserId'),
		accountSid: nested(entry.userAccount, 'userSid'),
		// Defender for Endpoint looks users up by account name (Enrichment > User).
		accountName: nested(entry.userAccount, 'accountName'),
	}),
	device: (entry) => ({ mdeDeviceId: entry.mdeDeviceId, deviceDnsName: entry.deviceDnsName }),
	mailbox: (entry) => ({ primaryAddress: entry.primaryAddress, upn: entry.upn }),
	analyzedMessage: (entry) => ({ networkMessageId: entry.networkMessageId, recipientEmailAddress: entry.recipientEmailAddress, subject: entry.subject }),
	file: (entry) => ({ sha1: nested(entry.fileDetails, 'sha1'), sha256: nested(entry.fileDetails, 'sha256'), fileName: nested(entry.fileDetails, 'fileName') }),
	ip: (entry) => ({ ipAddress: entry.ipAddress }),
	url: (entry) => ({ url: entry.url }),
};

const defined = (object: IDataObject): IDataObject => Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined && value !== null));

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const id = validateId(this.getNodeParameter('incidentId', itemIndex, undefined, { extractValue: true }), INCIDENT.idFormat);
	const wanted = new Set(this.getNodeParameter('evidenceTypes', itemIndex, []) as string[]);
	const incident = await defenderApiRequest.call(this, {
		api: 'graph',
		method: 'GET',
		path: INCIDENT.collectionPath + apiPath`/${id}`,
		query: { $expand: 'alerts' },
		batchable: true,
		permission: INCIDENT.readPermission,
		itemIndex,
	});
	// One item per entity: the same user in three alerts is one user to contain.
	const byEntity = new Map<string, IDataObject>();
	for (const alert of Array.isArray(incident.alerts) ? (incident.alerts as IDataObject[]) : []) {
		for (const entry of Array.isArray(alert.evidence) ? (alert.evidence as IDataObject[]) : []) {
			const described = describeEvidence(entry);
			const type = String(described.type);
			if (wanted.size > 0 && !wanted.has(type)) continue;
			const identifiers = defined(IDENTIFIERS[type]?.(entry) ?? {});
			const key = `${type}\n${JSON.stringify(identifiers)}\n${identifiers && Object.keys(identifiers).length ? '' : JSON.stringify(entry)}`;
			const existing = byEntity.get(key);
			if (existing) {
				(existing.alertIds as string[]).push(String(alert.id));
				continue;
			}
			byEntity.set(key, { incidentId: id, ...described, ...identifiers, alertIds: [String(alert.id)], evidence: entry });
		}
	}
	return [...byEntity.values()];
}
