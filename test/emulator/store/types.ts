/** Shapes held by the store. Graph resources are kept close to their wire form. */

export type Severity = 'unknown' | 'informational' | 'low' | 'medium' | 'high' | 'unknownFutureValue';
export type IncidentStatus = 'active' | 'resolved' | 'inProgress' | 'redirected' | 'awaitingAction' | 'unknownFutureValue';
export type AlertStatus = 'unknown' | 'new' | 'inProgress' | 'resolved' | 'unknownFutureValue';

export const SEVERITIES: readonly Severity[] = ['unknown', 'informational', 'low', 'medium', 'high', 'unknownFutureValue'];
/**
 * Enum members in Microsoft's order: those after `unknownFutureValue` are evolvable members that
 * Graph only shows with `Prefer: include-unknown-enum-members` (graph/evolvable.ts). Sources:
 * api-reference/v1.0/resources/security-incident.md ("incidentStatus values") and
 * api-reference/v1.0/resources/security-alert.md (the alertSeverity, alertStatus, alertClassification,
 * serviceSource and detectionSource tables) in microsoftgraph/microsoft-graph-docs-contrib.
 */
export const INCIDENT_STATUSES: readonly IncidentStatus[] = ['active', 'resolved', 'inProgress', 'redirected', 'unknownFutureValue', 'awaitingAction'];
export const ALERT_STATUSES: readonly AlertStatus[] = ['unknown', 'new', 'inProgress', 'resolved', 'unknownFutureValue'];
export const CLASSIFICATIONS = ['unknown', 'falsePositive', 'truePositive', 'informationalExpectedActivity', 'unknownFutureValue'] as const;
/** Union of the values in the current docs and in older revisions of them. */
export const DETERMINATIONS = [
	'unknown',
	'apt',
	'malware',
	'securityPersonnel',
	'securityTesting',
	'unwantedSoftware',
	'other',
	'multiStagedAttack',
	'compromisedAccount',
	'compromisedUser',
	'phishing',
	'maliciousUserActivity',
	'notMalicious',
	'clean',
	'notEnoughDataToValidate',
	'insufficientData',
	'confirmedUserActivity',
	'lineOfBusinessApplication',
	'unknownFutureValue',
] as const;
export const SERVICE_SOURCES = [
	'unknown',
	'microsoftDefenderForEndpoint',
	'microsoftDefenderForIdentity',
	'microsoftDefenderForCloudApps',
	'microsoftDefenderForOffice365',
	'microsoft365Defender',
	'azureAdIdentityProtection',
	'microsoftAppGovernance',
	'dataLossPrevention',
	'unknownFutureValue',
	'microsoftDefenderForCloud',
] as const;
export const DETECTION_SOURCES = [
	'unknown',
	'microsoftDefenderForEndpoint',
	'antivirus',
	'smartScreen',
	'customTi',
	'microsoftDefenderForOffice365',
	'automatedInvestigation',
	'microsoftThreatExperts',
	'customDetection',
	'microsoftDefenderForIdentity',
	'cloudAppSecurity',
	'microsoft365Defender',
	'azureAdIdentityProtection',
	'manual',
	'microsoftDataLossPrevention',
	'appGovernancePolicy',
	'appGovernanceDetection',
	'unknownFutureValue',
	'microsoftDefenderForCloud',
	'microsoftDefenderForIoT',
	'microsoftDefenderForServers',
	'microsoftDefenderForStorage',
	'microsoftDefenderForDNS',
	'microsoftDefenderForDatabases',
	'microsoftDefenderForContainers',
	'microsoftDefenderForNetwork',
	'microsoftDefenderForAppService',
	'microsoftDefenderForKeyVault',
	'microsoftDefenderForResourceManager',
	'microsoftDefenderForApiManagement',
] as const;

export type Classification = (typeof CLASSIFICATIONS)[number];
export type Determination = (typeof DETERMINATIONS)[number];

export interface Tenant {
	id: string;
	domain: string;
	displayName: string;
}

export interface AppSecret {
	/** The secret's ID (what people paste by mistake instead of the value). */
	id: string;
	value: string;
	expiresAt: string;
}

export interface AppCertificate {
	certificatePem: string;
	thumbprintSha1Hex: string;
	thumbprintSha256Hex: string;
}

export interface AppRoles {
	graph: string[];
	mde: string[];
	/** Microsoft Cloud App Security application permissions (Investigation.read …). */
	cloudApps: string[];
}

export interface AppRegistration {
	clientId: string;
	tenantId: string;
	displayName: string;
	/** Object id of the service principal: the `oid` of its tokens. */
	servicePrincipalId: string;
	secrets: AppSecret[];
	certificates: AppCertificate[];
	roles: AppRoles;
}

export interface AlertComment {
	'@odata.type': '#microsoft.graph.security.alertComment';
	comment: string;
	createdByDisplayName: string;
	createdDateTime: string;
}

export interface Incident {
	id: string;
	tenantId: string;
	status: IncidentStatus;
	incidentWebUrl: string;
	redirectIncidentId: string | null;
	displayName: string;
	createdDateTime: string;
	lastUpdateDateTime: string;
	assignedTo: string | null;
	classification: Classification;
	determination: Determination;
	severity: Severity;
	customTags: string[];
	systemTags: string[];
	description: string | null;
	summary: string | null;
	resolvingComment: string | null;
	comments: AlertComment[];
	lastModifiedBy: string | null;
}

export type Evidence = Record<string, unknown> & { '@odata.type': string };

export interface Alert {
	id: string;
	providerAlertId: string;
	incidentId: string;
	status: AlertStatus;
	severity: Severity;
	classification: Classification;
	determination: Determination;
	serviceSource: string;
	detectionSource: string;
	productName: string;
	detectorId: string;
	tenantId: string;
	title: string;
	description: string;
	recommendedActions: string;
	category: string;
	assignedTo: string | null;
	alertWebUrl: string;
	incidentWebUrl: string;
	actorDisplayName: string | null;
	threatDisplayName: string | null;
	threatFamilyName: string | null;
	mitreTechniques: string[];
	createdDateTime: string;
	lastUpdateDateTime: string;
	resolvedDateTime: string | null;
	firstActivityDateTime: string;
	lastActivityDateTime: string;
	comments: AlertComment[];
	evidence: Evidence[];
	systemTags: string[];
}

/** A device in MDE machine shape, so a later MDE extension serves it as-is. */
export interface Machine {
	id: string;
	computerDnsName: string;
	firstSeen: string;
	lastSeen: string;
	osPlatform: string;
	osVersion: string | null;
	osProcessor: string;
	version: string;
	lastIpAddress: string;
	lastExternalIpAddress: string;
	agentVersion: string;
	osBuild: number;
	healthStatus: string;
	onboardingStatus: string;
	deviceValue: string;
	rbacGroupId: number;
	rbacGroupName: string;
	riskScore: string;
	exposureLevel: string;
	isAadJoined: boolean;
	aadDeviceId: string | null;
	defenderAvStatus: string;
	machineTags: string[];
	ipAddresses: Array<{ ipAddress: string; macAddress: string; type: string; operationalStatus: string }>;
}

export interface DirectoryUser {
	aadUserId: string;
	userPrincipalName: string;
	accountName: string;
	domainName: string;
	displayName: string;
	userSid: string;
	department: string;
}

export interface KnownFile {
	sha1: string;
	sha256: string;
	md5: string;
	fileName: string;
	filePath: string;
	fileSize: number;
	filePublisher: string | null;
	signer: string | null;
	isMalicious: boolean;
	threatName: string | null;
}

export type KqlType = 'string' | 'datetime' | 'int' | 'long' | 'real' | 'bool' | 'dynamic';

export interface HuntingColumn {
	name: string;
	type: KqlType;
}

export type HuntingRow = Record<string, unknown>;

export interface HuntingTable {
	name: string;
	columns: HuntingColumn[];
	/** Called per query so lazily generated tables stay cheap; rows are newest first. */
	rows: () => Iterable<HuntingRow>;
}

/*
 * Defender for Cloud Apps records, with the properties the API pages list (CloudAppSecurityDocs api-alerts.md,
 * api-alerts-list.md, api-files.md, api-entities.md, api-data-enrichment-list.md). Timestamps are Unix milliseconds
 * (api-introduction.md). `hidden` holds what filters read but the wire record does not show.
 */

/** `{"id","saas","inst"}`: the entity primary key (api-entities-fetch.md). */
export interface CloudAppsEntityKey {
	id: string;
	saas: number;
	inst: number;
}

export interface CloudAppsAlertEntity {
	id: string | number;
	type: string;
	label: string;
	entityRole?: string;
	entityType?: number;
	inst?: number;
	saas?: number;
	pa?: string;
	policyType?: string;
}

export interface CloudAppsAlert {
	_id: string;
	contextId: string;
	timestamp: number;
	title: string;
	description: string;
	isMarkdown: boolean;
	/** 0 unread, 1 read, 2 archived. */
	statusValue: number;
	/** 0 low, 1 medium, 2 high, 3 informational. */
	severityValue: number;
	/** 0 open, 1 dismissed, 2 resolved, 3 false positive, 4 benign, 5 true positive. */
	resolutionStatusValue: number;
	stories: number[];
	evidence: Array<{ shortDescription: string }>;
	intent: number[];
	isPreview: boolean;
	entities: CloudAppsAlertEntity[];
	idValue: number;
	isSystemAlert: boolean;
	threatScore: number;
	comment: string;
	handledByUser: string | null;
	resolveTime: string | null;
	URL: string;
	hidden: { alertType: number; risk: number; source: string; resolutionDate: number | null };
}

export interface CloudAppsActivity {
	_id: string;
	tenantId: string;
	appId: number;
	appName: string;
	instance: number;
	timestamp: number;
	created: number;
	eventTypeName: string;
	description: string;
	ipAddress: string;
	location: { countryCode: string; city: string; organizationSearchable: string };
	user: { userName: string; orgUnit: string | null; tags: string[]; domain: string };
	userAgent: { userAgent: string; tags: string[] };
	device: { type: string; tags: string[] };
	isAdmin: boolean;
	isImpersonated: boolean;
	/** The performing entity. */
	actor: CloudAppsEntityKey;
	hidden: { source: number; alertIds: string[]; fileIds: string[]; ipCategory: number | null; takenAction: string | null; policies: string[] };
	feedback: Array<Record<string, unknown>>;
}

export interface CloudAppsFile {
	_id: string;
	appId: number;
	appName: string;
	instance: number;
	name: string;
	/** [code, name]: 0 other, 1 document, 2 spreadsheet, 3 presentation, 4 text, 5 image, 6 folder. */
	fileType: [number, string];
	/** Sharing level [code, name]: 0 private, 1 internal, 2 external, 3 public, 4 public (Internet). */
	fileAccessLevel: [number, string];
	ownerAddress: string;
	ownerName: string;
	owner: CloudAppsEntityKey;
	ownerOrgUnit: string | null;
	createdDate: number;
	modifiedDate: number;
	fileExtension: string;
	mimeType: string;
	collaborators: Array<{ email: string; domain: string; type: string }>;
	isFolder: boolean;
	trashed: boolean;
	deleted: boolean;
	quarantined: boolean;
	fileLabels: string[];
	alternateLink: string;
}

export interface CloudAppsEntity extends CloudAppsEntityKey {
	/** 'user' (the directory user, across apps) or 'account' (the user's account in one app). */
	type: 'user' | 'account';
	displayName: string;
	email: string;
	domain: string;
	organization: string | null;
	isAdmin: boolean;
	isExternal: boolean;
	/** 0 N/A, 1 staged, 2 active, 3 suspended, 4 deleted. */
	status: number;
	score: number;
	lastSeen: number;
	userGroups: string[];
	appName: string;
	/** The user an account belongs to. */
	parent: CloudAppsEntityKey | null;
}

export interface CloudAppsSubnetTag {
	_id: string;
	id: string;
	name: string;
	target: number;
	type: number;
}

export interface CloudAppsSubnet {
	_id: string;
	name: string;
	subnets: Array<{ mask: number; address: string; originalString: string }>;
	location: { name: string; countryCode: string } | null;
	organization: string;
	tags: CloudAppsSubnetTag[];
	category: number;
	lastModified: number;
	builtIn: boolean;
	_tid: number;
}

export interface CloudAppsState {
	/** The portal's numeric tenant id (`_tid` on records). */
	numericTenantId: number;
	alerts: CloudAppsAlert[];
	activities: CloudAppsActivity[];
	files: CloudAppsFile[];
	entities: CloudAppsEntity[];
	subnets: CloudAppsSubnet[];
	/** Domains of unsanctioned (banned) apps that block scripts list. */
	bannedDomains: string[];
	/** Close requests' feedback as received (sendFeedback, feedbackText, allowContact, contactEmail). */
	alertFeedback: Array<Record<string, unknown>>;
}
