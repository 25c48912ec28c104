/** What to do about the Entra ID (AADSTS) errors people actually hit with client credentials. */
const AADSTS_HINTS: Record<number, string> = {
	7000215:
		'The client secret is wrong. Paste the secret\'s "Value" (shown once, when the secret is created), not its "Secret ID".',
	7000222:
		'The client secret has expired. Create a new one under Certificates & secrets in the app registration and paste its value into this credential.',
	7000218: 'Neither a client secret nor a certificate was sent. Fill in the credential\'s secret or certificate.',
	90002:
		'Tenant not found. Check the Tenant ID and that the Environment matches the cloud your tenant lives in (e.g. US Government tenants use a US Gov environment).',
	900023: 'The Tenant ID is not valid. Use the "Directory (tenant) ID" GUID or a verified domain.',
	700016:
		'The application (Client ID) was not found in this tenant. Check the Client ID and Tenant ID belong together, and that an admin has consented to the app in this tenant. For a multi-tenant app and a customer tenant: the app must be multi-tenant ("Accounts in any organizational directory") and an admin of that tenant must grant consent (https://login.microsoftonline.com/<tenant>/adminconsent?client_id=<Client ID>).',
	65001:
		'No admin has consented to the application in this tenant. An admin of the tenant grants consent with https://login.microsoftonline.com/<tenant>/adminconsent?client_id=<Client ID>, then try again after a few minutes.',
	70021:
		'No federated credential of the app matches the federated token. Under Certificates & secrets → Federated credentials, add one whose issuer, subject and audience (api://AzureADTokenExchange) match the token in the token file.',
	700211:
		'No federated credential of the app has the issuer of the federated token. Check the issuer URL of the federated credential (e.g. the AKS cluster\'s OIDC issuer URL) under Certificates & secrets → Federated credentials.',
	700212:
		'The federated token\'s audience does not match the federated credential. It should be api://AzureADTokenExchange on both sides.',
	700213:
		'No federated credential of the app has the subject of the federated token. On AKS the subject is system:serviceaccount:<namespace>:<service account>; correct it under Certificates & secrets → Federated credentials.',
	700027:
		'The certificate assertion was rejected. Upload this certificate (the public .cer/.pem) under Certificates & secrets in the app registration, and check the private key belongs to it.',
	700024:
		'The client assertion is outside its validity window: a certificate assertion means the clock of the n8n server is off; a federated token means the token file was not refreshed (check the issuer or AKS workload identity rotates it).',
	7000112: 'The application is disabled in this tenant. Ask an admin to enable it.',
	500011:
		'The API is not available in this tenant or cloud (resource principal not found). Check the Environment and that the tenant has Microsoft Defender.',
	1002012: 'The token scope was rejected. Check the Environment and any custom API URLs.',
	70011: 'The token scope was rejected. Check the Environment and any custom API URLs.',
	50059: 'No tenant could be found for this request. Fill in the Tenant ID.',
	7000216: 'The client assertion is missing or malformed. Check the certificate and private key.',
	53003: 'A Conditional Access policy blocked the token request. Ask an admin to exclude this workload identity.',
};

export interface AadErrorDetails {
	code?: number;
	error?: string;
	message: string;
	hint?: string;
}

export function aadErrorCode(message: string): number | undefined {
	const match = /AADSTS(\d{4,9})/.exec(message);
	return match ? Number(match[1]) : undefined;
}

export function hintForAadCode(code: number | undefined): string | undefined {
	return code === undefined ? undefined : AADSTS_HINTS[code];
}

/** The first line of an AADSTS description, without the trace and correlation ids that follow it. */
function firstLine(message: string): string {
	return message.split(/\r?\n/)[0].trim();
}

const UNREACHABLE_CODES = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH'];
const UNTRUSTED_CERTIFICATE_CODES = [
	'DEPTH_ZERO_SELF_SIGNED_CERT',
	'SELF_SIGNED_CERT_IN_CHAIN',
	'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
	'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
	'CERT_HAS_EXPIRED',
	'ERR_TLS_CERT_ALTNAME_INVALID',
];

/** Turns whatever MSAL threw into a message and a hint, never echoing request bodies or secrets. */
export function describeTokenError(error: unknown): AadErrorDetails {
	const candidate = (error ?? {}) as {
		errorCode?: string;
		errorMessage?: string;
		message?: string;
		code?: string;
	};
	const raw = String(candidate.errorMessage || candidate.message || 'Unknown error');
	const code = aadErrorCode(raw);
	if (code !== undefined) {
		const message = firstLine(raw.slice(raw.indexOf('AADSTS')));
		return { code, error: candidate.errorCode, message, hint: hintForAadCode(code) };
	}
	const certificateCode = UNTRUSTED_CERTIFICATE_CODES.find((c) => raw.includes(c) || candidate.code === c);
	if (certificateCode) {
		return {
			error: certificateCode,
			message: `The login endpoint's TLS certificate is not trusted (${certificateCode}).`,
			hint: 'If a proxy inspects TLS traffic between n8n and Microsoft, give n8n its CA certificate with the NODE_EXTRA_CA_CERTS environment variable; otherwise check the Environment or Login Host.',
		};
	}
	const networkCode = UNREACHABLE_CODES.find((c) => raw.includes(c) || candidate.code === c);
	if (networkCode) {
		return {
			error: networkCode,
			message: `Could not reach the login endpoint (${networkCode}).`,
			hint: 'Check the Environment (or the Custom login host), the network and any proxy between n8n and Microsoft Entra ID.',
		};
	}
	return { error: candidate.errorCode, message: firstLine(raw) };
}
