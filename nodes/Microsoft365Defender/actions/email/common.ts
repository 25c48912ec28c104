import type { INodePropertyOptions } from 'n8n-workflow';

/**
 * Defender for Office 365's analyzed emails, Graph v1.0 (microsoftgraph/microsoft-graph-docs-contrib:
 * api-reference/v1.0/api/security-collaborationroot-list-analyzedemails.md, security-analyzedemail-get.md,
 * security-analyzedemail-remediate.md; resources/security-analyzedemaildeliverydetail.md).
 */
export const ANALYZED_EMAILS_PATH = '/v1.0/security/collaboration/analyzedEmails';
export const EMAIL_READ_PERMISSION = 'SecurityAnalyzedMessage.Read.All';
export const EMAIL_REMEDIATE_PERMISSION = 'SecurityAnalyzedMessage.ReadWrite.All';

export const DELIVERY_ACTIONS: INodePropertyOptions[] = [
	{ name: 'Blocked', value: 'blocked' },
	{ name: 'Delivered', value: 'delivered' },
	{ name: 'Delivered to Junk', value: 'deliveredToJunk' },
	{ name: 'Replaced', value: 'replaced' },
	{ name: 'Unknown', value: 'unknown' },
];

export const DELIVERY_LOCATIONS: INodePropertyOptions[] = [
	{ name: 'Deleted Folder', value: 'deletedFolder' },
	{ name: 'Dropped', value: 'dropped' },
	{ name: 'Failed', value: 'failed' },
	{ name: 'Inbox', value: 'inbox_folder' },
	{ name: 'Junk Folder', value: 'junkFolder' },
	{ name: 'On-Premises / External', value: 'onprem_external' },
	{ name: 'Others', value: 'others' },
	{ name: 'Quarantine', value: 'quarantine' },
	{ name: 'Unknown', value: 'unknown' },
];

export const THREAT_TYPES: INodePropertyOptions[] = [
	{ name: 'Malware', value: 'malware' },
	{ name: 'None', value: 'none' },
	{ name: 'Phish', value: 'phish' },
	{ name: 'Spam', value: 'spam' },
	{ name: 'Unknown', value: 'unknown' },
];

export const REMEDIATION_ACTIONS: INodePropertyOptions[] = [
	{ name: 'Hard Delete', value: 'hardDelete', description: 'Purge the message (admins can recover it with single-item recovery)' },
	{ name: 'Move to Deleted Items', value: 'moveToDeletedItems' },
	{ name: 'Move to Inbox', value: 'moveToInbox', description: 'Undo a false positive' },
	{ name: 'Move to Junk', value: 'moveToJunk' },
	{ name: 'Soft Delete', value: 'softDelete', description: 'Move to Recoverable Items\\Deletions (the user and admins can recover it)' },
];

export const REMEDIATION_SEVERITIES: INodePropertyOptions[] = [
	{ name: 'High', value: 'high' },
	{ name: 'Low', value: 'low' },
	{ name: 'Medium', value: 'medium' },
];
