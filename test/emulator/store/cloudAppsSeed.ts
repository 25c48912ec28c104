import { SeededRandom } from './random';
import type {
	CloudAppsActivity,
	CloudAppsAlert,
	CloudAppsEntity,
	CloudAppsEntityKey,
	CloudAppsFile,
	CloudAppsState,
	CloudAppsSubnet,
	DirectoryUser,
} from './types';

/**
 * The seeded Defender for Cloud Apps tenant: the directory users as Cloud Apps users with their app accounts, files
 * in OneDrive / SharePoint / Box, activities, alerts and IP ranges. It draws from its own random sequence so the rest
 * of the seed stays as it was.
 */

const DAY_MS = 86_400_000;

/** App ids as the pages' examples use them (11161 Office 365, 11770 Google Workspace, 20893 Exchange Online). */
export const CLOUD_APPS_SERVICES = {
	office365: { id: 11161, name: 'Microsoft 365' },
	exchange: { id: 20893, name: 'Microsoft Exchange Online' },
	sharePoint: { id: 20892, name: 'Microsoft SharePoint Online' },
	oneDrive: { id: 15600, name: 'Microsoft OneDrive for Business' },
	box: { id: 10489, name: 'Box' },
} as const;

/** The seeded user whose mass download raised an alert (the playbook in examples/ starts from it). */
export const MASS_DOWNLOAD_ALERT_TITLE = 'Mass download by a single user';

const FILE_TYPES: Array<[number, string, string, string]> = [
	[1, 'DOCUMENT', 'docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
	[2, 'SPREADSHEET', 'xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
	[3, 'PRESENTATION', 'pptx', 'application/vnd.openxmlformats-officedocument.presentationml.presentation'],
	[4, 'TEXT', 'txt', 'text/plain'],
	[5, 'IMAGE', 'png', 'image/png'],
	[0, 'OTHER', 'zip', 'application/zip'],
];
const SHARING_LEVELS = ['PRIVATE', 'INTERNAL', 'EXTERNAL', 'PUBLIC', 'PUBLIC_INTERNET'];
const ALERT_TEMPLATES: Array<{ title: string; alertType: number; stories: number[]; intent: number[] }> = [
	{ title: MASS_DOWNLOAD_ALERT_TITLE, alertType: 15600, stories: [0], intent: [11] },
	{ title: 'Impossible travel activity', alertType: 20001, stories: [0], intent: [2] },
	{ title: 'Activity from infrequent country', alertType: 20002, stories: [0], intent: [2] },
	{ title: 'Suspicious inbox forwarding', alertType: 20003, stories: [0], intent: [10, 11] },
	{ title: 'File shared with unauthorized domain', alertType: 20004, stories: [3, 5], intent: [11] },
	{ title: 'Unusual file deletion activity', alertType: 20005, stories: [0], intent: [13] },
];
const ACTIVITY_TYPES = ['Download file', 'Upload file', 'Log on', 'Share file', 'Delete file', 'Create anonymous link', 'Run command'];
const COUNTRIES = ['US', 'GB', 'DE', 'FR', 'IN', 'BR'];
const USER_AGENTS = [
	'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36 Edg/120.0',
	'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_2) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15',
	'Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17126; Pro)',
];

export interface CloudAppsSeedOptions {
	seed: number;
	anchorMs: number;
	tenantId: string;
	users: DirectoryUser[];
	/** The tenant's portal URL, for the alerts' `URL`. */
	portalUrl?: string;
}

/** A 24-hex-digit id shaped like the pages' (`603f704aaf7417985bbf3b22`: seconds, then random). */
export function objectId(random: SeededRandom, timeMs: number): string {
	return Math.floor(timeMs / 1000).toString(16).padStart(8, '0').slice(-8) + random.hex(16);
}

export function entityKeyOf(entity: CloudAppsEntityKey): CloudAppsEntityKey {
	return { id: entity.id, saas: entity.saas, inst: entity.inst };
}

export function buildCloudAppsSeed(options: CloudAppsSeedOptions): CloudAppsState {
	const random = new SeededRandom(options.seed ^ 0x5ca1ab1e);
	const anchor = options.anchorMs;
	const portal = options.portalUrl ?? 'https://contoso.us3.portal.cloudappsecurity.com';
	const numericTenantId = 100_000_000 + random.int(0, 899_999_999);
	const entities: CloudAppsEntity[] = [];
	const accountsOf = new Map<string, CloudAppsEntity[]>();

	for (const [index, user] of options.users.entries()) {
		const userEntity: CloudAppsEntity = {
			id: user.aadUserId,
			saas: CLOUD_APPS_SERVICES.office365.id,
			inst: 0,
			type: 'user',
			displayName: user.displayName,
			email: user.userPrincipalName,
			domain: 'contoso.com',
			organization: user.department,
			isAdmin: index % 9 === 0,
			isExternal: false,
			status: index % 13 === 12 ? 3 : 2,
			score: random.int(0, 120),
			lastSeen: anchor - random.int(0, 7 * DAY_MS),
			userGroups: index % 2 === 0 ? ['5f759b4d106abbe4a504ea5d'] : [],
			appName: CLOUD_APPS_SERVICES.office365.name,
			parent: null,
		};
		entities.push(userEntity);
		const accountServices = [CLOUD_APPS_SERVICES.sharePoint, CLOUD_APPS_SERVICES.oneDrive, ...(index % 3 === 0 ? [CLOUD_APPS_SERVICES.box] : [])];
		const accounts = accountServices.map(
			(service): CloudAppsEntity => ({
				...userEntity,
				id: user.userPrincipalName,
				saas: service.id,
				type: 'account',
				appName: service.name,
				parent: entityKeyOf(userEntity),
				lastSeen: anchor - random.int(0, 7 * DAY_MS),
			}),
		);
		entities.push(...accounts);
		accountsOf.set(user.aadUserId, accounts);
	}

	const files: CloudAppsFile[] = [];
	for (const [index, user] of options.users.entries()) {
		const accounts = accountsOf.get(user.aadUserId) ?? [];
		const count = index === 0 ? 8 : random.int(1, 4);
		for (let fileIndex = 0; fileIndex < count; fileIndex++) {
			const owner = accounts[fileIndex % accounts.length];
			const [typeCode, typeName, extension, mimeType] = random.pick(FILE_TYPES);
			// The mass-download user shares half of their files publicly: what the playbook looks for.
			const sharing = index === 0 ? (fileIndex % 2 === 0 ? 4 : 1) : random.weighted<number>([[0, 4], [1, 4], [2, 2], [3, 1], [4, 1]]);
			const created = anchor - random.int(10, 400) * DAY_MS;
			const domain = sharing >= 2 ? random.pick(['fabrikam.com', 'gmail.com', 'outlook.com']) : 'contoso.com';
			files.push({
				_id: objectId(random, created),
				appId: owner.saas,
				appName: owner.appName,
				instance: 0,
				name: `${user.accountName}-${['budget', 'roadmap', 'contacts', 'export', 'notes', 'design'][fileIndex % 6]}-${fileIndex + 1}.${extension}`,
				fileType: [typeCode, typeName],
				fileAccessLevel: [sharing, SHARING_LEVELS[sharing]],
				ownerAddress: user.userPrincipalName,
				ownerName: user.displayName,
				owner: entityKeyOf(owner),
				ownerOrgUnit: user.department,
				createdDate: created,
				modifiedDate: created + random.int(0, 9) * DAY_MS,
				fileExtension: extension,
				mimeType,
				collaborators: sharing === 0 ? [] : [{ email: `partner@${domain}`, domain, type: sharing >= 3 ? 'ANYONE_WITH_LINK' : 'USER' }],
				isFolder: false,
				trashed: false,
				deleted: false,
				quarantined: random.chance(0.05),
				fileLabels: [],
				alternateLink: `https://contoso-my.sharepoint.com/personal/${user.accountName}/Documents/${fileIndex + 1}`,
			});
		}
	}

	const activities: CloudAppsActivity[] = [];
	for (let index = 0; index < 240; index++) {
		const userIndex = index < 40 ? 0 : random.int(0, options.users.length - 1);
		const user = options.users[userIndex];
		const time = anchor - random.int(1, 14 * DAY_MS);
		const eventTypeName = index < 40 ? 'Download file' : random.pick(ACTIVITY_TYPES);
		activities.push(newActivity(random, { tenantId: options.tenantId, user, time, eventTypeName, isAdmin: userIndex % 9 === 0 }));
	}

	const alerts: CloudAppsAlert[] = [];
	for (let index = 0; index < 40; index++) {
		const template = index === 0 ? ALERT_TEMPLATES[0] : random.pick(ALERT_TEMPLATES.slice(1));
		const user = index === 0 ? options.users[0] : random.pick(options.users);
		const time = index === 0 ? anchor - 3_600_000 : anchor - random.int(1, 30 * DAY_MS);
		const closed = index !== 0 && random.chance(0.3);
		const id = objectId(random, time);
		const service = random.pick([CLOUD_APPS_SERVICES.sharePoint, CLOUD_APPS_SERVICES.oneDrive, CLOUD_APPS_SERVICES.exchange]);
		const resolutionStatusValue = closed ? random.pick([3, 4, 5]) : 0;
		alerts.push({
			_id: id,
			contextId: options.tenantId,
			timestamp: time,
			title: template.title,
			description: `${user.displayName} ${template.title === MASS_DOWNLOAD_ALERT_TITLE ? `downloaded ${random.int(120, 400)} files in 5 minutes` : 'triggered the policy'}.`,
			isMarkdown: false,
			statusValue: closed || random.chance(0.3) ? 1 : 0,
			severityValue: index === 0 ? 2 : random.int(0, 3),
			resolutionStatusValue,
			stories: template.stories,
			evidence: [{ shortDescription: `${user.displayName} used ${service.name}` }],
			intent: template.intent,
			isPreview: false,
			entities: [
				{ id: user.aadUserId, type: 'account', label: user.displayName, entityRole: 'Source', entityType: 2, inst: 0, saas: CLOUD_APPS_SERVICES.office365.id, pa: user.userPrincipalName },
				{ id: service.id, type: 'service', label: service.name },
				{ id: `pol${template.alertType}`, type: 'policyRule', label: template.title, policyType: 'ANOMALY_DETECTION' },
				{ id: `198.51.100.${random.int(1, 254)}`, type: 'ip', label: 'IP address' },
			],
			idValue: 15_795_000 + index,
			isSystemAlert: false,
			threatScore: random.int(5, 90),
			comment: '',
			handledByUser: closed ? 'secops@contoso.com' : null,
			resolveTime: closed ? new Date(time + DAY_MS).toISOString() : null,
			URL: `${portal}/#/alerts/${id}`,
			hidden: { alertType: template.alertType, risk: random.int(1, 10), source: random.chance(0.7) ? 'builtin' : 'policy', resolutionDate: closed ? time + DAY_MS : null },
		});
	}

	const subnets: CloudAppsSubnet[] = [
		{
			_id: objectId(random, anchor - 90 * DAY_MS),
			name: 'Contoso HQ',
			subnets: [subnetOf('203.0.113.0/24')],
			location: { name: 'United States', countryCode: 'US' },
			organization: 'Contoso',
			tags: [{ _id: objectId(random, anchor), id: '000000290000000000000000', name: 'Contoso', target: 1, type: 2 }],
			category: 1,
			lastModified: anchor - 90 * DAY_MS,
			builtIn: false,
			_tid: numericTenantId,
		},
		{
			_id: objectId(random, anchor - 60 * DAY_MS),
			name: 'Contoso VPN',
			subnets: [subnetOf('198.51.100.0/25'), subnetOf('2001:db8:10::/48')],
			location: null,
			organization: 'Contoso',
			tags: [],
			category: 4,
			lastModified: anchor - 60 * DAY_MS,
			builtIn: false,
			_tid: numericTenantId,
		},
	];

	return {
		numericTenantId,
		alerts,
		activities,
		files,
		entities,
		subnets,
		bannedDomains: ['dropfiles.example', 'pastebin.example', 'anonshare.example'],
		alertFeedback: [],
	};
}

export interface NewActivityInput {
	tenantId: string;
	user: Pick<DirectoryUser, 'aadUserId' | 'userPrincipalName' | 'department'>;
	time: number;
	eventTypeName?: string;
	isAdmin?: boolean;
	service?: { id: number; name: string };
}

export function newActivity(random: SeededRandom, input: NewActivityInput): CloudAppsActivity {
	const service = input.service ?? random.pick([CLOUD_APPS_SERVICES.sharePoint, CLOUD_APPS_SERVICES.oneDrive, CLOUD_APPS_SERVICES.exchange]);
	const eventTypeName = input.eventTypeName ?? random.pick(ACTIVITY_TYPES);
	return {
		_id: `${random.hex(32)}_${random.int(10000, 99999)}_${random.guid()}`,
		tenantId: input.tenantId,
		appId: service.id,
		appName: service.name,
		instance: 0,
		timestamp: input.time,
		created: input.time + random.int(1000, 120_000),
		eventTypeName,
		description: `${eventTypeName} by ${input.user.userPrincipalName}`,
		ipAddress: `198.51.100.${random.int(1, 254)}`,
		location: { countryCode: random.pick(COUNTRIES), city: 'Redmond', organizationSearchable: 'Contoso' },
		user: { userName: input.user.userPrincipalName, orgUnit: input.user.department, tags: [], domain: 'contoso.com' },
		userAgent: { userAgent: random.pick(USER_AGENTS), tags: [] },
		device: { type: random.pick(['DESKTOP', 'MOBILE', 'TABLET']), tags: [] },
		isAdmin: input.isAdmin ?? false,
		isImpersonated: false,
		actor: { id: input.user.aadUserId, saas: CLOUD_APPS_SERVICES.office365.id, inst: 0 },
		hidden: { source: 2, alertIds: [], fileIds: [], ipCategory: null, takenAction: null, policies: [] },
		feedback: [],
	};
}

/** IPv4 ranges are stored as IPv4-mapped IPv6 with the mask plus 96 (api-data-enrichment-list.md's example). */
export function subnetOf(cidr: string): CloudAppsSubnet['subnets'][number] {
	const [address, maskText] = cidr.split('/');
	const groups = address.includes(':') ? expandIpv6(address) : ipv4MappedGroups(address);
	const mask = address.includes(':') ? Number(maskText) : Number(maskText) + 96;
	const masked = groups.map((group, index) => {
		const bitsBefore = index * 16;
		const keep = Math.max(0, Math.min(16, mask - bitsBefore));
		const groupMask = keep === 0 ? 0 : (0xffff << (16 - keep)) & 0xffff;
		return (group & groupMask).toString(16).padStart(4, '0');
	});
	return { mask, address: masked.join(':'), originalString: cidr };
}

function ipv4MappedGroups(address: string): number[] {
	const octets = address.split('.').map(Number);
	return [0, 0, 0, 0, 0, 0xffff, (octets[0] << 8) | octets[1], (octets[2] << 8) | octets[3]];
}

function expandIpv6(address: string): number[] {
	const [head, tail] = address.split('::');
	const headGroups = head ? head.split(':').map((group) => parseInt(group, 16)) : [];
	const tailGroups = tail ? tail.split(':').map((group) => parseInt(group, 16)) : [];
	const missing = 8 - headGroups.length - tailGroups.length;
	return [...headGroups, ...Array<number>(address.includes('::') ? missing : 0).fill(0), ...tailGroups];
}
