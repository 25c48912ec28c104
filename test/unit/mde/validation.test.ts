import {
	detectIndicatorType,
	isIpAddress,
	validateAccountName,
	validateDomainName,
	validateFileHash,
	validateIndicatorId,
	validateIndicatorValue,
	validateIpAddress,
	validateMachineActionId,
	validateMachineId,
	validateSha1,
	validateUrl,
} from '../../../nodes/Microsoft365Defender/transport/validation';
import { deviceFilter } from '../../../nodes/Microsoft365Defender/actions/device/getAll.operation';
import { machineActionFilter } from '../../../nodes/Microsoft365Defender/actions/machineAction/getAll.operation';
import { indicatorFilter } from '../../../nodes/Microsoft365Defender/actions/indicator/getAll.operation';
import { failure } from './validationFailure';

const SHA1 = '87662bc3d60e4200ceaf7aae249d1c343f4b83c9';
const SHA256 = '413c58c8267d2c8648d8f6384bacc2ae9c929b2b96578b6860b5087cd1bd6462';
const MD5 = 'd41d8cd98f00b204e9800998ecf8427e';

describe('hashes', () => {
	it('accepts SHA-1 and SHA-256 in any case and says which one it is', () => {
		expect(validateSha1(` ${SHA1.toUpperCase()} `)).toBe(SHA1);
		expect(validateFileHash(SHA1)).toEqual({ hash: SHA1, kind: 'sha1' });
		expect(validateFileHash(SHA256.toUpperCase())).toEqual({ hash: SHA256, kind: 'sha256' });
	});

	it('names the field and explains what is wrong', () => {
		const sha256ForSha1 = failure(() => validateSha1(SHA256, 'File SHA-1'));
		expect(sha256ForSha1.field).toBe('File SHA-1');
		expect(sha256ForSha1.message).toBe(`File SHA-1 "${SHA256}" is not a SHA-1 hash (40 hexadecimal characters). It looks like a SHA-256; this action takes the SHA-1 of the file.`);
		expect(failure(() => validateFileHash(MD5)).message).toMatch(/MD5 hashes are not supported/);
		expect(failure(() => validateFileHash('')).message).toBe('File Hash is empty: enter a SHA-1 or SHA-256 hash.');
		expect(failure(() => validateSha1('xyz')).message).toMatch(/^SHA-1 "xyz" is not a SHA-1 hash/);
	});
});

describe('network values', () => {
	it.each(['10.1.2.3', '255.255.255.255', '2001:db8::1', '::1', 'fe80::1ff:fe23:4567:890a', '::ffff:192.0.2.128', '2001:0db8:0000:0000:0000:ff00:0042:8329'])('accepts the address %s', (ip) => {
		expect(isIpAddress(ip)).toBe(true);
		expect(validateIpAddress(ip)).toBe(ip);
	});

	it.each(['10.1.2', '256.1.1.1', '1.2.3.4.5', '01.2.3.4x', '2001:db8:::1', '2001:db8::1::2', '12345::', 'contoso.com', ':1:2'])('refuses %s', (ip) => {
		expect(isIpAddress(ip)).toBe(false);
		expect(failure(() => validateIpAddress(ip, 'IP Address')).message).toMatch(/^IP Address ".*" is not an IPv4 or IPv6 address/);
	});

	it('refuses CIDR ranges with their own message', () => {
		expect(failure(() => validateIpAddress('10.0.0.0/8')).message).toMatch(/not CIDR notation/);
	});

	it('checks domains and URLs', () => {
		expect(validateDomainName('Contoso-Payroll.top.')).toBe('contoso-payroll.top');
		expect(failure(() => validateDomainName('https://contoso.com/x')).message).toMatch(/Enter only the host name/);
		expect(failure(() => validateDomainName('localhost')).message).toMatch(/is not a domain name/);
		expect(validateUrl('https://contoso.com/a?b=c')).toBe('https://contoso.com/a?b=c');
		expect(validateUrl('contoso.com/path')).toBe('contoso.com/path');
		expect(failure(() => validateUrl('ftp://contoso.com')).message).toMatch(/is not an http or https URL/);
		expect(failure(() => validateUrl('https://exa mple.com')).message).toMatch(/is not an http or https URL/);
	});
});

describe('ids and names', () => {
	it('checks device, machine action and indicator ids', () => {
		expect(validateMachineId(SHA1.toUpperCase())).toBe(SHA1);
		expect(failure(() => validateMachineId('80fe8ff8-2624-418e-9591-41f0491218f9', 'Device')).message).toMatch(/Entra ID \(Azure AD\) device ID/);
		expect(validateMachineActionId('5382F7EA-7557-4AB7-9782-D50480024A4E')).toBe('5382f7ea-7557-4ab7-9782-d50480024a4e');
		expect(failure(() => validateMachineActionId('123')).field).toBe('Machine Action ID');
		expect(validateIndicatorId(' 995 ')).toBe('995');
		expect(failure(() => validateIndicatorId('99a')).message).toMatch(/is not an indicator ID/);
	});

	it('takes the account name out of a UPN or DOMAIN\\name', () => {
		expect(validateAccountName('user1@contoso.com')).toBe('user1');
		expect(validateAccountName('CONTOSO\\user1')).toBe('user1');
		expect(validateAccountName('user1')).toBe('user1');
		expect(failure(() => validateAccountName('@contoso.com')).message).toMatch(/is not a user name/);
	});
});

describe('indicators', () => {
	it('detects the type from the value', () => {
		expect(detectIndicatorType(SHA1)).toBe('FileSha1');
		expect(detectIndicatorType(SHA256)).toBe('FileSha256');
		expect(detectIndicatorType(MD5)).toBe('FileMd5');
		expect(detectIndicatorType('185.220.101.45')).toBe('IpAddress');
		expect(detectIndicatorType('https://contoso-payroll.top/invoice')).toBe('Url');
		expect(detectIndicatorType('contoso-payroll.top/invoice')).toBe('Url');
		expect(detectIndicatorType('contoso-payroll.top')).toBe('DomainName');
		expect(detectIndicatorType('not a value')).toBeUndefined();
	});

	it('checks a value against the chosen type', () => {
		expect(validateIndicatorValue(SHA1.toUpperCase(), 'CertificateThumbprint')).toBe(SHA1);
		expect(failure(() => validateIndicatorValue(SHA1, 'FileSha256', 'Value')).message).toBe(`Value "${SHA1}" is not a SHA-256 hash (64 hexadecimal characters), as the type FileSha256 needs.`);
		expect(failure(() => validateIndicatorValue('10.0.0.0/24', 'IpAddress', 'Value')).message).toMatch(/not CIDR notation/);
	});
});

describe('OData filters', () => {
	it('builds the device filter Microsoft documents', () => {
		expect(
			deviceFilter({ nameStartsWith: 'Desk', healthStatus: ['Active'], riskScore: ['High', 'Medium'], tag: "O'Brien", lastSeenAfter: '2026-01-01T00:00:00Z', lastIpAddress: '10.1.2.3' }),
		).toBe(
			"startswith(computerDnsName,'desk') and healthStatus eq 'Active' and (riskScore eq 'High' or riskScore eq 'Medium') and machineTags/any(tag: tag eq 'O''Brien') and lastSeen gt 2026-01-01T00:00:00.000Z and lastIpAddress eq '10.1.2.3'",
		);
		expect(deviceFilter({})).toBeUndefined();
		expect(() => deviceFilter({ lastIpAddress: '10.1' })).toThrow(/IP Address "10.1"/);
	});

	it('builds machine action and indicator filters', () => {
		expect(machineActionFilter({ machineId: SHA1, type: ['Isolate'], status: ['Pending', 'InProgress'], requestor: 'n8n' })).toBe(
			`machineId eq '${SHA1}' and type eq 'Isolate' and (status eq 'Pending' or status eq 'InProgress') and requestor eq 'n8n'`,
		);
		expect(indicatorFilter({ indicatorType: ['FileSha1'], action: ['Block'], indicatorValue: SHA1 })).toBe(`indicatorValue eq '${SHA1}' and indicatorType eq 'FileSha1' and action eq 'Block'`);
	});
});
