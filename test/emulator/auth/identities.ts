/**
 * The emulator's workload identities beyond plain app registrations: Azure managed identities
 * (system- and user-assigned), an app trusting a federated-token issuer, a multi-tenant app
 * consented in two tenants, and an app with read-only Graph roles and no Defender for Endpoint
 * roles (for the credential's permission report). Each is an app registration in the store,
 * re-registered after a reset, so tokens and the bearer check treat them like any app.
 */
import { randomBytes, randomUUID } from 'node:crypto';

import type { EmulatorRuntime } from '../runtime';
import { CLOUD_APPS_ROLES_FULL, GRAPH_ROLES_FULL, GRAPH_ROLES_READ_ONLY, MDE_ROLES_FULL } from '../store/seed';
import type { AppRegistration, AppRoles } from '../store/types';
import { TokenSigner } from './jwt';

/** The audience Entra ID requires in federated tokens (workload identity federation). */
export const FEDERATED_TOKEN_AUDIENCE = 'api://AzureADTokenExchange';
/** What AKS workload identity puts in `sub`: system:serviceaccount:<namespace>:<service account>. */
export const DEFAULT_FEDERATED_SUBJECT = 'system:serviceaccount:n8n:n8n-defender';

export interface ManagedIdentityDefinition {
	kind: 'systemAssigned' | 'userAssigned';
	clientId: string;
	objectId: string;
	/** User-assigned only: the ARM resource id. */
	resourceId?: string;
	roles: AppRoles;
}

export interface FederatedCredential {
	issuer: string;
	subject: string;
	audiences: string[];
}

interface AppDefinition {
	tenantId: string;
	clientId: string;
	displayName: string;
	servicePrincipalId: string;
	secret?: string;
	roles: AppRoles;
	federatedCredentials?: FederatedCredential[];
}

export interface IdentityDescription {
	managedIdentity: {
		/** App Service form: what IDENTITY_ENDPOINT and IDENTITY_HEADER hold. */
		endpoint: string;
		header: string;
		systemAssigned: { clientId: string; objectId: string; roles: AppRoles };
		userAssigned: { clientId: string; objectId: string; resourceId: string; roles: AppRoles };
	};
	federation: { issuer: string; subject: string; audience: string; clientId: string; roles: AppRoles };
	multiTenantApp: { clientId: string; clientSecret: string; homeTenantId: string; consentedTenantIds: string[]; roles: Record<string, AppRoles> };
	graphReadOnlyApp: { clientId: string; clientSecret: string; roles: AppRoles };
}

/** What the host-identity endpoint was asked: for which resource, by which identity selector, and what it answered. */
export interface HostIdentityRequest {
	resource: string;
	selector: { clientId?: string; resourceId?: string; objectId?: string };
	status: number;
}

const roles = (graph: string[], mde: string[], cloudApps: string[] = []): AppRoles => ({ graph: [...graph], mde: [...mde], cloudApps: [...cloudApps] });

export class IdentityState {
	readonly identityHeader = randomBytes(16).toString('hex');
	readonly federationSigner = new TokenSigner();
	/** Every call of the managed identity endpoint since the last reset, answered or not. */
	readonly hostIdentityRequests: HostIdentityRequest[] = [];
	readonly systemAssigned: ManagedIdentityDefinition;
	readonly userAssigned: ManagedIdentityDefinition & { resourceId: string };
	private readonly apps: AppDefinition[];
	private readonly workloadApp: AppDefinition;
	private readonly multiTenantHome: AppDefinition;
	private readonly multiTenantCustomer: AppDefinition;
	private readonly graphReadOnly: AppDefinition;

	constructor(private readonly runtime: EmulatorRuntime) {
		const { store } = runtime;
		const home = store.primaryTenantId;
		const customer = store.tenants.find((tenant) => tenant.id !== home)?.id ?? home;
		this.systemAssigned = { kind: 'systemAssigned', clientId: randomUUID(), objectId: randomUUID(), roles: roles(GRAPH_ROLES_FULL, MDE_ROLES_FULL, CLOUD_APPS_ROLES_FULL) };
		this.userAssigned = {
			kind: 'userAssigned',
			clientId: randomUUID(),
			objectId: randomUUID(),
			resourceId: `/subscriptions/${randomUUID()}/resourcegroups/n8n/providers/Microsoft.ManagedIdentity/userAssignedIdentities/n8n-defender`,
			roles: roles(GRAPH_ROLES_READ_ONLY, ['Machine.Read.All']),
		};
		const managed = (definition: ManagedIdentityDefinition, name: string): AppDefinition => ({
			tenantId: home,
			clientId: definition.clientId,
			displayName: name,
			servicePrincipalId: definition.objectId,
			roles: definition.roles,
		});
		this.workloadApp = {
			tenantId: home,
			clientId: randomUUID(),
			displayName: 'n8n Defender workload identity',
			servicePrincipalId: randomUUID(),
			roles: roles(GRAPH_ROLES_FULL, MDE_ROLES_FULL, CLOUD_APPS_ROLES_FULL),
			// The issuer URL is known once the login server listens: '' stands for the local issuer.
			federatedCredentials: [{ issuer: '', subject: DEFAULT_FEDERATED_SUBJECT, audiences: [FEDERATED_TOKEN_AUDIENCE] }],
		};
		const msspClientId = randomUUID();
		const msspSecret = `mssp-${randomBytes(12).toString('hex')}`;
		this.multiTenantHome = {
			tenantId: home,
			clientId: msspClientId,
			displayName: 'n8n MSSP automation',
			servicePrincipalId: randomUUID(),
			secret: msspSecret,
			roles: roles(GRAPH_ROLES_FULL, MDE_ROLES_FULL, CLOUD_APPS_ROLES_FULL),
		};
		// Consent in the customer's tenant creates a service principal there, with the roles that tenant's admin granted.
		this.multiTenantCustomer = { ...this.multiTenantHome, tenantId: customer, servicePrincipalId: randomUUID(), roles: roles(GRAPH_ROLES_FULL, []) };
		this.graphReadOnly = {
			tenantId: home,
			clientId: randomUUID(),
			displayName: 'n8n Defender Graph read-only',
			servicePrincipalId: randomUUID(),
			secret: `ro-${randomBytes(12).toString('hex')}`,
			roles: roles(GRAPH_ROLES_READ_ONLY, []),
		};
		this.apps = [
			managed(this.systemAssigned, 'n8n App Service (system-assigned identity)'),
			managed(this.userAssigned, 'n8n-defender (user-assigned identity)'),
			this.workloadApp,
			this.multiTenantHome,
			this.multiTenantCustomer,
			this.graphReadOnly,
		];
	}

	recordHostIdentityRequest(request: HostIdentityRequest): void {
		this.hostIdentityRequests.push(request);
	}

	clearHostIdentityRequests(): void {
		this.hostIdentityRequests.length = 0;
	}

	federationIssuer(): string {
		return `${this.runtime.urls.login}/_federation`;
	}

	/** Registers the identities' apps in the store when a reset dropped them. */
	ensureRegistered(): void {
		const { store } = this.runtime;
		for (const definition of this.apps) {
			if (store.findApp(definition.tenantId, definition.clientId)) continue;
			const app = store.registerApp({
				tenantId: definition.tenantId,
				clientId: definition.clientId,
				displayName: definition.displayName,
				secrets: definition.secret ? [{ value: definition.secret }] : [],
				roles: definition.roles,
			});
			app.servicePrincipalId = definition.servicePrincipalId;
		}
	}

	/** The app behind a managed identity, picked as msal-node's App Service source asks: by client id, resource id or object id, else the system-assigned one. */
	managedIdentityApp(selector: { clientId?: string; resourceId?: string; objectId?: string }): AppRegistration | undefined {
		this.ensureRegistered();
		const candidates = [this.systemAssigned, this.userAssigned];
		const wanted = selector.clientId
			? candidates.find((identity) => identity.kind === 'userAssigned' && identity.clientId.toLowerCase() === selector.clientId?.toLowerCase())
			: selector.resourceId
				? candidates.find((identity) => identity.resourceId?.toLowerCase() === selector.resourceId?.toLowerCase())
				: selector.objectId
					? candidates.find((identity) => identity.kind === 'userAssigned' && identity.objectId.toLowerCase() === selector.objectId?.toLowerCase())
					: this.systemAssigned;
		return wanted ? this.runtime.store.findApp(this.runtime.store.primaryTenantId, wanted.clientId) : undefined;
	}

	federatedCredentialsOf(app: AppRegistration): FederatedCredential[] {
		const definition = this.apps.find((candidate) => candidate.tenantId === app.tenantId && candidate.clientId === app.clientId);
		return (definition?.federatedCredentials ?? []).map((credential) => ({ ...credential, issuer: credential.issuer || this.federationIssuer() }));
	}

	/** A token of the local issuer, as a Kubernetes service account token projected for Entra ID would be. */
	issueFederatedToken(options: { subject?: string; audience?: string; lifetimeSeconds?: number } = {}): string {
		const now = Math.floor(this.runtime.clock.nowMs() / 1000);
		return this.federationSigner.sign({
			iss: this.federationIssuer(),
			sub: options.subject ?? DEFAULT_FEDERATED_SUBJECT,
			aud: [options.audience ?? FEDERATED_TOKEN_AUDIENCE],
			iat: now,
			nbf: now,
			exp: now + (options.lifetimeSeconds ?? 3600),
			jti: randomUUID(),
		});
	}

	describe(): IdentityDescription {
		return {
			managedIdentity: {
				endpoint: `${this.runtime.urls.login}/msi/token`,
				header: this.identityHeader,
				systemAssigned: { clientId: this.systemAssigned.clientId, objectId: this.systemAssigned.objectId, roles: this.systemAssigned.roles },
				userAssigned: {
					clientId: this.userAssigned.clientId,
					objectId: this.userAssigned.objectId,
					resourceId: this.userAssigned.resourceId,
					roles: this.userAssigned.roles,
				},
			},
			federation: {
				issuer: this.federationIssuer(),
				subject: DEFAULT_FEDERATED_SUBJECT,
				audience: FEDERATED_TOKEN_AUDIENCE,
				clientId: this.workloadApp.clientId,
				roles: this.workloadApp.roles,
			},
			multiTenantApp: {
				clientId: this.multiTenantHome.clientId,
				clientSecret: this.multiTenantHome.secret ?? '',
				homeTenantId: this.multiTenantHome.tenantId,
				consentedTenantIds: [this.multiTenantHome.tenantId, this.multiTenantCustomer.tenantId],
				roles: { [this.multiTenantHome.tenantId]: this.multiTenantHome.roles, [this.multiTenantCustomer.tenantId]: this.multiTenantCustomer.roles },
			},
			graphReadOnlyApp: { clientId: this.graphReadOnly.clientId, clientSecret: this.graphReadOnly.secret ?? '', roles: this.graphReadOnly.roles },
		};
	}
}

const states = new WeakMap<EmulatorRuntime, IdentityState>();

export function identityStateOf(runtime: EmulatorRuntime): IdentityState {
	let state = states.get(runtime);
	if (!state) {
		state = new IdentityState(runtime);
		states.set(runtime, state);
	}
	return state;
}
