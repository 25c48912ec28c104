import type { EntitySchema } from '../graph/odata';
import type { RequestContext, Router } from '../server';
import type { KnownFile } from '../store/types';
import { collectionResult, entity, isDomainName, isIpAddress, listEntities, lookBackHours, MD5, mdeTimestamp, SHA1, SHA256, stableHash } from './common';
import { MDE_ROLES, mdeRoute } from './permissions';
import {
	alertsOfDomain,
	alertsOfFile,
	alertsOfIp,
	alertsOfUser,
	allRecommendations,
	allSoftware,
	allVulnerabilities,
	domainPrevalence,
	filePrevalence,
	ipPrevalence,
	machinesOfDomain,
	machinesOfFile,
	machinesOfUser,
	mdeAlert,
	mdeMachine,
} from './relations';

function hashParam(context: RequestContext): string {
	const id = context.params.id.trim();
	if (MD5.test(id)) return context.fail(400, 'InvalidHashValue', `Hash value ${id} is invalid. Only SHA-1 and SHA-256 are supported.`);
	if (!SHA1.test(id) && !SHA256.test(id)) return context.fail(400, 'InvalidHashValue', `Hash value ${id} is invalid.`);
	return id.toLowerCase();
}

function findFile(context: RequestContext, hash: string): KnownFile | undefined {
	return context.runtime.store.files.find((file) => file.sha1 === hash || file.sha256 === hash);
}

function requireFile(context: RequestContext): KnownFile {
	const hash = hashParam(context);
	const file = findFile(context, hash);
	if (!file) return context.fail(404, 'ResourceNotFound', `File ${hash} was not found`);
	return file;
}

/** Related alerts and machines take only SHA-1; an unknown file gives an empty set. */
function sha1Param(context: RequestContext): string {
	const hash = hashParam(context);
	if (!SHA1.test(hash)) return context.fail(400, 'InvalidHashValue', `Hash value ${hash} is invalid. Only SHA-1 is supported for this API.`);
	return hash;
}

function fileEntity(file: KnownFile): Record<string, unknown> {
	const hash = stableHash(file.sha1);
	const firstSeen = Date.UTC(2017, 0, 1) + (hash % 2000) * 86_400_000;
	return {
		sha1: file.sha1,
		sha256: file.sha256,
		md5: file.md5,
		globalPrevalence: file.isMalicious ? 40 + (hash % 900) : 100_000 + (hash % 5_000_000),
		globalFirstObserved: mdeTimestamp(firstSeen),
		globalLastObserved: mdeTimestamp(Date.UTC(2024, 5, 1)),
		size: file.fileSize,
		fileType: file.fileName.toLowerCase().endsWith('.exe') ? 'APP' : file.fileName.toLowerCase().endsWith('.dll') ? 'DLL' : 'DOC',
		isPeFile: /\.(exe|dll)$/i.test(file.fileName),
		filePublisher: file.filePublisher,
		fileProductName: file.filePublisher ? file.fileName.replace(/\.[^.]+$/, '') : null,
		signer: file.signer,
		issuer: file.signer ? 'Microsoft Code Signing PCA 2011' : null,
		signerHash: file.signer ? file.sha1.split('').reverse().join('') : null,
		isValidCertificate: Boolean(file.signer),
		determinationType: file.isMalicious ? (file.threatName?.startsWith('PUA') ? 'Pua' : 'Malware') : 'Clean',
		determinationValue: file.threatName,
	};
}

function ipParam(context: RequestContext): string {
	const ip = context.params.ip.trim();
	if (!isIpAddress(ip)) return context.fail(400, 'InvalidIpAddress', `IP address ${ip} is invalid.`);
	return ip;
}

function domainParam(context: RequestContext): string {
	const domain = context.params.domain.trim().toLowerCase();
	if (!isDomainName(domain)) return context.fail(400, 'InvalidDomainName', `Domain name ${domain} is invalid.`);
	return domain;
}

/** `/api/users/{id}` takes the account name, not the UPN. */
function userParam(context: RequestContext): string {
	const id = context.params.id.trim();
	if (id === '' || /[\\/@]/.test(id)) return context.fail(400, 'InvalidInput', `Invalid input ${id}. Use the user name only, e.g. user1 for user1@contoso.com.`);
	return id;
}

const VULNERABILITY_SCHEMA: EntitySchema = {
	typeName: 'Analytics.Contracts.PublicAPI.PublicVulnerabilityDto',
	properties: {
		id: { type: 'string', filterable: true },
		name: { type: 'string', filterable: true },
		description: { type: 'string', filterable: true },
		// vulnerability.md (defender-endpoint/api): Severity.
		severity: { type: 'enum', enumTypeName: 'Analytics.Contracts.PublicAPI.VulnerabilitySeverity', enumValues: ['Low', 'Medium', 'High', 'Critical'], filterable: true },
		cvssV3: { type: 'number', filterable: true },
		exposedMachines: { type: 'number' },
		publishedOn: { type: 'datetime', filterable: true },
		updatedOn: { type: 'datetime', filterable: true },
		publicExploit: { type: 'boolean' },
	},
};

const SOFTWARE_SCHEMA: EntitySchema = {
	typeName: 'Analytics.Contracts.PublicAPI.PublicSoftwareDto',
	properties: {
		id: { type: 'string', filterable: true },
		name: { type: 'string', filterable: true },
		vendor: { type: 'string', filterable: true },
		weaknesses: { type: 'number' },
		publicExploit: { type: 'boolean' },
		exposedMachines: { type: 'number' },
		impactScore: { type: 'number' },
	},
};

const RECOMMENDATION_SCHEMA: EntitySchema = {
	typeName: 'Analytics.Contracts.PublicAPI.PublicRecommendationDto',
	properties: {
		id: { type: 'string', filterable: true },
		productName: { type: 'string', filterable: true },
		recommendationName: { type: 'string' },
		vendor: { type: 'string', filterable: true },
		recommendedVersion: { type: 'string', filterable: true },
		recommendedProgram: { type: 'string', filterable: true },
		recommendedVendor: { type: 'string', filterable: true },
		// recommendation.md (MicrosoftDocs/defender-docs, defender-endpoint/api): recommendationCategory, remediationType, Status.
		recommendationCategory: { type: 'enum', enumValues: ['Accounts', 'Application', 'Network', 'OS', 'SecurityControls'], filterable: true },
		subCategory: { type: 'string', filterable: true },
		severityScore: { type: 'number', filterable: true },
		remediationType: { type: 'enum', enumValues: ['ConfigurationChange', 'Update', 'Upgrade', 'Uninstall'], filterable: true },
		status: { type: 'enum', enumValues: ['Active', 'Exception'], filterable: true },
		exposedMachinesCount: { type: 'number' },
	},
};

export function registerEntityRoutes(router: Router): void {
	const route = mdeRoute(router);
	const since = (context: RequestContext) => context.runtime.clock.nowMs() - lookBackHours(context) * 3_600_000;

	route('GET', '/api/files/:id', MDE_ROLES.fileRead, (context) => entity(context, 'Files/$entity', fileEntity(requireFile(context))));
	route('GET', '/api/files/:id/stats', MDE_ROLES.fileRead, (context) => {
		const file = requireFile(context);
		const known = fileEntity(file);
		return entity(context, 'microsoft.windowsDefenderATP.api.InOrgFileStats', {
			sha1: file.sha1,
			...filePrevalence(context.runtime.store, file.sha1, since(context)),
			globallyPrevalence: known.globalPrevalence,
			globalFirstObserved: known.globalFirstObserved,
			globalLastObserved: known.globalLastObserved,
		});
	});
	route('GET', '/api/files/:id/alerts', MDE_ROLES.alertRead, (context) => {
		const { store } = context.runtime;
		return collectionResult(context, 'Alerts', alertsOfFile(store, sha1Param(context)).map((alert) => mdeAlert(store, alert)));
	});
	route('GET', '/api/files/:id/machines', MDE_ROLES.machineRead, (context) =>
		collectionResult(context, 'Machines', machinesOfFile(context.runtime.store, sha1Param(context)).map(mdeMachine)),
	);

	route('GET', '/api/ips/:ip/stats', MDE_ROLES.ipRead, (context) => {
		const ip = ipParam(context);
		return entity(context, 'microsoft.windowsDefenderATP.api.InOrgIPStats', { ipAddress: ip, ...ipPrevalence(context.runtime.store, ip, since(context)) });
	});
	route('GET', '/api/ips/:ip/alerts', MDE_ROLES.alertRead, (context) => {
		const { store } = context.runtime;
		return collectionResult(context, 'Alerts', alertsOfIp(store, ipParam(context)).map((alert) => mdeAlert(store, alert)));
	});

	route('GET', '/api/domains/:domain/stats', MDE_ROLES.urlRead, (context) => {
		const domain = domainParam(context);
		return entity(context, 'microsoft.windowsDefenderATP.api.InOrgDomainStats', { host: domain, ...domainPrevalence(context.runtime.store, domain, since(context)) });
	});
	route('GET', '/api/domains/:domain/alerts', MDE_ROLES.alertRead, (context) => {
		const { store } = context.runtime;
		return collectionResult(context, 'Alerts', alertsOfDomain(store, domainParam(context)).map((alert) => mdeAlert(store, alert)));
	});
	route('GET', '/api/domains/:domain/machines', MDE_ROLES.machineRead, (context) =>
		collectionResult(context, 'Machines', machinesOfDomain(context.runtime.store, domainParam(context)).map(mdeMachine)),
	);

	route('GET', '/api/users/:id/alerts', MDE_ROLES.alertRead, (context) => {
		const { store } = context.runtime;
		return collectionResult(context, 'Alerts', alertsOfUser(store, userParam(context)).map((alert) => mdeAlert(store, alert)));
	});
	route('GET', '/api/users/:id/machines', MDE_ROLES.userMachines, (context) =>
		collectionResult(context, 'Machines', machinesOfUser(context.runtime.store, userParam(context)).map(mdeMachine)),
	);

	route('GET', '/api/vulnerabilities', MDE_ROLES.vulnerabilityRead, (context) =>
		listEntities({ context, items: allVulnerabilities(context.runtime.store), schema: VULNERABILITY_SCHEMA, entitySet: 'Vulnerabilities', maxTop: 8_000, serialize: (item) => item }),
	);
	route('GET', '/api/software', MDE_ROLES.softwareRead, (context) =>
		listEntities({ context, items: allSoftware(context.runtime.store), schema: SOFTWARE_SCHEMA, entitySet: 'Software', maxTop: 10_000, serialize: (item) => item }),
	);
	route('GET', '/api/recommendations', MDE_ROLES.recommendationRead, (context) =>
		listEntities({ context, items: allRecommendations(context.runtime.store), schema: RECOMMENDATION_SCHEMA, entitySet: 'Recommendations', maxTop: 10_000, serialize: (item) => item }),
	);
}
