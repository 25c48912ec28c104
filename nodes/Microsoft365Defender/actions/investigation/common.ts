import { idMode, listMode, locator } from '../../descriptions/common';
import type { IdFormat } from '../../transport/paths';

/** investigation.md (MicrosoftDocs/defender-docs, defender-endpoint/api): ids are numbers, e.g. 63017. */
export const INVESTIGATION_ID: IdFormat = { label: 'Investigation ID', pattern: /^\d{1,19}$/, example: '63017' };

export const investigationLocator = locator('Investigation', 'investigationId', [
	listMode('searchInvestigations'),
	idMode('63017', { regex: '^\\s*\\d+\\s*$', errorMessage: 'An investigation ID is a number, e.g. 63017' }),
]);

const option = (name: string, value: string) => ({ name, value });

/** investigation.md, State. */
export const INVESTIGATION_STATES = [
	option('Benign', 'Benign'),
	option('Failed', 'Failed'),
	option('Inner Failure', 'InnerFailure'),
	option('Partially Investigated', 'PartiallyInvestigated'),
	option('Partially Remediated', 'PartiallyRemediated'),
	option('Pending Approval', 'PendingApproval'),
	option('Pending Resource', 'PendingResource'),
	option('Preexisting Alert', 'PreexistingAlert'),
	option('Queued', 'Queued'),
	option('Running', 'Running'),
	option('Successfully Remediated', 'SuccessfullyRemediated'),
	option('Suppressed Alert', 'SuppressedAlert'),
	option('Terminated', 'Terminated'),
	option('Terminated by System', 'TerminatedBySystem'),
	option('Terminated by User', 'TerminatedByUser'),
	option('Unknown', 'Unknown'),
	option('Unsupported Alert Type', 'UnsupportedAlertType'),
	option('Unsupported OS', 'UnsupportedOs'),
];
