import { idMode, listMode, locator } from '../../descriptions/common';

/** A Cloud Apps alert: from the list of open alerts, by ID, or by its portal address (`…/#/alerts/<id>`, the alert's URL). */
export const cloudAppsAlertLocator = locator('Alert', 'alertId', [
	listMode('searchCloudAppsAlerts'),
	idMode('603f704aaf7417985bbf3b22', { regex: '^\\s*[0-9a-fA-F]{24}\\s*$', errorMessage: 'A Cloud Apps alert ID is 24 hex digits, e.g. 603f704aaf7417985bbf3b22' }),
	{
		displayName: 'By URL',
		name: 'url',
		type: 'string',
		placeholder: 'https://contoso.portal.cloudappsecurity.com/#/alerts/603f704aaf7417985bbf3b22',
		extractValue: { type: 'regex', regex: 'https?://[^/]+/#/alerts/([0-9a-fA-F]{24})' },
		validation: [
			{
				type: 'regex',
				properties: {
					regex: 'https?://[^/]+/#/alerts/[0-9a-fA-F]{24}.*',
					errorMessage: 'Paste the alert\'s URL as Cloud Apps gives it, e.g. https://contoso.portal.cloudappsecurity.com/#/alerts/603f704aaf7417985bbf3b22',
				},
			},
		],
	},
]);
