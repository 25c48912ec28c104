import {
	NodeApiError,
	NodeOperationError,
	type INode,
	type JsonObject,
} from 'n8n-workflow';

import { ExecutionCancelledError } from './cancellation';
import { apiCredentialFieldLabels } from './apis';
import { CredentialConfigurationError } from './apis/clouds';
import { InvalidFilterValueError } from './odata';
import { InvalidPathValueError } from './paths';
import { TokenAcquisitionError } from './auth/tokenProvider';

const CREDENTIAL_FIELD_LABELS: Record<string, string> = {
	tenantId: 'Tenant ID',
	clientId: 'Client ID',
	clientSecret: 'Client Secret',
	privateKey: 'Private Key',
	certificate: 'Certificate',
	thumbprint: 'Certificate Thumbprint',
	privateKeyPassphrase: 'Private Key Passphrase',
	managedIdentityType: 'Identity Type',
	managedIdentityId: 'Identity ID',
	workloadIdentityFile: 'Federated Token File',
	testTenants: 'Customer Tenants to Test',
	loginHost: 'Login Host',
	environment: 'Environment',
	authentication: 'Authentication',
	...apiCredentialFieldLabels(),
};

/**
 * A NodeApiError that keeps the message given: NodeApiError swaps any message that merely
 * contains a network error code for its own connection text (Microsoft's "ResourceNotFound"
 * contains "ENOTFOUND"), which would hide what Microsoft or the network said.
 */
export function apiError(
	node: INode,
	body: JsonObject,
	options: { message: string; description?: string; httpCode?: string; itemIndex?: number },
): NodeApiError {
	const error = new NodeApiError(node, body, options);
	error.message = options.message;
	return error;
}

/** Maps this package's own error types to the n8n errors users see; n8n errors pass through. */
export function toNodeError(node: INode, error: unknown, itemIndex?: number): Error {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		if (itemIndex !== undefined && error.context.itemIndex === undefined) {
			error.context.itemIndex = itemIndex;
		}
		return error;
	}
	if (error instanceof TokenAcquisitionError) {
		const { code, message, hint, error: errorName } = error.details;
		const prefix = code !== undefined ? `AADSTS${code}` : errorName;
		return apiError(
			node,
			{ code: prefix ?? 'token_error', message } as JsonObject,
			{
				message: `Could not get an access token: ${message}`,
				description: hint ?? 'Check the credential (tenant, client ID, secret or certificate, environment).',
				// Only Entra ID's own refusals are 4xx; an unreachable or untrusted host has no status.
				...(code !== undefined ? { httpCode: '401' } : {}),
				itemIndex,
			},
		);
	}
	if (error instanceof CredentialConfigurationError && error.field === 'tenant') {
		return new NodeOperationError(node, `Tenant option: ${error.message}`, {
			description: 'Fix the Tenant option of the node: a tenant GUID or verified domain in which the app registration has admin consent, or empty for the credential\'s tenant.',
			itemIndex,
		});
	}
	if (error instanceof CredentialConfigurationError) {
		const label = CREDENTIAL_FIELD_LABELS[error.field] ?? error.field;
		return new NodeOperationError(node, `Credential field "${label}": ${error.message}`, {
			description: 'Open the Microsoft 365 Defender credential and correct this field.',
			itemIndex,
		});
	}
	if (error instanceof InvalidPathValueError || error instanceof InvalidFilterValueError) {
		return new NodeOperationError(node, error.message, {
			description: `Check the "${error.field}" parameter${itemIndex !== undefined ? ` of item ${itemIndex}` : ''}.`,
			itemIndex,
		});
	}
	if (error instanceof ExecutionCancelledError) {
		return new NodeOperationError(node, error.message, {
			description: 'Requests that Microsoft had already answered are done; nothing else was sent after the stop.',
			itemIndex,
		});
	}
	const message = error instanceof Error ? error.message : String(error);
	return new NodeOperationError(node, message, { itemIndex });
}
