import { constants, createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

export type JwtHeader = Record<string, unknown> & { alg?: string; typ?: string; kid?: string; x5t?: string; 'x5t#S256'?: string };
export type JwtPayload = Record<string, unknown>;

export interface DecodedJwt {
	header: JwtHeader;
	payload: JwtPayload;
	signingInput: string;
	signature: Uint8Array;
}

export function base64UrlEncode(data: Uint8Array | string): string {
	return (typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data.buffer, data.byteOffset, data.byteLength)).toString('base64url');
}

export function base64UrlDecode(text: string): Uint8Array {
	return new Uint8Array(Buffer.from(text, 'base64url'));
}

function utf8(text: string): Uint8Array {
	return new TextEncoder().encode(text);
}

export class JwtFormatError extends Error {}

export function decodeJwt(token: string): DecodedJwt {
	const parts = token.split('.');
	if (parts.length !== 3 || parts.some((part) => !/^[A-Za-z0-9_-]*$/.test(part))) throw new JwtFormatError('Token is not a compact JWS');
	try {
		const header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8')) as JwtHeader;
		const payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as JwtPayload;
		if (typeof header !== 'object' || header === null || typeof payload !== 'object' || payload === null) throw new Error('not objects');
		return { header, payload, signingInput: `${parts[0]}.${parts[1]}`, signature: base64UrlDecode(parts[2]) };
	} catch {
		throw new JwtFormatError('Token header or payload is not base64url JSON');
	}
}

export function signJwt(header: JwtHeader, payload: JwtPayload, privateKey: KeyObject | string): string {
	const alg = header.alg ?? 'RS256';
	const signingInput = `${base64UrlEncode(JSON.stringify({ ...header, alg }))}.${base64UrlEncode(JSON.stringify(payload))}`;
	const key = typeof privateKey === 'string' ? createPrivateKey(privateKey) : privateKey;
	const signature =
		alg === 'PS256'
			? sign('sha256', utf8(signingInput), { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST })
			: sign('sha256', utf8(signingInput), key);
	return `${signingInput}.${base64UrlEncode(new Uint8Array(signature))}`;
}

/** Supports the two algorithms Entra accepts for certificate assertions and uses for its own tokens. */
export function verifyJwtSignature(decoded: DecodedJwt, publicKey: KeyObject): boolean {
	const data = utf8(decoded.signingInput);
	try {
		if (decoded.header.alg === 'RS256') return verify('sha256', data, publicKey, decoded.signature);
		if (decoded.header.alg === 'PS256') {
			return verify('sha256', data, { key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO }, decoded.signature);
		}
	} catch {
		return false;
	}
	return false;
}

/** The emulator's own token-signing key (what Entra's JWKS would publish). */
export class TokenSigner {
	readonly privateKey: KeyObject;
	readonly publicKey: KeyObject;
	readonly keyId: string;

	constructor() {
		const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
		this.privateKey = pair.privateKey;
		this.publicKey = pair.publicKey;
		this.keyId = createHash('sha1').update(String(this.publicKey.export({ type: 'spki', format: 'pem' }))).digest('base64url');
	}

	sign(payload: JwtPayload): string {
		return signJwt({ typ: 'JWT', alg: 'RS256', x5t: this.keyId, kid: this.keyId }, payload, this.privateKey);
	}

	jwks(): { keys: Array<Record<string, unknown>> } {
		const jwk = this.publicKey.export({ format: 'jwk' });
		return { keys: [{ kty: 'RSA', use: 'sig', kid: this.keyId, x5t: this.keyId, n: jwk.n, e: jwk.e }] };
	}
}

export function publicKeyFromCertificate(certificatePem: string): KeyObject {
	return createPublicKey(certificatePem);
}
