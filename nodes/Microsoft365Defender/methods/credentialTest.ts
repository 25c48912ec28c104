import type {
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	INodeCredentialTestResult,
} from 'n8n-workflow';

import {
	checkPermissions,
	CONSENT_DELAY_NOTE,
	hasMissingPermissions,
	summarizePermissions,
	tenantsToTest,
	type TenantPermissionReport,
} from '../actions/credential/permissionReport';
import { CredentialConfigurationError } from '../transport/apis/clouds';
import { TokenAcquisitionError } from '../transport/auth/tokenProvider';

function describeFailure(error: unknown): string {
	if (error instanceof TokenAcquisitionError) {
		const { code, message, hint } = error.details;
		const prefix = code !== undefined && !message.startsWith('AADSTS') ? `AADSTS${code}: ` : '';
		return `${prefix}${message}${hint ? ` ${hint}` : ''}`;
	}
	return error instanceof Error ? error.message : String(error);
}

/**
 * Really asks Entra ID for a token for each API the credential can reach (in each tenant to
 * test), explains failures, and says which permissions the tokens carry and which operations
 * the missing ones block.
 */
export async function microsoft365DefenderApiTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const data = credential.data ?? {};
	let tenants: ICredentialDataDecryptedObject[];
	try {
		tenants = tenantsToTest(data);
	} catch (error) {
		return { status: 'Error', message: error instanceof CredentialConfigurationError ? error.message : describeFailure(error) };
	}
	const reports: TenantPermissionReport[] = [];
	for (const tenant of tenants) {
		try {
			reports.push(await checkPermissions(tenant));
		} catch (error) {
			const where = tenants.length > 1 ? `Tenant ${String(tenant.tenantId)}: ` : '';
			return { status: 'Error', message: `${where}${describeFailure(error)}` };
		}
	}
	const summaries = reports.map((report) =>
		reports.length > 1 ? `Tenant ${report.tenant}: ${summarizePermissions(report)}` : summarizePermissions(report),
	);
	const note = reports.some(hasMissingPermissions) ? ` ${CONSENT_DELAY_NOTE}` : '';
	return { status: 'OK', message: `Connection successful: tokens issued for every API of this credential. ${summaries.join(' ')}${note}` };
}
