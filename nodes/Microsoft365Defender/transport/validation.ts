import { InvalidPathValueError } from './paths';

/**
 * Checks of the values Defender for Endpoint calls take (hashes, IPs, domains, URLs, device and
 * action ids), run before any request. Each failure is an InvalidPathValueError naming the field,
 * which toNodeError turns into an error that names the field and the item.
 */

const SHA1 = /^[0-9a-f]{40}$/i;
const SHA256 = /^[0-9a-f]{64}$/i;
const MD5 = /^[0-9a-f]{32}$/i;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/i;

function text(value: unknown): string {
	return String(value ?? '').trim();
}

function shown(value: string): string {
	return value.length > 80 ? `${value.slice(0, 80)}…` : value;
}

function fail(field: string, message: string): never {
	throw new InvalidPathValueError(field, message);
}

function requireValue(field: string, value: string, what: string): void {
	if (value === '') fail(field, `${field} is empty: enter ${what}.`);
}

export function isSha1(value: string): boolean {
	return SHA1.test(value);
}

export function isSha256(value: string): boolean {
	return SHA256.test(value);
}

export function isMd5(value: string): boolean {
	return MD5.test(value);
}

export function isIpv4(value: string): boolean {
	return IPV4.test(value);
}

export function isIpv6(value: string): boolean {
	if (!value.includes(':') || !/^[0-9a-f:.]+$/i.test(value)) return false;
	const halves = value.split('::');
	if (halves.length > 2) return false;
	const groupsOf = (part: string) => (part === '' ? [] : part.split(':'));
	const groups = halves.flatMap(groupsOf);
	const last = groups[groups.length - 1] ?? '';
	const embeddedV4 = last.includes('.');
	if (embeddedV4 && (!IPV4.test(last) || !halves[halves.length - 1].endsWith(last))) return false;
	const hexGroups = embeddedV4 ? groups.slice(0, -1) : groups;
	if (!hexGroups.every((group) => /^[0-9a-f]{1,4}$/i.test(group))) return false;
	const count = hexGroups.length + (embeddedV4 ? 2 : 0);
	return halves.length === 2 ? count < 8 : count === 8;
}

export function isIpAddress(value: string): boolean {
	return isIpv4(value) || isIpv6(value);
}

export function isDomainName(value: string): boolean {
	return DOMAIN.test(value);
}

export function validateSha1(value: unknown, field = 'SHA-1'): string {
	const hash = text(value);
	requireValue(field, hash, 'a SHA-1 hash (40 hexadecimal characters)');
	if (!isSha1(hash)) {
		const hint = isSha256(hash) ? ' It looks like a SHA-256; this action takes the SHA-1 of the file.' : isMd5(hash) ? ' It looks like an MD5; this action takes the SHA-1 of the file.' : '';
		fail(field, `${field} "${shown(hash)}" is not a SHA-1 hash (40 hexadecimal characters).${hint}`);
	}
	return hash.toLowerCase();
}

export type FileHashKind = 'sha1' | 'sha256';

/** A SHA-1 or SHA-256 hash, lower-cased, with which one it is. */
export function validateFileHash(value: unknown, field = 'File Hash'): { hash: string; kind: FileHashKind } {
	const hash = text(value);
	requireValue(field, hash, 'a SHA-1 or SHA-256 hash');
	if (isSha1(hash)) return { hash: hash.toLowerCase(), kind: 'sha1' };
	if (isSha256(hash)) return { hash: hash.toLowerCase(), kind: 'sha256' };
	const hint = isMd5(hash) ? ' MD5 hashes are not supported by Defender for Endpoint\'s file APIs.' : '';
	return fail(field, `${field} "${shown(hash)}" is not a SHA-1 (40 hexadecimal characters) or SHA-256 (64 hexadecimal characters) hash.${hint}`);
}

export function validateIpAddress(value: unknown, field = 'IP Address'): string {
	const ip = text(value);
	requireValue(field, ip, 'an IPv4 or IPv6 address');
	if (ip.includes('/')) fail(field, `${field} "${shown(ip)}" is a range: Defender for Endpoint takes single addresses, not CIDR notation.`);
	if (!isIpAddress(ip)) fail(field, `${field} "${shown(ip)}" is not an IPv4 or IPv6 address, e.g. 10.1.2.3 or 2001:db8::1.`);
	return ip;
}

/** A domain name; a pasted URL gives a hint to keep only the host. */
export function validateDomainName(value: unknown, field = 'Domain'): string {
	const domain = text(value).replace(/\.$/, '');
	requireValue(field, domain, 'a domain name such as contoso.com');
	if (!isDomainName(domain)) {
		const hint = /^[a-z]+:\/\//i.test(domain) || domain.includes('/') ? ' Enter only the host name, without scheme or path.' : '';
		fail(field, `${field} "${shown(domain)}" is not a domain name, e.g. contoso.com.${hint}`);
	}
	return domain.toLowerCase();
}

export function validateUrl(value: unknown, field = 'URL'): string {
	const raw = text(value);
	requireValue(field, raw, 'a URL such as https://contoso.com/path');
	let url: URL | undefined;
	try {
		url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`);
	} catch {
		url = undefined;
	}
	const host = url?.hostname.replace(/^\[|\]$/g, '') ?? '';
	if (!url || !['http:', 'https:'].includes(url.protocol) || !(isDomainName(host) || isIpAddress(host)) || /\s/.test(raw)) {
		fail(field, `${field} "${shown(raw)}" is not an http or https URL, e.g. https://contoso.com/path.`);
	}
	return raw;
}

/** Defender for Endpoint device (machine) ids are 40 hexadecimal characters. */
export function validateMachineId(value: unknown, field = 'Device ID'): string {
	const id = text(value);
	requireValue(field, id, 'a device ID (40 hexadecimal characters)');
	if (!SHA1.test(id)) {
		const hint = GUID.test(id) ? ' A GUID is an Entra ID (Azure AD) device ID, not a Defender for Endpoint device ID.' : '';
		fail(field, `${field} "${shown(id)}" is not a Defender for Endpoint device ID (40 hexadecimal characters, e.g. 1e5bc9d7e413ddd7902c2932e418702b84d0cc07).${hint}`);
	}
	return id.toLowerCase();
}

/** Machine action ids are GUIDs (some older ones are 40 hexadecimal characters). */
export function validateMachineActionId(value: unknown, field = 'Machine Action ID'): string {
	const id = text(value);
	requireValue(field, id, 'a machine action ID');
	if (!GUID.test(id) && !SHA1.test(id)) {
		fail(field, `${field} "${shown(id)}" is not a machine action ID, e.g. 5382f7ea-7557-4ab7-9782-d50480024a4e.`);
	}
	return id.toLowerCase();
}

export function validateIndicatorId(value: unknown, field = 'Indicator ID'): string {
	const id = text(value);
	requireValue(field, id, 'an indicator ID');
	if (!/^\d{1,19}$/.test(id)) fail(field, `${field} "${shown(id)}" is not an indicator ID (a number, e.g. 995).`);
	return id;
}

/**
 * Defender for Endpoint's user endpoints take the account name only: `user1` for
 * user1@contoso.com or CONTOSO\user1. Returns that name.
 */
export function validateAccountName(value: unknown, field = 'User'): string {
	const raw = text(value);
	requireValue(field, raw, 'a user name, UPN (user1@contoso.com) or DOMAIN\\user1');
	const name = raw.includes('\\') ? raw.slice(raw.lastIndexOf('\\') + 1) : raw.includes('@') ? raw.slice(0, raw.indexOf('@')) : raw;
	// A name of dots only would be read as a path step (/api/users/../alerts), not as a user.
	if (name === '' || /^\.+$/.test(name) || !/^[^\s"/\\[\]:;|=,+*?<>@]{1,104}$/.test(name)) {
		fail(field, `${field} "${shown(raw)}" is not a user name. Enter the account name (user1), UPN (user1@contoso.com) or DOMAIN\\user1.`);
	}
	return name;
}

export type IndicatorType = 'FileSha1' | 'FileSha256' | 'FileMd5' | 'CertificateThumbprint' | 'IpAddress' | 'DomainName' | 'Url';

/** The indicator type a value most likely is; 40 hex characters count as a file SHA-1. */
export function detectIndicatorType(value: string): IndicatorType | undefined {
	const trimmed = value.trim();
	if (isSha1(trimmed)) return 'FileSha1';
	if (isSha256(trimmed)) return 'FileSha256';
	if (isMd5(trimmed)) return 'FileMd5';
	// A range is still meant as an address: the check of the value then explains CIDR is not taken.
	if (isIpAddress(trimmed) || (/^[^/]+\/\d{1,3}$/.test(trimmed) && isIpAddress(trimmed.split('/')[0]))) return 'IpAddress';
	if (/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) || (trimmed.includes('/') && isDomainName(trimmed.split('/')[0]))) return 'Url';
	if (isDomainName(trimmed)) return 'DomainName';
	return undefined;
}

/** Checks an indicator value against its type; returns the value as it should be sent. */
export function validateIndicatorValue(value: unknown, type: IndicatorType, field = 'Indicator Value'): string {
	const raw = text(value);
	const hash = (pattern: RegExp, what: string) => {
		requireValue(field, raw, what);
		if (!pattern.test(raw)) fail(field, `${field} "${shown(raw)}" is not ${what}, as the type ${type} needs.`);
		return raw.toLowerCase();
	};
	switch (type) {
		case 'FileSha1':
			return hash(SHA1, 'a SHA-1 hash (40 hexadecimal characters)');
		case 'CertificateThumbprint':
			return hash(SHA1, 'a certificate thumbprint (SHA-1, 40 hexadecimal characters)');
		case 'FileSha256':
			return hash(SHA256, 'a SHA-256 hash (64 hexadecimal characters)');
		case 'FileMd5':
			return hash(MD5, 'an MD5 hash (32 hexadecimal characters)');
		case 'IpAddress':
			return validateIpAddress(raw, field);
		case 'DomainName':
			return validateDomainName(raw, field);
		case 'Url':
			return validateUrl(raw, field);
	}
}
