import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { microsoftAudiencesOf } from '../apis';
import { CredentialConfigurationError } from '../apis/clouds';

/**
 * The administrator's switch for the n8n server's own Azure identity, named and defaulted like
 * n8n's N8N_AWS_SYSTEM_CREDENTIALS_ACCESS_ENABLED: off unless set to true, because anyone who
 * may create a credential would otherwise act as the server in Microsoft Entra ID.
 */
export const SYSTEM_IDENTITY_ACCESS_VARIABLE = 'N8N_DEFENDER_SYSTEM_IDENTITY_ACCESS_ENABLED';

export function systemIdentityAccessEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
	return String(env[SYSTEM_IDENTITY_ACCESS_VARIABLE] ?? '').trim().toLowerCase() === 'true';
}

/** The server's identity a credential would use, if any: its managed identity, or the federated token the environment names. */
export function hostIdentityOf(credentials: ICredentialDataDecryptedObject): string | undefined {
	if (credentials.authentication === 'managedIdentity') return 'Managed Identity';
	if (credentials.authentication === 'workloadIdentity' && String(credentials.workloadIdentityFile ?? '').trim() === '') {
		return 'Workload Identity Federation with the AZURE_FEDERATED_TOKEN_FILE of the n8n server';
	}
	return undefined;
}

/**
 * A host identity is used only when the administrator allows it, and its tokens (and the
 * federated token behind them) only ever go to the chosen Microsoft cloud: never to a custom
 * login host, and never for an audience that is not one of that cloud's Graph or Defender APIs.
 */
export function assertHostIdentityAllowed(
	what: string,
	field: string,
	credentials: ICredentialDataDecryptedObject,
	audience?: string,
): void {
	if (!systemIdentityAccessEnabled()) {
		throw new CredentialConfigurationError(
			field,
			`${what} uses the identity of the server n8n runs on, which belongs to the n8n administrator and not to whoever creates a credential: anyone able to create one could act as the server in Microsoft Entra ID. The administrator allows it by setting ${SYSTEM_IDENTITY_ACCESS_VARIABLE}=true on n8n, only where everyone who can create credentials may use the server's identity. Otherwise use an app registration with a client secret or certificate.`,
		);
	}
	const audiences = microsoftAudiencesOf(credentials);
	if (!audiences) {
		throw new CredentialConfigurationError(
			'environment',
			`${what} uses the server's identity, so its tokens only go to Microsoft's own hosts: choose your Microsoft cloud in Environment (Custom Endpoints cannot be used with the server's identity).`,
		);
	}
	if (audience !== undefined && !audiences.includes(audience)) {
		throw new CredentialConfigurationError('environment', `${what} only gets tokens for ${audiences.join(', ')}, not for ${audience}.`);
	}
}
