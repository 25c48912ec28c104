import { randomInt, randomUUID } from 'node:crypto';
import type { Clock } from '../runtime';
import { graphTimestamp } from '../runtime';
import type {
	Alert,
	AlertComment,
	AppRegistration,
	AppRoles,
	AppSecret,
	AppCertificate,
	CloudAppsState,
	DirectoryUser,
	HuntingTable,
	Incident,
	KnownFile,
	Machine,
	Severity,
	Tenant,
} from './types';
import { SEVERITIES } from './types';

export interface SeedData {
	primaryTenantId: string;
	tenants: Tenant[];
	apps: AppRegistration[];
	incidents: Incident[];
	alerts: Alert[];
	machines: Machine[];
	users: DirectoryUser[];
	files: KnownFile[];
	huntingTables: HuntingTable[];
	cloudApps: CloudAppsState;
}

export interface AppRegistrationInput {
	clientId: string;
	tenantId?: string;
	displayName?: string;
	secrets?: Array<{ value: string; expiresAt?: string; id?: string }>;
	certificates?: Array<{ certificatePem: string }>;
	roles?: Partial<AppRoles>;
}

export type NewAlertInput = Partial<Omit<Alert, 'incidentId' | 'tenantId'>>;

export interface NewIncidentInput extends Partial<Omit<Incident, 'tenantId' | 'incidentWebUrl'>> {
	alerts?: NewAlertInput[];
	/** Another tenant of the store (a customer tenant of a multi-tenant app); default the primary one. */
	tenantId?: string;
}

export type IncidentChanges = Partial<Omit<Incident, 'id' | 'tenantId' | 'incidentWebUrl'>>;
export type AlertChanges = Partial<Omit<Alert, 'id' | 'tenantId' | 'incidentId'>>;

/** Thumbprints of a PEM certificate, injected to keep the store free of crypto parsing details. */
export type CertificateInspector = (certificatePem: string) => { sha1Hex: string; sha256Hex: string };

/** In-memory state of the emulated tenant(s); knows nothing about HTTP. */
export class Store {
	primaryTenantId = '';
	tenants: Tenant[] = [];
	apps = new Map<string, AppRegistration>();
	incidents = new Map<string, Incident>();
	alerts = new Map<string, Alert>();
	machines: Machine[] = [];
	users: DirectoryUser[] = [];
	files: KnownFile[] = [];
	huntingTables = new Map<string, HuntingTable>();
	/** Free-form collections for the Defender for Endpoint extension (machine actions, indicators ...). */
	mde = new Map<string, unknown[]>();
	/** Free-form state of Graph areas beyond incidents and alerts (identity accounts, analyzed emails ...). */
	graph = new Map<string, unknown>();
	/** The Defender for Cloud Apps tenant (cloudApps/ handlers). */
	cloudApps!: CloudAppsState;

	constructor(
		private readonly clock: Clock,
		private readonly seedFactory: () => SeedData,
		private readonly inspectCertificate: CertificateInspector,
	) {
		this.reset();
	}

	reset(): void {
		const seed = this.seedFactory();
		this.primaryTenantId = seed.primaryTenantId;
		this.tenants = seed.tenants;
		this.apps = new Map(seed.apps.map((app) => [appKey(app.tenantId, app.clientId), app]));
		this.incidents = new Map(seed.incidents.map((incident) => [incident.id, incident]));
		this.alerts = new Map(seed.alerts.map((alert) => [alert.id, alert]));
		this.machines = seed.machines;
		this.users = seed.users;
		this.files = seed.files;
		this.huntingTables = new Map(seed.huntingTables.map((table) => [table.name.toLowerCase(), table]));
		this.mde = new Map();
		this.graph = new Map();
		this.cloudApps = seed.cloudApps;
	}

	get primaryTenant(): Tenant {
		const tenant = this.tenants.find((candidate) => candidate.id === this.primaryTenantId);
		if (!tenant) throw new Error('Primary tenant missing from store');
		return tenant;
	}

	findTenant(idOrDomain: string): Tenant | undefined {
		const wanted = idOrDomain.toLowerCase();
		return this.tenants.find((tenant) => tenant.id.toLowerCase() === wanted || tenant.domain.toLowerCase() === wanted);
	}

	findApp(tenantId: string, clientId: string): AppRegistration | undefined {
		return this.apps.get(appKey(tenantId, clientId));
	}

	registerApp(input: AppRegistrationInput): AppRegistration {
		const tenantId = input.tenantId ?? this.primaryTenantId;
		if (!this.tenants.some((tenant) => tenant.id === tenantId)) throw new Error(`Unknown tenant '${tenantId}'`);
		const existing = this.findApp(tenantId, input.clientId);
		const app: AppRegistration = existing ?? {
			clientId: input.clientId,
			tenantId,
			displayName: input.displayName ?? `App ${input.clientId.slice(0, 8)}`,
			servicePrincipalId: randomUUID(),
			secrets: [],
			certificates: [],
			roles: { graph: [], mde: [], cloudApps: [] },
		};
		if (input.displayName) app.displayName = input.displayName;
		if (input.secrets) {
			app.secrets = input.secrets.map(
				(secret): AppSecret => ({
					id: secret.id ?? randomUUID(),
					value: secret.value,
					expiresAt: secret.expiresAt ?? new Date(this.clock.nowMs() + 365 * 86_400_000).toISOString(),
				}),
			);
		}
		if (input.certificates) {
			app.certificates = input.certificates.map((certificate): AppCertificate => {
				const { sha1Hex, sha256Hex } = this.inspectCertificate(certificate.certificatePem);
				return { certificatePem: certificate.certificatePem, thumbprintSha1Hex: sha1Hex, thumbprintSha256Hex: sha256Hex };
			});
		}
		if (input.roles?.graph) app.roles.graph = [...input.roles.graph];
		if (input.roles?.mde) app.roles.mde = [...input.roles.mde];
		if (input.roles?.cloudApps) app.roles.cloudApps = [...input.roles.cloudApps];
		this.apps.set(appKey(tenantId, input.clientId), app);
		return app;
	}

	listIncidents(): Incident[] {
		return [...this.incidents.values()];
	}

	getIncident(id: string): Incident | undefined {
		return this.incidents.get(id);
	}

	alertsOfIncident(incidentId: string): Alert[] {
		return [...this.alerts.values()].filter((alert) => alert.incidentId === incidentId);
	}

	listAlerts(): Alert[] {
		return [...this.alerts.values()];
	}

	getAlert(id: string): Alert | undefined {
		return this.alerts.get(id);
	}

	nextIncidentId(): string {
		let highest = 0;
		for (const id of this.incidents.keys()) highest = Math.max(highest, Number(id) || 0);
		return String(highest + 1);
	}

	/** Inserts as if Microsoft had created it; explicit timestamps allow late arrivals. */
	insertIncident(input: NewIncidentInput = {}): { incident: Incident; alerts: Alert[] } {
		const tenantId = input.tenantId ?? this.primaryTenantId;
		if (!this.tenants.some((tenant) => tenant.id === tenantId)) throw new Error(`Unknown tenant '${tenantId}'`);
		const id = input.id ?? this.nextIncidentId();
		if (this.incidents.has(id)) throw new Error(`Incident '${id}' already exists`);
		const now = graphTimestamp(this.clock.now());
		const createdDateTime = input.createdDateTime ? graphTimestamp(input.createdDateTime) : now;
		const lastUpdateDateTime = input.lastUpdateDateTime ? graphTimestamp(input.lastUpdateDateTime) : createdDateTime;
		const alerts = (input.alerts ?? []).map((alertInput) => this.buildAlert(alertInput, id, createdDateTime));
		const severity: Severity = input.severity ?? highestSeverity(alerts.map((alert) => alert.severity)) ?? 'medium';
		const title = input.displayName ?? (alerts[0] ? `${alerts[0].title} on one endpoint` : `Emulated incident ${id}`);
		const incident: Incident = {
			id,
			tenantId,
			status: input.status ?? 'active',
			incidentWebUrl: `https://security.microsoft.com/incidents/${id}?tid=${tenantId}`,
			redirectIncidentId: input.redirectIncidentId ?? null,
			displayName: title,
			createdDateTime,
			lastUpdateDateTime,
			assignedTo: input.assignedTo ?? null,
			classification: input.classification ?? 'unknown',
			determination: input.determination ?? 'unknown',
			severity,
			customTags: input.customTags ?? [],
			systemTags: input.systemTags ?? [],
			description: input.description ?? null,
			summary: input.summary ?? null,
			resolvingComment: input.resolvingComment ?? null,
			comments: input.comments ?? [],
			lastModifiedBy: input.lastModifiedBy ?? null,
		};
		this.incidents.set(id, incident);
		for (const alert of alerts) this.alerts.set(alert.id, alert);
		return { incident, alerts };
	}

	addAlertToIncident(incidentId: string, input: NewAlertInput = {}): Alert {
		const incident = this.requireIncident(incidentId);
		const alert = this.buildAlert(input, incidentId, graphTimestamp(this.clock.now()));
		this.alerts.set(alert.id, alert);
		incident.lastUpdateDateTime = graphTimestamp(this.clock.now());
		return alert;
	}

	/** Applies changes and bumps lastUpdateDateTime (used for API PATCH and for "changed by Microsoft"). */
	updateIncident(id: string, changes: IncidentChanges, modifiedBy?: string): Incident {
		const incident = this.requireIncident(id);
		Object.assign(incident, changes);
		if (changes.lastUpdateDateTime === undefined) incident.lastUpdateDateTime = this.nowTimestampAfter(incident.lastUpdateDateTime);
		else incident.lastUpdateDateTime = graphTimestamp(changes.lastUpdateDateTime);
		if (modifiedBy) incident.lastModifiedBy = modifiedBy;
		if (changes.status === 'resolved') {
			for (const alert of this.alertsOfIncident(id)) {
				if (alert.status !== 'resolved') {
					alert.status = 'resolved';
					alert.resolvedDateTime = incident.lastUpdateDateTime;
					alert.lastUpdateDateTime = incident.lastUpdateDateTime;
				}
			}
		}
		return incident;
	}

	addIncidentComment(id: string, text: string, author: string): AlertComment[] {
		const incident = this.requireIncident(id);
		incident.comments.push(this.comment(text, author));
		incident.lastUpdateDateTime = this.nowTimestampAfter(incident.lastUpdateDateTime);
		return incident.comments;
	}

	updateAlert(id: string, changes: AlertChanges): Alert {
		const alert = this.requireAlert(id);
		Object.assign(alert, changes);
		alert.lastUpdateDateTime = this.nowTimestampAfter(alert.lastUpdateDateTime);
		if (changes.status === 'resolved' && !alert.resolvedDateTime) alert.resolvedDateTime = alert.lastUpdateDateTime;
		if (changes.status && changes.status !== 'resolved') alert.resolvedDateTime = null;
		const incident = this.incidents.get(alert.incidentId);
		if (incident) incident.lastUpdateDateTime = this.nowTimestampAfter(incident.lastUpdateDateTime);
		return alert;
	}

	addAlertComment(id: string, text: string, author: string): AlertComment[] {
		const alert = this.requireAlert(id);
		alert.comments.push(this.comment(text, author));
		alert.lastUpdateDateTime = this.nowTimestampAfter(alert.lastUpdateDateTime);
		return alert.comments;
	}

	private comment(text: string, author: string): AlertComment {
		return {
			'@odata.type': '#microsoft.graph.security.alertComment',
			comment: text,
			createdByDisplayName: author,
			createdDateTime: graphTimestamp(this.clock.now()),
		};
	}

	/** Keeps lastUpdateDateTime strictly increasing even when two changes share a millisecond. */
	private nowTimestampAfter(previous: string): string {
		const now = this.clock.nowMs();
		const previousMs = Date.parse(previous);
		return graphTimestamp(now > previousMs ? now : previousMs + 1);
	}

	private buildAlert(input: NewAlertInput, incidentId: string, defaultCreated: string): Alert {
		const tenantId = this.primaryTenantId;
		const created = input.createdDateTime ? graphTimestamp(input.createdDateTime) : defaultCreated;
		const id = input.id ?? newAlertId(Date.parse(created));
		return {
			id,
			providerAlertId: input.providerAlertId ?? id,
			incidentId,
			status: input.status ?? 'new',
			severity: input.severity ?? 'medium',
			classification: input.classification ?? 'unknown',
			determination: input.determination ?? 'unknown',
			serviceSource: input.serviceSource ?? 'microsoftDefenderForEndpoint',
			detectionSource: input.detectionSource ?? 'microsoftDefenderForEndpoint',
			productName: input.productName ?? 'Microsoft Defender for Endpoint',
			detectorId: input.detectorId ?? randomUUID(),
			tenantId,
			title: input.title ?? 'Suspicious PowerShell command line',
			description: input.description ?? 'A suspicious PowerShell command line was observed.',
			recommendedActions: input.recommendedActions ?? 'Review the process tree and isolate the device if needed.',
			category: input.category ?? 'Execution',
			assignedTo: input.assignedTo ?? null,
			alertWebUrl: `https://security.microsoft.com/alerts/${id}?tid=${tenantId}`,
			incidentWebUrl: `https://security.microsoft.com/incidents/${incidentId}?tid=${tenantId}`,
			actorDisplayName: input.actorDisplayName ?? null,
			threatDisplayName: input.threatDisplayName ?? null,
			threatFamilyName: input.threatFamilyName ?? null,
			mitreTechniques: input.mitreTechniques ?? ['T1059.001'],
			createdDateTime: created,
			lastUpdateDateTime: input.lastUpdateDateTime ? graphTimestamp(input.lastUpdateDateTime) : created,
			resolvedDateTime: input.resolvedDateTime ?? null,
			firstActivityDateTime: input.firstActivityDateTime ?? created,
			lastActivityDateTime: input.lastActivityDateTime ?? created,
			comments: input.comments ?? [],
			evidence: input.evidence ?? [],
			systemTags: input.systemTags ?? [],
		};
	}

	private requireIncident(id: string): Incident {
		const incident = this.incidents.get(id);
		if (!incident) throw new Error(`Incident '${id}' not found`);
		return incident;
	}

	private requireAlert(id: string): Alert {
		const alert = this.alerts.get(id);
		if (!alert) throw new Error(`Alert '${id}' not found`);
		return alert;
	}
}

function appKey(tenantId: string, clientId: string): string {
	return `${tenantId.toLowerCase()}|${clientId.toLowerCase()}`;
}

export function highestSeverity(severities: Severity[]): Severity | undefined {
	const ranked = severities.filter((severity) => severity !== 'unknownFutureValue');
	if (ranked.length === 0) return undefined;
	return ranked.reduce((highest, severity) => (SEVERITIES.indexOf(severity) > SEVERITIES.indexOf(highest) ? severity : highest));
}

/** Defender alert ids look like `da637551227677560813_-961444813`: .NET ticks plus a signed hash. */
export function newAlertId(createdMs: number, hash: number = randomInt(-2_147_483_647, 2_147_483_647)): string {
	const ticks = BigInt(createdMs) * 10_000n + 621_355_968_000_000_000n + BigInt(Math.abs(hash) % 10_000);
	return `da${ticks.toString()}_${hash}`;
}
