import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export interface PemFiles {
	keyPath: string;
	certPath: string;
	keyPem: string;
	certPem: string;
}

export interface ClientCertificateFiles extends PemFiles {
	thumbprintSha1Hex: string;
	thumbprintSha256Hex: string;
}

const ONE_DAY_MS = 24 * 60 * 60 * 1000;

/** Repository-level default so in-process tests and the test runner agree on one CA file. */
export const DEFAULT_TLS_DIR = resolve(__dirname, '..', '..', '.emulator', 'tls');

/**
 * Microsoft's hosts the server certificate also names, so a test proxy can stand the emulator in
 * for them (a credential set to a Microsoft cloud, e.g. with the server's identity).
 */
export const STAND_IN_HOSTS = ['login.microsoftonline.com', 'login.microsoftonline.us', 'login.chinacloudapi.cn', 'graph.microsoft.com', 'api.security.microsoft.com'];

function isStillValidForADay(certPath: string, keyPath: string, requiredNames: string[] = []): boolean {
	if (!existsSync(certPath) || !existsSync(keyPath)) return false;
	try {
		const certificate = new X509Certificate(readFileSync(certPath, 'utf8'));
		if (requiredNames.some((name) => !(certificate.subjectAltName ?? '').includes(`DNS:${name}`))) return false;
		return new Date(certificate.validTo).getTime() - Date.now() > ONE_DAY_MS;
	} catch {
		return false;
	}
}

function runOpenSsl(configText: string, keyTarget: string, certTarget: string): void {
	const workDir = join(tmpdir(), `defender-emulator-openssl-${process.pid}-${Date.now()}-${Math.random().toString(16).slice(2)}`);
	mkdirSync(workDir, { recursive: true });
	const configPath = join(workDir, 'openssl.cnf');
	const keyTemp = join(workDir, 'key.pem');
	const certTemp = join(workDir, 'cert.pem');
	try {
		writeFileSync(configPath, configText);
		execFileSync(
			'openssl',
			['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', '2', '-config', configPath, '-keyout', keyTemp, '-out', certTemp],
			{ stdio: 'pipe' },
		);
		// Copy next to the target first, then rename: concurrent jest workers never see half-written files.
		const suffix = `.${process.pid}.${Math.random().toString(16).slice(2)}.tmp`;
		writeFileSync(keyTarget + suffix, readFileSync(keyTemp, 'utf8'), { mode: 0o600 });
		writeFileSync(certTarget + suffix, readFileSync(certTemp, 'utf8'));
		renameSync(keyTarget + suffix, keyTarget);
		renameSync(certTarget + suffix, certTarget);
	} finally {
		rmSync(workDir, { recursive: true, force: true });
	}
}

const SERVER_CONFIG = `[req]
distinguished_name = dn
x509_extensions = v3
prompt = no
[dn]
CN = localhost
O = Defender Emulator
[v3]
subjectAltName = DNS:localhost,IP:127.0.0.1,${STAND_IN_HOSTS.map((host) => `DNS:${host}`).join(',')}
basicConstraints = critical,CA:TRUE
keyUsage = critical,digitalSignature,keyEncipherment,keyCertSign
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
`;

const CLIENT_CONFIG = `[req]
distinguished_name = dn
x509_extensions = v3
prompt = no
[dn]
CN = n8n-defender-emulator-client
[v3]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = clientAuth
`;

function readPair(keyPath: string, certPath: string): PemFiles {
	return { keyPath, certPath, keyPem: readFileSync(keyPath, 'utf8'), certPem: readFileSync(certPath, 'utf8') };
}

/** Self-signed localhost certificate (also its own CA) for the three HTTPS servers. */
export function ensureTlsCertificate(dir: string = DEFAULT_TLS_DIR): PemFiles {
	mkdirSync(dir, { recursive: true });
	const keyPath = join(dir, 'key.pem');
	const certPath = join(dir, 'cert.pem');
	if (!isStillValidForADay(certPath, keyPath, STAND_IN_HOSTS)) runOpenSsl(SERVER_CONFIG, keyPath, certPath);
	return readPair(keyPath, certPath);
}

export function thumbprints(certPem: string): { sha1Hex: string; sha256Hex: string } {
	const certificate = new X509Certificate(certPem);
	return {
		sha1Hex: certificate.fingerprint.replace(/:/g, '').toLowerCase(),
		sha256Hex: certificate.fingerprint256.replace(/:/g, '').toLowerCase(),
	};
}

/** Key pair + certificate the `certificate` app authenticates with (client assertion). */
export function ensureClientCertificate(dir: string = DEFAULT_TLS_DIR): ClientCertificateFiles {
	mkdirSync(dir, { recursive: true });
	const keyPath = join(dir, 'client-key.pem');
	const certPath = join(dir, 'client-cert.pem');
	if (!isStillValidForADay(certPath, keyPath)) runOpenSsl(CLIENT_CONFIG, keyPath, certPath);
	const files = readPair(keyPath, certPath);
	const { sha1Hex, sha256Hex } = thumbprints(files.certPem);
	return { ...files, thumbprintSha1Hex: sha1Hex, thumbprintSha256Hex: sha256Hex };
}

/** Generates a throw-away certificate (not reused), e.g. for a test that needs an unregistered one. */
export function generateCertificate(dir: string, name: string): ClientCertificateFiles {
	mkdirSync(dir, { recursive: true });
	const keyPath = join(dir, `${name}-key.pem`);
	const certPath = join(dir, `${name}-cert.pem`);
	runOpenSsl(CLIENT_CONFIG, keyPath, certPath);
	const files = readPair(keyPath, certPath);
	const { sha1Hex, sha256Hex } = thumbprints(files.certPem);
	return { ...files, thumbprintSha1Hex: sha1Hex, thumbprintSha256Hex: sha256Hex };
}

if (require.main === module) {
	const dir = resolve(process.argv[2] ?? DEFAULT_TLS_DIR);
	const server = ensureTlsCertificate(dir);
	ensureClientCertificate(dir);
	process.stdout.write(`${server.certPath}\n`);
}
