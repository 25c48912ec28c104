import type { INodeProperties } from 'n8n-workflow';

import { operationSelector } from '../../descriptions/common';
import * as disable from './disable.operation';
import * as dismissRisk from './dismissRisk.operation';
import * as enable from './enable.operation';
import * as forcePasswordReset from './forcePasswordReset.operation';
import * as getIdentityAccounts from './getIdentityAccounts.operation';
import * as markAsCompromised from './markAsCompromised.operation';
import * as requireSignInAgain from './requireSignInAgain.operation';
import * as revokeAllSessions from './revokeAllSessions.operation';

export { disable, dismissRisk, enable, forcePasswordReset, getIdentityAccounts, markAsCompromised, requireSignInAgain, revokeAllSessions };

export const description: INodeProperties[] = [
	operationSelector('user', 'getIdentityAccounts', [
		{ name: 'Disable', value: 'disable', action: 'Disable a user', description: 'Disable the account in Entra ID, Active Directory or Okta' },
		{ name: 'Dismiss Risk', value: 'dismissRisk', action: 'Dismiss a user\'s risk', description: 'Close the user\'s risk after investigation, e.g. once the account is safe again (Entra ID)' },
		{ name: 'Enable', value: 'enable', action: 'Enable a user', description: 'Enable the account in Entra ID, Active Directory or Okta' },
		{ name: 'Force Password Reset', value: 'forcePasswordReset', action: 'Force a password reset', description: 'Require a new password (Entra ID, Active Directory)' },
		{ name: 'Get Identity Accounts', value: 'getIdentityAccounts', action: 'Get identity accounts', description: "Find a user's accounts across Entra ID, Active Directory and Okta" },
		{ name: 'Mark as Compromised', value: 'markAsCompromised', action: 'Mark a user as compromised', description: "Confirm the user's account is compromised (Entra ID)" },
		{ name: 'Require Sign-In Again', value: 'requireSignInAgain', action: 'Require a user to sign in again', description: "Invalidate the user's refresh tokens and session cookies (Entra ID)" },
		{ name: 'Revoke All Sessions', value: 'revokeAllSessions', action: 'Revoke a user\'s sessions', description: 'End every session of the account (Entra ID, Okta)' },
	]),
	...getIdentityAccounts.description,
	...disable.description,
	...enable.description,
	...forcePasswordReset.description,
	...revokeAllSessions.description,
	...requireSignInAgain.description,
	...markAsCompromised.description,
	...dismissRisk.description,
];
