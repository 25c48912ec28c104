import { idMode, listMode, locator } from '../../descriptions/common';
import type { IdFormat } from '../../transport/paths';

/** get-remediation-one-activity.md: ids are GUIDs. */
export const REMEDIATION_ACTIVITY_ID: IdFormat = {
	label: 'Remediation Activity ID',
	pattern: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
	example: '03942ef5-aecb-4c6e-b555-d6a97013844c',
};

export const remediationActivityLocator = locator('Remediation Activity', 'remediationActivityId', [
	listMode('searchRemediationActivities'),
	idMode('03942ef5-aecb-4c6e-b555-d6a97013844c'),
]);
