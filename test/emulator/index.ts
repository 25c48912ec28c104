import type { AdminControl } from './admin';
import { registerAdminRoutes } from './admin';
import { TokenSigner } from './auth/jwt';
import { registerFederationRoutes } from './auth/federation';
import { identityStateOf, type HostIdentityRequest, type IdentityDescription } from './auth/identities';
import { registerManagedIdentityRoutes } from './auth/managedIdentity';
import { loginApiProfile, openIdConfiguration, registerTokenRoutes } from './auth/tokenEndpoint';
import { cloudAppsApiProfile, createCloudAppsControl, createCloudAppsRouter } from './cloudApps';
import type { CloudAppsControl } from './cloudApps';
import { createGraphRouter, graphApiProfile } from './graph';
import { remediations } from './graph/analyzedEmails';
import { entraUsers } from './graph/identities';
import { FaultController, ThrottleController } from './limits';
import type { FaultOptions, ThrottleOptions } from './limits';
import { createMdeRouter, mdeApiProfile } from './mde';
import { createMdeControl } from './mde';
import type { MdeControl } from './mde';
import { Clock, LIMIT_BUCKETS, RequestLog } from './runtime';
import type { ApiName, EmulatorRuntime, LimitBucket, LoggedRequest } from './runtime';
import { Router, startHttpsServer } from './server';
import { StorageHost } from './storage/host';
import type { StorageRequest } from './storage/host';
import type { LargeBody } from './storage/largeBodies';
import type { RunningServer } from './server';
import { buildSeed } from './store/seed';
import type { DefaultAppIds } from './store/seed';
import { Store } from './store/store';
import type { AppRegistrationInput, IncidentChanges, NewAlertInput, NewIncidentInput } from './store/store';
import type { Alert, AppRegistration, AppRoles, Incident } from './store/types';
import { DEFAULT_TLS_DIR, ensureClientCertificate, ensureTlsCertificate, thumbprints } from './tls';

export type { ApiName, LimitBucket, LoggedRequest } from './runtime';
export type { ApplyThenFailMode, FaultOptions, RedirectStatus, ThrottleOptions } from './limits';
export type { AppRegistrationInput, IncidentChanges, NewAlertInput, NewIncidentInput } from './store/store';
export type { Alert, AppRegistration, AppRoles, Incident, Machine, DirectoryUser, KnownFile } from './store/types';
export type { Store } from './store/store';
export type { StorageRequest } from './storage/host';
export type { LargeBody } from './storage/largeBodies';
export { routePermissions, addRoutePermissions, requiredRolesFor } from './auth/permissions';
export type { RoutePermission } from './auth/permissions';
export { GRAPH_ROLES_FULL, GRAPH_ROLES_READ_ONLY, MDE_ROLES_FULL } from './store/seed';
export { ensureTlsCertificate, ensureClientCertificate, generateCertificate, DEFAULT_TLS_DIR } from './tls';
export type { MdeControl, MachineActionBehaviour, MachineActionStatus } from './mde';
export { MDE_ROLES } from './mde';
export { CLOUD_APPS_ROLES, decodeEntityKey, encodeEntityKey } from './cloudApps';
export type { CloudAppsControl } from './cloudApps';
export { CLOUD_APPS_RESOURCE } from './auth/bearer';
export { CLOUD_APPS_ROLES_FULL, CLOUD_APPS_ROLES_READ_ONLY } from './store/seed';
export { MASS_DOWNLOAD_ALERT_TITLE } from './store/cloudAppsSeed';

export interface StartEmulatorOptions {
	/** Login on portBase, Graph on +1, MDE on +2, the download storage host on +3, Cloud Apps on +4. 0 (default) = random free ports. */
	portBase?: number;
	/** Where the TLS certificate lives/is created (default <repo>/.emulator/tls). */
	tlsDir?: string;
	/** Delay added to every API response (not admin). */
	latencyMs?: number;
	tokenLifetimeSeconds?: number;
	seed?: number;
	incidentCount?: number;
	/** Devices in the seeded tenant (default 40). */
	machineCount?: number;
	/** Enforce the documented per-minute/hour budgets by default (otherwise only when set via setThrottle). */
	strictLimits?: boolean;
}

/** Alias used by the integration harness. */
export type EmulatorOptions = StartEmulatorOptions;

export interface AppCredentials {
	clientId: string;
	/** Undefined for certificate-only apps. */
	clientSecret?: string;
	/** The secret's ID: sending it instead of the value reproduces AADSTS7000215. */
	secretId?: string;
	secretExpiresAt?: string;
	tenantId: string;
	tenantDomain: string;
	displayName: string;
	roles: AppRoles;
}

export interface CertificateAppCredentials extends AppCredentials {
	privateKeyPem: string;
	certificatePem: string;
	thumbprintSha1Hex: string;
	thumbprintSha256Hex: string;
}

export interface EmulatorApps {
	full: AppCredentials;
	readOnly: AppCredentials;
	expiredSecret: AppCredentials;
	certificate: CertificateAppCredentials;
	/** Registered in a second tenant (fabrikam): its tokens are refused by this emulator's APIs. */
	otherTenantApp: AppCredentials;
}

export interface Emulator {
	/** 'localhost:PORT' – what the credential's custom login host takes. */
	loginHost: string;
	loginUrl: string;
	graphUrl: string;
	mdeUrl: string;
	/** The tenant's Defender for Cloud Apps API URL (its portal host; the API is under /api). */
	cloudAppsUrl: string;
	/** The storage host of investigation packages and live response results (its own host and port). */
	storageUrl: string;
	adminUrl: string;
	caCertPath: string;
	caCertPem: string;
	tenantId: string;
	tenantDomain: string;
	otherTenantId: string;
	apps: EmulatorApps;
	store: Store;
	requestLog(filter?: { api?: ApiName; includeAdmin?: boolean }): LoggedRequest[];
	clearRequestLog(): void;
	/** Requests the storage host received, with their headers (to assert no Authorization arrived). */
	storageLog(): StorageRequest[];
	/** Until reset, downloads answer with this body instead of the file (a large, unannounced, stalling or gzip-bombed body). */
	serveLargeBodies(body: LargeBody | undefined): void;
	setThrottle(api: LimitBucket, options: ThrottleOptions): void;
	/** Requests that arrived while their caller was still inside a Retry-After window. */
	earlyCallCount(api?: LimitBucket): number;
	injectFaults(api: LimitBucket, options: FaultOptions): void;
	/** Reset data to the seed, throttling/faults/clock to defaults, and clear the request log. */
	reset(): void;
	registerApp(input: AppRegistrationInput): AppRegistration;
	addIncident(input?: NewIncidentInput): { incident: Incident; alerts: Alert[] };
	addAlert(incidentId: string, input?: NewAlertInput): Alert;
	/** Change an incident as if Microsoft updated it (bumps lastUpdateDateTime unless given). */
	updateIncident(id: string, changes: IncidentChanges): Incident;
	setClockOffset(ms: number): void;
	now(): Date;
	setLatency(ms: number): void;
	/** Defender for Endpoint controls: machine-action life cycle (timings, moving an action), indicators, caps. */
	mde: MdeControl;
	/** Defender for Cloud Apps tenant: its records, and alerts / activities added for a test. */
	cloudApps: CloudAppsControl;
	/** JSON string for msal-node's `authorityMetadata` (authority = `${loginUrl}/${tenant}`). */
	authorityMetadata(tenant?: string): string;
	/** JSON string for msal-node's `cloudDiscoveryMetadata`. */
	cloudDiscoveryMetadata(): string;
	/** A token of the emulator's federated-token issuer (what AKS would write into AZURE_FEDERATED_TOKEN_FILE). */
	issueFederatedToken(options?: { subject?: string; audience?: string; lifetimeSeconds?: number }): string;
	/** What the managed identity endpoint (IDENTITY_ENDPOINT) was asked since the last reset. */
	hostIdentityRequests(): HostIdentityRequest[];
	/** The same JSON the CLI writes to its state file. */
	describe(): EmulatorDescription;
	close(): Promise<void>;
}

export interface EmulatorDescription {
	loginHost: string;
	loginUrl: string;
	graphUrl: string;
	mdeUrl: string;
	cloudAppsUrl: string;
	storageUrl: string;
	adminUrl: string;
	caCertPath: string;
	tenantId: string;
	tenantDomain: string;
	otherTenantId: string;
	apps: EmulatorApps;
	/** Managed identities (App Service endpoint), the federated-token issuer, the multi-tenant and Graph read-only apps. */
	identities: IdentityDescription;
}

function toCredentials(app: AppRegistration, tenantDomain: string): AppCredentials {
	const secret = app.secrets[0];
	return {
		clientId: app.clientId,
		clientSecret: secret?.value,
		secretId: secret?.id,
		secretExpiresAt: secret?.expiresAt,
		tenantId: app.tenantId,
		tenantDomain,
		displayName: app.displayName,
		roles: { graph: [...app.roles.graph], mde: [...app.roles.mde], cloudApps: [...app.roles.cloudApps] },
	};
}

export async function startEmulator(options: StartEmulatorOptions = {}): Promise<Emulator> {
	const tlsDir = options.tlsDir ?? DEFAULT_TLS_DIR;
	const tls = ensureTlsCertificate(tlsDir);
	const clientCertificate = ensureClientCertificate(tlsDir);

	const clock = new Clock();
	let defaultApps: DefaultAppIds | undefined;
	const seedFactory = () => {
		const seed = buildSeed({
			seed: options.seed ?? 42,
			incidentCount: options.incidentCount ?? 60,
			machineCount: options.machineCount,
			anchorMs: clock.nowMs(),
			clientCertificate: {
				certificatePem: clientCertificate.certPem,
				thumbprintSha1Hex: clientCertificate.thumbprintSha1Hex,
				thumbprintSha256Hex: clientCertificate.thumbprintSha256Hex,
			},
		});
		defaultApps = seed.defaultApps;
		return seed;
	};
	const store = new Store(clock, seedFactory, thumbprints);
	const runtime: EmulatorRuntime = {
		clock,
		store,
		requestLog: new RequestLog(),
		throttle: new ThrottleController(clock, options.strictLimits ?? false),
		faults: new FaultController(),
		signer: new TokenSigner(),
		urls: { login: '', graph: '', mde: '', cloudApps: '' },
		storage: new StorageHost(clock),
		settings: { latencyMs: options.latencyMs ?? 0, tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? 3599 },
	};

	const control: AdminControl = {
		requestLog: (filter) => runtime.requestLog.list(filter),
		clearRequestLog: () => runtime.requestLog.clear(),
		setThrottle: (api, throttleOptions) => runtime.throttle.configure(api, throttleOptions),
		throttleStatus: () => {
			const status: Record<string, unknown> = {};
			for (const bucket of LIMIT_BUCKETS) status[bucket] = { ...runtime.throttle.describe(bucket), earlyCalls: runtime.throttle.earlyCallCount(bucket) };
			return status;
		},
		injectFaults: (api, faultOptions) => runtime.faults.configure(api, faultOptions),
		addIncident: (input) => store.insertIncident(input),
		updateIncident: (id, changes) => store.updateIncident(id, changes),
		registerApp: (input) => store.registerApp(input),
		reset: () => {
			clock.setOffset(0);
			store.reset();
			runtime.throttle.reset();
			runtime.faults.reset();
			runtime.requestLog.clear();
			runtime.storage.reset();
			identityStateOf(runtime).clearHostIdentityRequests();
		},
		setClockOffset: (ms) => clock.setOffset(ms),
		now: () => clock.now(),
		describe: () => describe() as unknown as Record<string, unknown>,
		ids: (kind, limit) => {
			const all = kind === 'incidents' ? store.listIncidents() : kind === 'alerts' ? store.listAlerts() : store.machines;
			return all.slice(0, limit).map(({ id }) => ({ id }));
		},
		mde: createMdeControl(store, clock),
		storageLog: () => runtime.storage.log(),
		accountsAndMail: () => ({
			users: entraUsers(store).map(({ user, ...state }) => ({ userPrincipalName: user.userPrincipalName, id: user.aadUserId, accountName: user.accountName, ...state })),
			remediations: remediations(store),
		}),
	};

	const loginRouter = new Router();
	registerTokenRoutes(loginRouter);
	registerManagedIdentityRoutes(loginRouter);
	registerFederationRoutes(loginRouter);
	registerAdminRoutes(loginRouter, control);

	const portBase = options.portBase ?? 0;
	const portFor = (offset: number) => (portBase === 0 ? 0 : portBase + offset);
	const servers: Array<Pick<RunningServer, 'close'>> = [];
	try {
		const login = await startHttpsServer({ runtime, profile: loginApiProfile, router: loginRouter, tls, port: portFor(0), baseUrl: () => runtime.urls.login });
		servers.push(login);
		runtime.urls.login = `https://localhost:${login.port}`;
		const graph = await startHttpsServer({ runtime, profile: graphApiProfile, router: createGraphRouter(runtime), tls, port: portFor(1), baseUrl: () => runtime.urls.graph });
		servers.push(graph);
		runtime.urls.graph = `https://localhost:${graph.port}`;
		const mde = await startHttpsServer({ runtime, profile: mdeApiProfile, router: createMdeRouter(), tls, port: portFor(2), baseUrl: () => runtime.urls.mde });
		servers.push(mde);
		runtime.urls.mde = `https://localhost:${mde.port}`;
		servers.push(await runtime.storage.start(tls, portFor(3)));
		const cloudApps = await startHttpsServer({ runtime, profile: cloudAppsApiProfile, router: createCloudAppsRouter(), tls, port: portFor(4), baseUrl: () => runtime.urls.cloudApps });
		servers.push(cloudApps);
		runtime.urls.cloudApps = `https://localhost:${cloudApps.port}`;
	} catch (error) {
		await Promise.all(servers.map((server) => server.close()));
		throw error;
	}

	const tenant = store.primaryTenant;
	const otherTenant = store.tenants.find((candidate) => candidate.id !== tenant.id);
	const seeded = defaultApps as DefaultAppIds;
	const apps: EmulatorApps = {
		full: toCredentials(seeded.full, tenant.domain),
		readOnly: toCredentials(seeded.readOnly, tenant.domain),
		expiredSecret: toCredentials(seeded.expiredSecret, tenant.domain),
		certificate: {
			...toCredentials(seeded.certificate, tenant.domain),
			privateKeyPem: clientCertificate.keyPem,
			certificatePem: clientCertificate.certPem,
			thumbprintSha1Hex: clientCertificate.thumbprintSha1Hex,
			thumbprintSha256Hex: clientCertificate.thumbprintSha256Hex,
		},
		otherTenantApp: toCredentials(seeded.otherTenantApp, otherTenant?.domain ?? ''),
	};

	function describe(): EmulatorDescription {
		return {
			loginHost: new URL(runtime.urls.login).host,
			loginUrl: runtime.urls.login,
			graphUrl: runtime.urls.graph,
			mdeUrl: runtime.urls.mde,
			cloudAppsUrl: runtime.urls.cloudApps,
			storageUrl: runtime.storage.url,
			adminUrl: `${runtime.urls.login}/_emulator`,
			caCertPath: tls.certPath,
			tenantId: tenant.id,
			tenantDomain: tenant.domain,
			otherTenantId: otherTenant?.id ?? '',
			apps,
			identities: identityStateOf(runtime).describe(),
		};
	}

	let closed = false;
	return {
		...describe(),
		caCertPem: tls.certPem,
		store,
		requestLog: control.requestLog,
		clearRequestLog: control.clearRequestLog,
		storageLog: () => runtime.storage.log(),
		serveLargeBodies: (body) => runtime.storage.serveLargeBodies(body),
		setThrottle: control.setThrottle,
		earlyCallCount: (api) => runtime.throttle.earlyCallCount(api),
		injectFaults: control.injectFaults,
		reset: control.reset,
		registerApp: control.registerApp,
		addIncident: (input = {}) => store.insertIncident(input),
		addAlert: (incidentId, input = {}) => store.addAlertToIncident(incidentId, input),
		updateIncident: control.updateIncident,
		setClockOffset: control.setClockOffset,
		now: control.now,
		setLatency: (ms) => {
			runtime.settings.latencyMs = ms;
		},
		mde: control.mde as MdeControl,
		cloudApps: createCloudAppsControl(store),
		authorityMetadata: (tenantSegment = tenant.id) => JSON.stringify(openIdConfiguration(runtime, tenantSegment)),
		cloudDiscoveryMetadata: () => {
			const host = new URL(runtime.urls.login).host;
			return JSON.stringify({
				tenant_discovery_endpoint: `${runtime.urls.login}/${tenant.id}/v2.0/.well-known/openid-configuration`,
				'api-version': '1.1',
				metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
			});
		},
		issueFederatedToken: (federatedOptions) => identityStateOf(runtime).issueFederatedToken(federatedOptions),
		hostIdentityRequests: () => [...identityStateOf(runtime).hostIdentityRequests],
		describe,
		close: async () => {
			if (closed) return;
			closed = true;
			await Promise.all(servers.map((server) => server.close()));
		},
	};
}
