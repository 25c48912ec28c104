import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	INodeCredentialTestResult,
} from 'n8n-workflow';

import { CredentialConfigurationError, resolveEndpoints } from '../transport/endpoints';
import { getAccessToken, TokenAcquisitionError } from '../transport/tokenProvider';

/** Really asks Entra ID for a token for each API the credential can reach, and explains failures. */
export async function microsoft365DefenderApiTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const data = credential.data ?? {};
	try {
		const endpoints = resolveEndpoints(data);
		await getAccessToken(data, 'graph', { forceRefresh: true });
		if (endpoints.mde) await getAccessToken(data, 'mde', { forceRefresh: true });
		return { status: 'OK', message: 'Connection successful: tokens issued for every API of this credential' };
	} catch (error) {
		if (error instanceof TokenAcquisitionError) {
			const { code, message, hint } = error.details;
			const prefix = code !== undefined && !message.startsWith('AADSTS') ? `AADSTS${code}: ` : '';
			return { status: 'Error', message: `${prefix}${message}${hint ? ` ${hint}` : ''}` };
		}
		if (error instanceof CredentialConfigurationError) {
			return { status: 'Error', message: error.message };
		}
		return { status: 'Error', message: error instanceof Error ? error.message : String(error) };
	}
}
