import type { INodeProperties } from 'n8n-workflow';

import { operationSelector } from '../../descriptions/common';

import * as closeBenign from './closeBenign.operation';
import * as closeFalsePositive from './closeFalsePositive.operation';
import * as closeTruePositive from './closeTruePositive.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as markAsRead from './markAsRead.operation';
import * as markAsUnread from './markAsUnread.operation';

export { closeBenign, closeFalsePositive, closeTruePositive, get, getAll, markAsRead, markAsUnread };

export const description: INodeProperties[] = [
	operationSelector('cloudAppsAlert', 'getAll', [
		{ name: 'Close as Benign', value: 'closeBenign', action: 'Close Cloud Apps alerts as benign', description: 'Suspicious but not malicious, e.g. a penetration test' },
		{ name: 'Close as False Positive', value: 'closeFalsePositive', action: 'Close Cloud Apps alerts as false positive', description: 'The alert is not accurate or not of interest' },
		{ name: 'Close as True Positive', value: 'closeTruePositive', action: 'Close Cloud Apps alerts as true positive', description: 'A confirmed malicious activity' },
		{ name: 'Get', value: 'get', action: 'Get a Cloud Apps alert', description: 'Get one Defender for Cloud Apps alert' },
		{ name: 'Get Many', value: 'getAll', action: 'Get many Cloud Apps alerts', description: 'List Defender for Cloud Apps alerts, filtered and sorted' },
		{ name: 'Mark as Read', value: 'markAsRead', action: 'Mark a Cloud Apps alert as read' },
		{ name: 'Mark as Unread', value: 'markAsUnread', action: 'Mark a Cloud Apps alert as unread' },
	]),
	...get.description,
	...getAll.description,
	...closeBenign.description,
	...closeFalsePositive.description,
	...closeTruePositive.description,
	...markAsRead.description,
	...markAsUnread.description,
];
