import type { INodePropertyOptions } from 'n8n-workflow';

const option = (name: string, value: string): INodePropertyOptions => ({ name, value });

/*
 * Values as Microsoft documents them for Graph security v1.0: security-incident.md ("incidentStatus
 * values") and security-alert.md (alertSeverity, alertStatus, alertClassification, alertDetermination,
 * serviceSource, detectionSource) in microsoftgraph/microsoft-graph-docs-contrib. The sentinel
 * `unknownFutureValue` is never offered. Members Microsoft lists after it (Awaiting Action,
 * Microsoft Defender for Cloud) are evolvable: Graph only returns and accepts them with
 * `Prefer: include-unknown-enum-members`, which the transport sends on every Graph call (apis/graph.ts, batch.ts).
 */

export const SEVERITIES = [
	option('High', 'high'),
	option('Medium', 'medium'),
	option('Low', 'low'),
	option('Informational', 'informational'),
	option('Unknown', 'unknown'),
];

export const INCIDENT_STATUSES = [
	option('Active', 'active'),
	option('Awaiting Action', 'awaitingAction'),
	option('In Progress', 'inProgress'),
	option('Redirected', 'redirected'),
	option('Resolved', 'resolved'),
];

/** Awaiting Action is set by Defender Experts only ("Only Microsoft 365 Defender experts can set this status"). */
export const INCIDENT_SETTABLE_STATUSES = INCIDENT_STATUSES.filter((status) => status.value !== 'awaitingAction');

export const ALERT_STATUSES = [
	option('New', 'new'),
	option('In Progress', 'inProgress'),
	option('Resolved', 'resolved'),
];

/** For filters: the alertStatus table also lists `unknown`; an update cannot set it. */
export const ALERT_FILTER_STATUSES = [...ALERT_STATUSES, option('Unknown', 'unknown')];

export const CLASSIFICATIONS = [
	option('Unknown', 'unknown'),
	option('False Positive', 'falsePositive'),
	option('True Positive', 'truePositive'),
	option('Informational, Expected Activity', 'informationalExpectedActivity'),
];

export const DETERMINATIONS = [
	option('APT', 'apt'),
	option('Compromised Account', 'compromisedAccount'),
	option('Confirmed User Activity', 'confirmedUserActivity'),
	option('Line of Business Application', 'lineOfBusinessApplication'),
	option('Malicious User Activity', 'maliciousUserActivity'),
	option('Malware', 'malware'),
	option('Multi-Staged Attack', 'multiStagedAttack'),
	option('Not Enough Data to Validate', 'notEnoughDataToValidate'),
	option('Not Malicious', 'notMalicious'),
	option('Other', 'other'),
	option('Phishing', 'phishing'),
	option('Security Personnel', 'securityPersonnel'),
	option('Security Testing', 'securityTesting'),
	option('Unknown', 'unknown'),
	option('Unwanted Software', 'unwantedSoftware'),
];

export const SERVICE_SOURCES = [
	option('Microsoft Defender for Endpoint', 'microsoftDefenderForEndpoint'),
	option('Microsoft Defender for Identity', 'microsoftDefenderForIdentity'),
	option('Microsoft Defender for Cloud Apps', 'microsoftDefenderForCloudApps'),
	option('Microsoft Defender for Office 365', 'microsoftDefenderForOffice365'),
	option('Microsoft 365 Defender', 'microsoft365Defender'),
	option('Microsoft Entra ID Protection', 'azureAdIdentityProtection'),
	option('Microsoft App Governance', 'microsoftAppGovernance'),
	option('Data Loss Prevention', 'dataLossPrevention'),
	// After unknownFutureValue on the page: needs Prefer: include-unknown-enum-members.
	option('Microsoft Defender for Cloud', 'microsoftDefenderForCloud'),
	option('Unknown', 'unknown'),
];
