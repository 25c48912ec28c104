import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { idMode, listMode, locator, portalUrlMode } from './common';

/** Shared fields and enums of the Defender for Endpoint resources. */

const option = (name: string, value: string, description?: string): INodePropertyOptions =>
	description ? { name, value, description } : { name, value };

export const deviceLocator = locator(
	'Device',
	'deviceId',
	[
		listMode('searchDevices'),
		idMode('1e5bc9d7e413ddd7902c2932e418702b84d0cc07', {
			regex: '^\\s*[0-9a-fA-F]{40}\\s*$',
			errorMessage: 'A device ID is 40 hexadecimal characters, e.g. 1e5bc9d7e413ddd7902c2932e418702b84d0cc07',
		}),
		{
			displayName: 'By Name',
			name: 'name',
			type: 'string',
			placeholder: 'desktop-01.contoso.com',
			hint: 'The device name (computerDnsName): the full DNS name, or the host name if it is unique',
		},
		portalUrlMode(
			'https://security.microsoft.com/machines/v2/1e5bc9d7e413ddd7902c2932e418702b84d0cc07/overview',
			'machines/(?:v2/)?([0-9a-fA-F]{40})',
			'device page',
		),
	],
	'The Defender for Endpoint device (machine)',
);

export const machineActionLocator = locator('Machine Action', 'machineActionId', [
	listMode('searchMachineActions'),
	idMode('5382f7ea-7557-4ab7-9782-d50480024a4e'),
]);

/** Every response action carries a comment; by default it names the workflow and execution. */
export function commentField(description: string): INodeProperties {
	return {
		displayName: 'Comment',
		name: 'comment',
		type: 'string',
		typeOptions: { rows: 2 },
		default: '={{ "n8n workflow \\"" + $workflow.name + "\\", execution " + $execution.id }}',
		required: true,
		description,
	};
}

/*
 * Option lists are the values Microsoft documents in MicrosoftDocs/defender-docs, defender-endpoint/api/,
 * spelled (and cased) as there; the page of each list is named above it. osPlatform is a plain String on
 * machine.md (no list of values): OS_PLATFORMS are the platform names the API returns (get-machines.md
 * examples show Windows10 and Windows11).
 */

/** machine.md, healthStatus. */
export const HEALTH_STATUSES = [
	option('Active', 'Active'),
	option('Impaired Communication', 'ImpairedCommunication'),
	option('Inactive', 'Inactive'),
	option('No Sensor Data', 'NoSensorData'),
	option('No Sensor Data, Impaired Communication', 'NoSensorDataImpairedCommunication'),
	option('Unknown', 'Unknown'),
];

/** machine.md, riskScore. */
export const RISK_SCORES = [
	option('High', 'High'),
	option('Medium', 'Medium'),
	option('Low', 'Low'),
	option('Informational', 'Informational'),
	option('None', 'None'),
];

/** machine.md, exposureLevel. */
export const EXPOSURE_LEVELS = [option('High', 'High'), option('Medium', 'Medium'), option('Low', 'Low'), option('None', 'None')];

export const OS_PLATFORMS = [
	option('Linux', 'Linux'),
	option('macOS', 'macOS'),
	option('Windows 10', 'Windows10'),
	option('Windows 11', 'Windows11'),
	option('Windows Server 2012 R2', 'WindowsServer2012R2'),
	option('Windows Server 2016', 'WindowsServer2016'),
	option('Windows Server 2019', 'WindowsServer2019'),
	option('Windows Server 2022', 'WindowsServer2022'),
	option('Windows Server 2025', 'WindowsServer2025'),
];

/** machineaction.md, type. */
export const MACHINE_ACTION_TYPES = [
	option('Collect Investigation Package', 'CollectInvestigationPackage'),
	option('Isolate', 'Isolate'),
	option('Live Response', 'LiveResponse'),
	option('Offboard', 'Offboard'),
	option('Release From Isolation', 'Unisolate'),
	option('Remove App Restriction', 'UnrestrictCodeExecution'),
	option('Restrict App Execution', 'RestrictCodeExecution'),
	option('Run Antivirus Scan', 'RunAntiVirusScan'),
	option('Stop and Quarantine File', 'StopAndQuarantineFile'),
];

/** machineaction.md, status. */
export const MACHINE_ACTION_STATUSES = [
	option('Cancelled', 'Cancelled'),
	option('Failed', 'Failed'),
	option('In Progress', 'InProgress'),
	option('Pending', 'Pending'),
	option('Succeeded', 'Succeeded'),
	option('Time Out', 'TimeOut'),
];

/** Statuses after which a machine action does not change any more. */
export const FINAL_MACHINE_ACTION_STATUSES = ['Succeeded', 'Failed', 'TimeOut', 'Cancelled'];

/** ti-indicator.md, indicatorType. */
export const INDICATOR_TYPES = [
	option('Certificate Thumbprint', 'CertificateThumbprint'),
	option('Domain Name', 'DomainName'),
	option('File MD5', 'FileMd5'),
	option('File SHA-1', 'FileSha1'),
	option('File SHA-256', 'FileSha256'),
	option('IP Address', 'IpAddress'),
	option('URL', 'Url'),
];

/** ti-indicator.md, "Indicator Types": the actions the API takes for a new or updated indicator. */
export const INDICATOR_ACTIONS = [
	option('Allow', 'Allowed', 'Allow the file, address or URL'),
	option('Audit', 'Audit', 'Only raise an alert (needs Generate Alert)'),
	option('Block', 'Block', 'Block the file, address or URL'),
	option('Block and Remediate', 'BlockAndRemediate', 'Block the file and remediate it where found'),
	option('Warn', 'Warn', 'Warn the user, who may continue (web indicators)'),
];

/**
 * ti-indicator.md, action: every value an indicator can carry, for filters. Alert and AlertAndBlock are
 * the prior actions Microsoft no longer takes for new indicators; older indicators still have them.
 */
export const INDICATOR_FILTER_ACTIONS = [
	option('Alert (Legacy)', 'Alert', 'Indicators created with the prior Alert action'),
	option('Alert and Block (Legacy)', 'AlertAndBlock', 'Indicators created with the prior Alert and Block action'),
	...INDICATOR_ACTIONS,
];

/** ti-indicator.md, severity. */
export const INDICATOR_SEVERITIES = [
	option('High', 'High'),
	option('Medium', 'Medium'),
	option('Low', 'Low'),
	option('Informational', 'Informational'),
];

/** vulnerability.md, Severity. */
export const VULNERABILITY_SEVERITIES = [option('Critical', 'Critical'), option('High', 'High'), option('Medium', 'Medium'), option('Low', 'Low')];

/** recommendation.md, recommendationCategory. */
export const RECOMMENDATION_CATEGORIES = [
	option('Accounts', 'Accounts'),
	option('Application', 'Application'),
	option('Network', 'Network'),
	option('OS', 'OS'),
	option('Security Controls', 'SecurityControls'),
];

/** recommendation.md, remediationType. */
export const REMEDIATION_TYPES = [
	option('Configuration Change', 'ConfigurationChange'),
	option('Uninstall', 'Uninstall'),
	option('Update', 'Update'),
	option('Upgrade', 'Upgrade'),
];

/** recommendation.md, Status. */
export const RECOMMENDATION_STATUSES = [option('Active', 'Active'), option('Exception', 'Exception')];

/** isolate-machine.md, IsolationType. */
export const ISOLATION_TYPES = [
	option('Full', 'Full', 'Cut the device off the network except for the Defender service'),
	option('Selective', 'Selective', 'Also let Outlook, Teams and Skype for Business through (Windows only)'),
	option('Unmanaged Device (Contain)', 'UnManagedDevice', 'Contain a device that is not onboarded: onboarded devices stop talking to it'),
];

/** run-av-scan.md, ScanType. */
export const SCAN_TYPES = [
	option('Quick', 'Quick', 'Places malware usually lives'),
	option('Full', 'Full', 'Every file; can take hours'),
];
