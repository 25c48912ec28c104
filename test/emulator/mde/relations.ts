import type { Store } from '../store/store';
import type { Alert, DirectoryUser, Evidence, HuntingRow, Machine } from '../store/types';
import { stableHash } from './common';

/**
 * How the seeded world looks through the Defender for Endpoint API: Graph alerts in MDE alert
 * shape, who logged on where, file / IP / domain prevalence from the hunting tables, and a small
 * vulnerability-management catalogue. Everything is derived, so it follows the seed and resets.
 */

const pascal = (value: string) => value.charAt(0).toUpperCase() + value.slice(1);

const DETECTION_SOURCES: Record<string, string> = {
	microsoftDefenderForEndpoint: 'WindowsDefenderAtp',
	antivirus: 'WindowsDefenderAv',
	customTi: 'CustomerTI',
	smartScreen: 'WindowsDefenderSmartScreen',
	automatedInvestigation: 'AutomatedInvestigation',
	microsoftDefenderForIdentity: 'AzureAtp',
	cloudAppSecurity: 'MCAS',
};

function deviceIdOf(alert: Alert): string | undefined {
	const evidence = alert.evidence.find((candidate) => typeof candidate.mdeDeviceId === 'string');
	return evidence?.mdeDeviceId as string | undefined;
}

function userAccountOf(evidence: Evidence): Record<string, unknown> | undefined {
	return evidence.userAccount as Record<string, unknown> | undefined;
}

function fileSha1sOf(alert: Alert): string[] {
	const hashes: string[] = [];
	for (const evidence of alert.evidence) {
		for (const key of ['fileDetails', 'imageFile']) {
			const details = evidence[key] as Record<string, unknown> | undefined;
			if (typeof details?.sha1 === 'string') hashes.push(details.sha1.toLowerCase());
		}
	}
	return hashes;
}

function hostOf(url: string): string {
	try {
		return new URL(url).hostname.toLowerCase();
	} catch {
		return '';
	}
}

function sameOrSubdomain(host: string, domain: string): boolean {
	const wanted = domain.toLowerCase();
	return host === wanted || host.endsWith(`.${wanted}`);
}

export function mdeAlert(store: Store, alert: Alert): Record<string, unknown> {
	const machineId = deviceIdOf(alert);
	const machine = machineId ? store.machines.find((candidate) => candidate.id === machineId) : undefined;
	const user = alert.evidence.map(userAccountOf).find(Boolean);
	const status = alert.status === 'new' ? 'New' : alert.status === 'inProgress' ? 'InProgress' : alert.status === 'resolved' ? 'Resolved' : 'Unknown';
	return {
		id: alert.id,
		incidentId: Number(alert.incidentId),
		investigationId: null,
		assignedTo: alert.assignedTo,
		severity: pascal(alert.severity),
		status,
		classification: alert.classification === 'unknown' ? null : pascal(alert.classification),
		determination: alert.determination === 'unknown' ? null : pascal(alert.determination),
		investigationState: 'Queued',
		detectionSource: DETECTION_SOURCES[alert.detectionSource] ?? pascal(alert.detectionSource),
		detectorId: alert.detectorId,
		category: alert.category,
		threatFamilyName: alert.threatFamilyName,
		title: alert.title,
		description: alert.description,
		alertCreationTime: alert.createdDateTime,
		firstEventTime: alert.firstActivityDateTime,
		lastEventTime: alert.lastActivityDateTime,
		lastUpdateTime: alert.lastUpdateDateTime,
		resolvedTime: alert.resolvedDateTime,
		machineId: machineId ?? null,
		computerDnsName: machine?.computerDnsName ?? null,
		rbacGroupName: machine?.rbacGroupName ?? null,
		aadTenantId: alert.tenantId,
		threatName: alert.threatDisplayName,
		mitreTechniques: alert.mitreTechniques,
		relatedUser: user ? { userName: user.accountName, domainName: user.domainName } : null,
		comments: alert.comments.map((comment) => ({ comment: comment.comment, createdBy: comment.createdByDisplayName, createdTime: comment.createdDateTime })),
		evidence: [],
	};
}

const newestFirst = (a: Alert, b: Alert) => Date.parse(b.createdDateTime) - Date.parse(a.createdDateTime);

export function alertsOfMachine(store: Store, machineId: string): Alert[] {
	const wanted = machineId.toLowerCase();
	return store.listAlerts().filter((alert) => alert.evidence.some((evidence) => String(evidence.mdeDeviceId ?? '').toLowerCase() === wanted)).sort(newestFirst);
}

export function alertsOfFile(store: Store, sha1: string): Alert[] {
	const wanted = sha1.toLowerCase();
	return store.listAlerts().filter((alert) => fileSha1sOf(alert).includes(wanted)).sort(newestFirst);
}

export function alertsOfIp(store: Store, ip: string): Alert[] {
	return store.listAlerts().filter((alert) => alert.evidence.some((evidence) => evidence.ipAddress === ip)).sort(newestFirst);
}

export function alertsOfDomain(store: Store, domain: string): Alert[] {
	return store
		.listAlerts()
		.filter((alert) => alert.evidence.some((evidence) => typeof evidence.url === 'string' && sameOrSubdomain(hostOf(evidence.url), domain)))
		.sort(newestFirst);
}

/** `/api/users/{id}` takes "the user name" (user1 for user1@contoso.com): the account name or the UPN's first part. */
function isUser(account: Record<string, unknown> | undefined, name: string): boolean {
	if (!account) return false;
	const wanted = name.toLowerCase();
	const upnName = String(account.userPrincipalName ?? '').split('@')[0].toLowerCase();
	return String(account.accountName ?? '').toLowerCase() === wanted || (upnName !== '' && upnName === wanted);
}

export function alertsOfUser(store: Store, name: string): Alert[] {
	return store
		.listAlerts()
		.filter((alert) => alert.evidence.some((evidence) => isUser(userAccountOf(evidence), name)))
		.sort(newestFirst);
}

function huntingRows(store: Store, table: string): HuntingRow[] {
	return [...(store.huntingTables.get(table.toLowerCase())?.rows() ?? [])];
}

function machinesById(store: Store, ids: Iterable<string>): Machine[] {
	const wanted = new Set([...ids].map((id) => id.toLowerCase()));
	return store.machines.filter((machine) => wanted.has(machine.id.toLowerCase()));
}

export function machinesOfFile(store: Store, sha1: string): Machine[] {
	const wanted = sha1.toLowerCase();
	const ids = new Set<string>();
	for (const row of huntingRows(store, 'DeviceProcessEvents')) if (String(row.SHA1).toLowerCase() === wanted) ids.add(String(row.DeviceId));
	for (const alert of alertsOfFile(store, sha1)) {
		const id = deviceIdOf(alert);
		if (id) ids.add(id);
	}
	return machinesById(store, ids);
}

export function machinesOfDomain(store: Store, domain: string): Machine[] {
	const ids = new Set<string>();
	for (const row of huntingRows(store, 'DeviceNetworkEvents')) if (sameOrSubdomain(String(row.RemoteUrl).toLowerCase(), domain)) ids.add(String(row.DeviceId));
	for (const alert of alertsOfDomain(store, domain)) {
		const id = deviceIdOf(alert);
		if (id) ids.add(id);
	}
	return machinesById(store, ids).slice(0, 500);
}

export interface Prevalence {
	organizationPrevalence: number;
	orgFirstSeen: string | null;
	orgLastSeen: string | null;
}

function prevalence(rows: HuntingRow[], sinceMs: number): Prevalence {
	const recent = rows.filter((row) => (row.Timestamp as Date).getTime() >= sinceMs);
	const devices = new Set(recent.map((row) => String(row.DeviceId)));
	const times = recent.map((row) => (row.Timestamp as Date).getTime());
	return {
		organizationPrevalence: devices.size,
		orgFirstSeen: times.length ? new Date(Math.min(...times)).toISOString().replace(/\.\d+Z$/, 'Z') : null,
		orgLastSeen: times.length ? new Date(Math.max(...times)).toISOString().replace(/\.\d+Z$/, 'Z') : null,
	};
}

export function filePrevalence(store: Store, sha1: string, sinceMs: number): Prevalence & { topFileNames: string[] } {
	const wanted = sha1.toLowerCase();
	const rows = huntingRows(store, 'DeviceProcessEvents').filter((row) => String(row.SHA1).toLowerCase() === wanted);
	const names = [...new Set(rows.map((row) => String(row.FileName)))];
	return { ...prevalence(rows, sinceMs), topFileNames: names.slice(0, 5) };
}

export function ipPrevalence(store: Store, ip: string, sinceMs: number): Prevalence {
	return prevalence(
		huntingRows(store, 'DeviceNetworkEvents').filter((row) => row.RemoteIP === ip || row.LocalIP === ip),
		sinceMs,
	);
}

export function domainPrevalence(store: Store, domain: string, sinceMs: number): Prevalence {
	return prevalence(
		huntingRows(store, 'DeviceNetworkEvents').filter((row) => sameOrSubdomain(String(row.RemoteUrl).toLowerCase(), domain)),
		sinceMs,
	);
}

/** One or two people per device, plus everyone an alert on it names. */
export function logonUsersOf(store: Store, machine: Machine): DirectoryUser[] {
	const users = store.users;
	if (users.length === 0) return [];
	const picked = new Map<string, DirectoryUser>();
	const hash = stableHash(machine.id);
	picked.set(users[hash % users.length].accountName, users[hash % users.length]);
	if (hash % 3 === 0) {
		const second = users[(hash >>> 8) % users.length];
		picked.set(second.accountName, second);
	}
	for (const alert of alertsOfMachine(store, machine.id)) {
		for (const evidence of alert.evidence) {
			const account = userAccountOf(evidence);
			const user = account ? users.find((candidate) => candidate.accountName === account.accountName) : undefined;
			if (user) picked.set(user.accountName, user);
		}
	}
	return [...picked.values()];
}

export function logonUserEntity(store: Store, machine: Machine, user: DirectoryUser): Record<string, unknown> {
	const hash = stableHash(`${machine.id}|${user.accountName}`);
	const lastSeenMs = Date.parse(machine.lastSeen) - (hash % 600) * 60_000;
	return {
		id: `${user.domainName.toLowerCase()}\\${user.accountName}`,
		accountName: user.accountName,
		accountDomain: user.domainName.toLowerCase(),
		accountSid: user.userSid,
		firstSeen: new Date(Math.max(Date.parse(machine.firstSeen), lastSeenMs - 90 * 86_400_000)).toISOString().replace(/\.\d+Z$/, 'Z'),
		lastSeen: new Date(lastSeenMs).toISOString().replace(/\.\d+Z$/, 'Z'),
		mostPrevalentMachineId: machine.id,
		leastPrevalentMachineId: machine.id,
		logonTypes: machine.osPlatform.startsWith('WindowsServer') ? 'RemoteInteractive' : 'Interactive',
		logOnMachinesCount: machinesOfUser(store, user.accountName).length,
		isDomainAdmin: user.department === 'IT',
		isOnlyNetworkUser: false,
	};
}

export function machinesOfUser(store: Store, name: string): Machine[] {
	return store.machines.filter((machine) =>
		logonUsersOf(store, machine).some((user) => isUser({ accountName: user.accountName, userPrincipalName: user.userPrincipalName }, name)),
	);
}

export function mdeMachine(machine: Machine): Record<string, unknown> {
	return { ...machine, machineTags: [...machine.machineTags], ipAddresses: machine.ipAddresses.map((address) => ({ ...address })) };
}

// --- Vulnerability management catalogue ------------------------------------------------------

interface SoftwareTemplate {
	vendor: string;
	name: string;
	platforms: string[];
	/** Share of matching devices that have it, in percent. */
	share: number;
	version: string;
	recommendedVersion: string;
	cves: string[];
}

interface VulnerabilityTemplate {
	id: string;
	severity: 'Low' | 'Medium' | 'High' | 'Critical';
	cvssV3: number;
	publishedOn: string;
	description: string;
	publicExploit: boolean;
}

const WINDOWS = ['Windows10', 'Windows11', 'WindowsServer2019', 'WindowsServer2022'];

const SOFTWARE: SoftwareTemplate[] = [
	{ vendor: 'microsoft', name: 'windows_10', platforms: ['Windows10'], share: 100, version: '10.0.19045.3803', recommendedVersion: '10.0.19045.4291', cves: ['CVE-2024-21338', 'CVE-2024-26218'] },
	{ vendor: 'microsoft', name: 'windows_11', platforms: ['Windows11'], share: 100, version: '10.0.22631.3007', recommendedVersion: '10.0.22631.3447', cves: ['CVE-2024-21338', 'CVE-2024-21412'] },
	{ vendor: 'microsoft', name: 'windows_server_2019', platforms: ['WindowsServer2019'], share: 100, version: '10.0.17763.5329', recommendedVersion: '10.0.17763.5696', cves: ['CVE-2024-21338', 'CVE-2024-21320'] },
	{ vendor: 'microsoft', name: 'windows_server_2022', platforms: ['WindowsServer2022'], share: 100, version: '10.0.20348.2227', recommendedVersion: '10.0.20348.2402', cves: ['CVE-2024-21320'] },
	{ vendor: 'microsoft', name: 'edge_chromium-based', platforms: WINDOWS, share: 90, version: '120.0.2210.91', recommendedVersion: '124.0.2478.51', cves: ['CVE-2024-0519'] },
	{ vendor: 'google', name: 'chrome', platforms: [...WINDOWS, 'macOS'], share: 55, version: '120.0.6099.130', recommendedVersion: '124.0.6367.60', cves: ['CVE-2024-0519', 'CVE-2023-7024'] },
	{ vendor: 'microsoft', name: '365_apps_for_enterprise', platforms: ['Windows10', 'Windows11', 'macOS'], share: 85, version: '16.0.17126.20132', recommendedVersion: '16.0.17425.20176', cves: ['CVE-2024-21413'] },
	{ vendor: 'oracle', name: 'jre', platforms: [...WINDOWS, 'Linux'], share: 30, version: '8.0.381', recommendedVersion: '8.0.411', cves: ['CVE-2024-20918'] },
	{ vendor: '7-zip', name: '7-zip', platforms: ['Windows10', 'Windows11'], share: 40, version: '22.01', recommendedVersion: '24.07', cves: ['CVE-2024-11477'] },
	{ vendor: 'openssl', name: 'openssl', platforms: ['Linux', 'macOS'], share: 100, version: '3.0.2', recommendedVersion: '3.0.13', cves: ['CVE-2023-5678', 'CVE-2024-0727'] },
	{ vendor: 'apple', name: 'macos', platforms: ['macOS'], share: 100, version: '14.4', recommendedVersion: '14.4.1', cves: ['CVE-2024-23225'] },
	{ vendor: 'canonical', name: 'ubuntu_linux', platforms: ['Linux'], share: 100, version: '22.04', recommendedVersion: '22.04', cves: [] },
];

const VULNERABILITIES: VulnerabilityTemplate[] = [
	{ id: 'CVE-2024-21338', severity: 'High', cvssV3: 7.8, publishedOn: '2024-02-13T00:00:00Z', description: 'Windows Kernel Elevation of Privilege Vulnerability', publicExploit: true },
	{ id: 'CVE-2024-26218', severity: 'High', cvssV3: 7.8, publishedOn: '2024-04-09T00:00:00Z', description: 'Windows Kernel Elevation of Privilege Vulnerability', publicExploit: false },
	{ id: 'CVE-2024-21412', severity: 'High', cvssV3: 8.1, publishedOn: '2024-02-13T00:00:00Z', description: 'Internet Shortcut Files Security Feature Bypass Vulnerability', publicExploit: true },
	{ id: 'CVE-2024-21320', severity: 'Medium', cvssV3: 6.5, publishedOn: '2024-01-09T00:00:00Z', description: 'Windows Themes Spoofing Vulnerability', publicExploit: false },
	{ id: 'CVE-2024-0519', severity: 'High', cvssV3: 8.8, publishedOn: '2024-01-16T00:00:00Z', description: 'Out of bounds memory access in V8 in Google Chrome', publicExploit: true },
	{ id: 'CVE-2023-7024', severity: 'High', cvssV3: 8.8, publishedOn: '2023-12-21T00:00:00Z', description: 'Heap buffer overflow in WebRTC in Google Chrome', publicExploit: true },
	{ id: 'CVE-2024-21413', severity: 'Critical', cvssV3: 9.8, publishedOn: '2024-02-13T00:00:00Z', description: 'Microsoft Outlook Remote Code Execution Vulnerability', publicExploit: true },
	{ id: 'CVE-2024-20918', severity: 'Medium', cvssV3: 7.4, publishedOn: '2024-01-16T00:00:00Z', description: 'Vulnerability in the Oracle Java SE, Hotspot component', publicExploit: false },
	{ id: 'CVE-2024-11477', severity: 'High', cvssV3: 7.8, publishedOn: '2024-11-22T00:00:00Z', description: '7-Zip Zstandard Decompression Integer Underflow Remote Code Execution Vulnerability', publicExploit: false },
	{ id: 'CVE-2023-5678', severity: 'Medium', cvssV3: 5.3, publishedOn: '2023-11-06T00:00:00Z', description: 'Excessive time spent in DH check / generation with large Q parameter value', publicExploit: false },
	{ id: 'CVE-2024-0727', severity: 'Low', cvssV3: 5.5, publishedOn: '2024-01-26T00:00:00Z', description: 'PKCS12 Decoding crashes', publicExploit: false },
	{ id: 'CVE-2024-23225', severity: 'High', cvssV3: 7.8, publishedOn: '2024-03-05T00:00:00Z', description: 'A memory corruption issue in the kernel', publicExploit: true },
];

function softwareId(template: SoftwareTemplate): string {
	return `${template.vendor}-_-${template.name}`;
}

function softwareOf(machine: Machine): SoftwareTemplate[] {
	return SOFTWARE.filter(
		(template) => template.platforms.includes(machine.osPlatform) && stableHash(`${machine.id}|${softwareId(template)}`) % 100 < template.share,
	);
}

function machinesWith(store: Store, template: SoftwareTemplate): Machine[] {
	return store.machines.filter((machine) => softwareOf(machine).includes(template));
}

function machinesExposedTo(store: Store, cve: string): Machine[] {
	return store.machines.filter((machine) => softwareOf(machine).some((template) => template.cves.includes(cve)));
}

function softwareEntity(store: Store, template: SoftwareTemplate): Record<string, unknown> {
	const exposed = machinesWith(store, template).length;
	const cves = VULNERABILITIES.filter((vulnerability) => template.cves.includes(vulnerability.id));
	return {
		id: softwareId(template),
		name: template.name,
		vendor: template.vendor,
		weaknesses: cves.length,
		publicExploit: cves.some((vulnerability) => vulnerability.publicExploit),
		activeAlert: false,
		exposedMachines: cves.length > 0 ? exposed : 0,
		installedMachines: exposed,
		impactScore: Math.round(cves.reduce((sum, vulnerability) => sum + vulnerability.cvssV3, 0) * 100) / 100,
		isNormalized: true,
		category: '',
		distributions: [],
	};
}

function vulnerabilityEntity(store: Store, template: VulnerabilityTemplate): Record<string, unknown> {
	return {
		id: template.id,
		name: template.id,
		description: template.description,
		severity: template.severity,
		cvssV3: template.cvssV3,
		cvssVector: 'CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H',
		exposedMachines: machinesExposedTo(store, template.id).length,
		publishedOn: template.publishedOn,
		updatedOn: template.publishedOn,
		publicExploit: template.publicExploit,
		exploitVerified: template.publicExploit,
		exploitInKit: false,
		exploitTypes: template.publicExploit ? ['PrivilegeEscalation'] : [],
		exploitUris: [],
		cveSupportability: 'Supported',
	};
}

function recommendationEntity(store: Store, template: SoftwareTemplate): Record<string, unknown> {
	const installed = machinesWith(store, template);
	const cves = template.cves.length;
	const exposed = cves > 0 ? installed.length : 0;
	const os = ['windows_10', 'windows_11', 'windows_server_2019', 'windows_server_2022', 'macos', 'ubuntu_linux'].includes(template.name);
	return {
		id: `va-_-${softwareId(template)}`,
		productName: template.name,
		recommendationName: `Update ${template.name.replace(/_/g, ' ')}`,
		weaknesses: cves,
		vendor: template.vendor,
		recommendedVersion: template.recommendedVersion,
		recommendedProgram: null,
		recommendedVendor: null,
		recommendationCategory: os ? 'OS' : 'Application',
		subCategory: '',
		severityScore: cves > 0 ? Math.max(...VULNERABILITIES.filter((vulnerability) => template.cves.includes(vulnerability.id)).map((vulnerability) => vulnerability.cvssV3)) : 0,
		publicExploit: VULNERABILITIES.some((vulnerability) => template.cves.includes(vulnerability.id) && vulnerability.publicExploit),
		activeAlert: false,
		associatedThreats: [],
		remediationType: 'Update',
		status: 'Active',
		configScoreImpact: 0,
		exposureImpact: Math.round(exposed * 10) / 100,
		totalMachineCount: installed.length,
		exposedMachinesCount: exposed,
		nonProductivityImpactedAssets: 0,
		relatedComponent: template.name,
	};
}

export function allSoftware(store: Store): Record<string, unknown>[] {
	return SOFTWARE.map((template) => softwareEntity(store, template));
}

export function allVulnerabilities(store: Store): Record<string, unknown>[] {
	return VULNERABILITIES.map((template) => vulnerabilityEntity(store, template));
}

/**
 * Configuration recommendations, which no software carries: recommendationCategory SecurityControls,
 * remediationType ConfigurationChange (values of recommendation.md in MicrosoftDocs/defender-docs,
 * defender-endpoint/api). Listed after the software ones.
 */
const CONFIGURATION_RECOMMENDATIONS = [
	{ id: 'scid-2011', name: 'Update Microsoft Defender Antivirus definitions', category: 'SecurityControls', subCategory: 'Antivirus', platforms: WINDOWS, share: 25, severityScore: 8 },
];

function configurationRecommendationEntity(store: Store, template: (typeof CONFIGURATION_RECOMMENDATIONS)[number]): Record<string, unknown> {
	const exposed = store.machines.filter((machine) => template.platforms.includes(machine.osPlatform) && stableHash(`${machine.id}|${template.id}`) % 100 < template.share);
	const applicable = store.machines.filter((machine) => template.platforms.includes(machine.osPlatform));
	return {
		id: template.id,
		productName: null,
		recommendationName: template.name,
		weaknesses: 0,
		vendor: null,
		recommendedVersion: '',
		recommendedProgram: null,
		recommendedVendor: null,
		recommendationCategory: template.category,
		subCategory: template.subCategory,
		severityScore: template.severityScore,
		publicExploit: false,
		activeAlert: false,
		associatedThreats: [],
		remediationType: 'ConfigurationChange',
		status: 'Active',
		configScoreImpact: Math.round(exposed.length * 10) / 100,
		exposureImpact: 0,
		totalMachineCount: applicable.length,
		exposedMachinesCount: exposed.length,
		nonProductivityImpactedAssets: 0,
		relatedComponent: template.subCategory,
	};
}

export function allRecommendations(store: Store): Record<string, unknown>[] {
	return [
		...SOFTWARE.filter((template) => template.cves.length > 0).map((template) => recommendationEntity(store, template)),
		...CONFIGURATION_RECOMMENDATIONS.map((template) => configurationRecommendationEntity(store, template)),
	];
}

export function softwareOfMachine(store: Store, machine: Machine): Record<string, unknown>[] {
	return softwareOf(machine).map((template) => softwareEntity(store, template));
}

export function vulnerabilitiesOfMachine(store: Store, machine: Machine): Record<string, unknown>[] {
	const cves = new Set(softwareOf(machine).flatMap((template) => template.cves));
	return VULNERABILITIES.filter((template) => cves.has(template.id)).map((template) => vulnerabilityEntity(store, template));
}

export function recommendationsOfMachine(store: Store, machine: Machine): Record<string, unknown>[] {
	return softwareOf(machine).filter((template) => template.cves.length > 0).map((template) => recommendationEntity(store, template));
}

// --- Vulnerability management drill-down (tvm.ts serves it) ---------------------------------

export interface FixingKb {
	id: string;
	name: string;
}

/**
 * The security update that fixes each product's CVEs, where Windows ships one (get-missing-kbs-*.md:
 * PublicProductFixDto). Browsers, Office (Click-to-Run) and non-Microsoft products have none.
 */
const FIXING_KBS: Record<string, FixingKb> = {
	'microsoft-_-windows_10': { id: '5036892', name: 'April 2024 Security Updates' },
	'microsoft-_-windows_11': { id: '5036893', name: 'April 2024 Security Updates' },
	'microsoft-_-windows_server_2019': { id: '5036896', name: 'April 2024 Security Updates' },
	'microsoft-_-windows_server_2022': { id: '5036909', name: 'April 2024 Security Updates' },
};

function softwareTemplate(id: string): SoftwareTemplate | undefined {
	return SOFTWARE.find((template) => softwareId(template).toLowerCase() === id.toLowerCase());
}

/** get-machines-by-vulnerability.md and friends: MachineReferences carry only these four fields. */
export function machineReference(machine: Machine): Record<string, unknown> {
	return { id: machine.id, computerDnsName: machine.computerDnsName, osPlatform: machine.osPlatform, rbacGroupName: machine.rbacGroupName };
}

export function isKnownCve(cve: string): boolean {
	return VULNERABILITIES.some((template) => template.id.toLowerCase() === cve.toLowerCase());
}

export function machinesExposedToCve(store: Store, cve: string): Machine[] {
	const known = VULNERABILITIES.find((template) => template.id.toLowerCase() === cve.toLowerCase());
	return known ? machinesExposedTo(store, known.id) : [];
}

export function isKnownSoftware(id: string): boolean {
	return softwareTemplate(id) !== undefined;
}

export function machinesWithSoftware(store: Store, id: string): Machine[] {
	const template = softwareTemplate(id);
	return template ? machinesWith(store, template) : [];
}

export function vulnerabilitiesOfSoftware(store: Store, id: string): Record<string, unknown>[] {
	const template = softwareTemplate(id);
	return VULNERABILITIES.filter((vulnerability) => template?.cves.includes(vulnerability.id)).map((vulnerability) => vulnerabilityEntity(store, vulnerability));
}

/** get-software-ver-distribution.md: every device runs the catalogue's one version of a product. */
export function versionDistribution(store: Store, id: string): Record<string, unknown>[] {
	const template = softwareTemplate(id);
	if (!template) return [];
	return [{ version: template.version, installations: machinesWith(store, template).length, vulnerabilities: template.cves.length }];
}

function productFix(template: SoftwareTemplate, kb: FixingKb, machinesMissing: number): Record<string, unknown> {
	return {
		id: kb.id,
		name: kb.name,
		productsNames: [template.name],
		url: `https://catalog.update.microsoft.com/v7/site/Search.aspx?q=KB${kb.id}`,
		machineMissedOn: machinesMissing,
		cveAddressed: template.cves.length,
	};
}

export function missingKbsOfSoftware(store: Store, id: string): Record<string, unknown>[] {
	const template = softwareTemplate(id);
	const kb = template ? FIXING_KBS[softwareId(template)] : undefined;
	return template && kb ? [productFix(template, kb, machinesWith(store, template).length)] : [];
}

export function missingKbsOfMachine(machine: Machine): Record<string, unknown>[] {
	return softwareOf(machine).flatMap((template) => {
		const kb = FIXING_KBS[softwareId(template)];
		return kb ? [productFix(template, kb, 1)] : [];
	});
}

/** get-all-vulnerabilities-by-machines.md: PublicAssetVulnerabilityDto, one per device, product version and CVE. */
export function machineVulnerabilityRows(store: Store): Record<string, unknown>[] {
	return store.machines.flatMap((machine) =>
		softwareOf(machine).flatMap((template) =>
			template.cves.map((cve) => {
				const kb = FIXING_KBS[softwareId(template)] ?? null;
				const severity = VULNERABILITIES.find((vulnerability) => vulnerability.id === cve)?.severity ?? 'Low';
				return {
					id: [machine.id, cve, template.vendor, template.name, template.version, kb?.id ?? ''].join('-_-'),
					cveId: cve,
					machineId: machine.id,
					fixingKbId: kb?.id ?? null,
					productName: template.name,
					productVendor: template.vendor,
					productVersion: template.version,
					severity,
				};
			}),
		),
	);
}

function recommendationSoftware(id: string): SoftwareTemplate | undefined {
	const match = /^va-_-(.+)$/i.exec(id);
	return match ? softwareTemplate(match[1]) : undefined;
}

export function isKnownRecommendation(store: Store, id: string): boolean {
	return allRecommendations(store).some((recommendation) => String(recommendation.id).toLowerCase() === id.toLowerCase());
}

/** The devices a recommendation applies to: those exposed through its software, or failing its configuration check. */
export function machinesOfRecommendation(store: Store, id: string): Machine[] {
	const template = recommendationSoftware(id);
	if (template) return template.cves.length > 0 ? machinesWith(store, template) : [];
	const configuration = CONFIGURATION_RECOMMENDATIONS.find((candidate) => candidate.id.toLowerCase() === id.toLowerCase());
	if (!configuration) return [];
	return store.machines.filter((machine) => configuration.platforms.includes(machine.osPlatform) && stableHash(`${machine.id}|${configuration.id}`) % 100 < configuration.share);
}

export function softwareOfRecommendation(store: Store, id: string): Record<string, unknown> | undefined {
	const template = recommendationSoftware(id);
	return template ? softwareEntity(store, template) : undefined;
}

export function vulnerabilitiesOfRecommendation(store: Store, id: string): Record<string, unknown>[] {
	const template = recommendationSoftware(id);
	return template ? vulnerabilitiesOfSoftware(store, softwareId(template)) : [];
}

/** Configuration checks a device passes and may fail, for the device secure score. */
export function configurationChecks(store: Store): { applicable: number; failing: number } {
	let applicable = 0;
	let failing = 0;
	for (const configuration of CONFIGURATION_RECOMMENDATIONS) {
		const machines = store.machines.filter((machine) => configuration.platforms.includes(machine.osPlatform));
		applicable += machines.length;
		failing += machinesOfRecommendation(store, configuration.id).length;
	}
	return { applicable, failing };
}

/** CVSS v3 scores of the CVEs a device is exposed to, for exposure scores. */
export function cvssOfMachine(machine: Machine): number[] {
	const cves = new Set(softwareOf(machine).flatMap((template) => template.cves));
	return VULNERABILITIES.filter((vulnerability) => cves.has(vulnerability.id)).map((vulnerability) => vulnerability.cvssV3);
}
