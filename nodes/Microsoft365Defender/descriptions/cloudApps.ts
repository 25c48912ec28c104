import type { INodePropertyOptions } from 'n8n-workflow';

/**
 * Defender for Cloud Apps' numeric codes, named (CloudAppSecurityDocs: api-alerts.md, api-alerts-close-*.md,
 * api-files.md, api-entities.md, api-data-enrichment.md). Values are the codes the API takes and returns.
 */

/** api-alerts.md, severityValue (3 informational is a value alerts carry; the severity filter lists 0..2). */
export const CLOUD_APPS_SEVERITIES: INodePropertyOptions[] = [
	{ name: 'Low', value: 0 },
	{ name: 'Medium', value: 1 },
	{ name: 'High', value: 2 },
];
export const CLOUD_APPS_SEVERITY_NAMES = ['low', 'medium', 'high', 'informational'];

/** api-alerts.md, resolutionStatus filter and resolutionStatusValue. */
export const CLOUD_APPS_RESOLUTION_STATUSES: INodePropertyOptions[] = [
	{ name: 'Open', value: 0 },
	{ name: 'Dismissed (Legacy)', value: 1 },
	{ name: 'Resolved (Legacy)', value: 2 },
	{ name: 'Closed as False Positive', value: 3 },
	{ name: 'Closed as Benign', value: 4 },
	{ name: 'Closed as True Positive', value: 5 },
];
export const CLOUD_APPS_RESOLUTION_NAMES = ['open', 'dismissed', 'resolved', 'falsePositive', 'benign', 'truePositive'];
export const CLOUD_APPS_ALERT_STATUS_NAMES = ['unread', 'read', 'archived'];

/** api-alerts-close-benign.md, reasonId. */
export const BENIGN_REASONS: INodePropertyOptions[] = [
	{ name: 'Actual Severity Is Lower', value: 2 },
	{ name: 'Confirmed With End User', value: 5 },
	{ name: 'Other', value: 4 },
	{ name: 'Triggered by Test', value: 6 },
];

/** api-alerts-close-false-positive.md, reasonId. */
export const FALSE_POSITIVE_REASONS: INodePropertyOptions[] = [
	{ name: 'Alert Is Not Accurate', value: 3 },
	{ name: 'Not of Interest', value: 0 },
	{ name: 'Other', value: 4 },
	{ name: 'Too Many Similar Alerts', value: 1 },
];

/** api-files.md, sharing. */
export const SHARING_LEVELS: INodePropertyOptions[] = [
	{ name: 'Private', value: 0 },
	{ name: 'Internal', value: 1 },
	{ name: 'External', value: 2 },
	{ name: 'Public', value: 3 },
	{ name: 'Public (Internet)', value: 4 },
];

/** api-files.md, fileType. */
export const FILE_TYPES: INodePropertyOptions[] = [
	{ name: 'Other', value: 0 },
	{ name: 'Document', value: 1 },
	{ name: 'Spreadsheet', value: 2 },
	{ name: 'Presentation', value: 3 },
	{ name: 'Text', value: 4 },
	{ name: 'Image', value: 5 },
	{ name: 'Folder', value: 6 },
];

/** api-entities.md, status. */
export const ENTITY_STATUSES: INodePropertyOptions[] = [
	{ name: 'N/A', value: 0 },
	{ name: 'Staged', value: 1 },
	{ name: 'Active', value: 2 },
	{ name: 'Suspended', value: 3 },
	{ name: 'Deleted', value: 4 },
];

/** api-data-enrichment.md, category. */
export const IP_RANGE_CATEGORIES: INodePropertyOptions[] = [
	{ name: 'Corporate', value: 1 },
	{ name: 'Administrative', value: 2 },
	{ name: 'Risky', value: 3 },
	{ name: 'VPN', value: 4 },
	{ name: 'Cloud Provider', value: 5 },
	{ name: 'Other', value: 6 },
];

/** The sign-in app of a user entity in the pages' examples (`"saas": 11161`, Office 365). */
export const OFFICE_365_APP_ID = 11161;
