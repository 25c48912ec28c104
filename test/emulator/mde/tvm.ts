import type { EntitySchema } from '../graph/odata';
import type { RequestContext, Router } from '../server';
import type { Machine } from '../store/types';
import { bodyObject, collectionResult, entity, listEntities, MACHINE_ID, mdeTimestamp, requiredString, requireMachine, stableHash } from './common';
import { MDE_ROLES, mdeRoute } from './permissions';
import {
	allRecommendations,
	configurationChecks,
	cvssOfMachine,
	isKnownCve,
	isKnownRecommendation,
	isKnownSoftware,
	machineReference,
	machinesExposedToCve,
	machinesOfRecommendation,
	machinesWithSoftware,
	machineVulnerabilityRows,
	mdeMachine,
	missingKbsOfMachine,
	missingKbsOfSoftware,
	softwareOfRecommendation,
	versionDistribution,
	vulnerabilitiesOfRecommendation,
	vulnerabilitiesOfSoftware,
} from './relations';

/**
 * Defender Vulnerability Management drill-down, remediation activities, scores and device value,
 * as MicrosoftDocs/defender-docs documents them under defender-endpoint/api/ (each route names its
 * page). Everything is derived from the seeded catalogue in relations.ts, so it follows the seed.
 */

function cveParam(context: RequestContext): string {
	const cve = context.params.id.trim();
	if (!isKnownCve(cve)) return context.fail(404, 'ResourceNotFound', `Vulnerability ${cve} was not found`);
	return cve;
}

function softwareParam(context: RequestContext): string {
	const id = context.params.id.trim();
	if (!isKnownSoftware(id)) return context.fail(404, 'ResourceNotFound', `Software ${id} was not found`);
	return id;
}

function recommendationParam(context: RequestContext): string {
	const id = context.params.id.trim();
	if (!isKnownRecommendation(context.runtime.store, id)) return context.fail(404, 'ResourceNotFound', `Recommendation ${id} was not found`);
	return id;
}

function machineParam(context: RequestContext): Machine {
	if (!MACHINE_ID.test(context.params.id)) return context.fail(404, 'ResourceNotFound', `Machine ${context.params.id} was not found`);
	return requireMachine(context, context.params.id);
}

const references = (context: RequestContext, machines: Machine[]) => collectionResult(context, 'MachineReferences', machines.map(machineReference));
const VULNERABILITY_COLLECTION = 'Collection(Analytics.Contracts.PublicAPI.PublicVulnerabilityDto)';
const PRODUCT_FIXES = 'Collection(microsoft.windowsDefenderATP.api.PublicProductFixDto)';

/** get-all-vulnerabilities-by-machines.md: the properties $filter supports. */
const MACHINE_VULNERABILITY_SCHEMA: EntitySchema = {
	typeName: 'microsoft.windowsDefenderATP.api.PublicAssetVulnerabilityDto',
	properties: {
		id: { type: 'string', filterable: true },
		cveId: { type: 'string', filterable: true },
		machineId: { type: 'string', filterable: true },
		fixingKbId: { type: 'string', filterable: true },
		productName: { type: 'string', filterable: true },
		productVendor: { type: 'string', filterable: true },
		productVersion: { type: 'string', filterable: true },
		severity: { type: 'string', filterable: true },
	},
};

/** get-remediation-all-activities.md: $filter on createdOn and status. */
const REMEDIATION_SCHEMA: EntitySchema = {
	typeName: 'microsoft.windowsDefenderATP.api.RemediationTask',
	properties: {
		id: { type: 'string' },
		createdOn: { type: 'datetime', filterable: true },
		status: { type: 'string', filterable: true },
	},
};

const DAY_MS = 86_400_000;

function guidFrom(text: string): string {
	const hex = [0, 1, 2, 3].map((salt) => stableHash(`${salt}|${text}`).toString(16).padStart(8, '0')).join('');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Remediation activities (get-remediation-all-activities.md) for the software recommendations, created a week apart. */
export function remediationTasks(context: RequestContext): Record<string, unknown>[] {
	const { store } = context.runtime;
	const anchor = Date.UTC(2024, 4, 1);
	return allRecommendations(store)
		.filter((recommendation) => String(recommendation.id).startsWith('va-_-'))
		.map((recommendation, index) => {
			const productId = String(recommendation.id).replace(/^va-_-/, '');
			const createdMs = anchor + index * 7 * DAY_MS;
			const target = Number(recommendation.exposedMachinesCount);
			const completed = index % 3 === 2;
			const requester = store.users[index % Math.max(store.users.length, 1)];
			return {
				id: guidFrom(String(recommendation.id)),
				title: String(recommendation.recommendationName),
				createdOn: mdeTimestamp(createdMs),
				requesterId: requester?.aadUserId ?? null,
				requesterEmail: requester?.userPrincipalName ?? null,
				status: completed ? 'Completed' : 'Active',
				statusLastModifiedOn: mdeTimestamp(createdMs + (completed ? 5 * DAY_MS : 0)),
				description: `${String(recommendation.recommendationName)} to mitigate ${String(recommendation.weaknesses)} known vulnerabilities affecting your devices.`,
				relatedComponent: recommendation.relatedComponent,
				targetDevices: target,
				rbacGroupNames: [...new Set(machinesOfRecommendation(store, String(recommendation.id)).map((machine) => machine.rbacGroupName))].sort(),
				fixedDevices: completed ? target : Math.floor(target / 3),
				requesterNotes: null,
				dueOn: mdeTimestamp(createdMs + 14 * DAY_MS),
				category: 'Software',
				productivityImpactRemediationType: null,
				priority: ['High', 'Medium', 'Low'][index % 3],
				completionMethod: completed ? 'Automatic' : null,
				completerId: null,
				completerEmail: null,
				scid: null,
				type: String(recommendation.remediationType),
				productId,
				vendorId: String(recommendation.vendor),
				nameId: String(recommendation.productName),
				recommendedVersion: recommendation.recommendedVersion ?? null,
				recommendedVendor: null,
				recommendedProgram: null,
			};
		});
}

/** Exposure of one device, 0 to 100: the CVSS of what it is exposed to, capped. */
function machineExposure(machine: Machine): number {
	return Math.min(100, cvssOfMachine(machine).reduce((sum, cvss) => sum + cvss, 0) * 3);
}

function meanExposure(machines: Machine[]): number {
	return machines.length === 0 ? 0 : machines.reduce((sum, machine) => sum + machineExposure(machine), 0) / machines.length;
}

const DEVICE_VALUES = ['Normal', 'Low', 'High'];

export function registerTvmRoutes(router: Router): void {
	const route = mdeRoute(router);
	const now = (context: RequestContext) => mdeTimestamp(context.runtime.clock.nowMs());

	// get-machines-by-vulnerability.md
	route('GET', '/api/vulnerabilities/:id/machineReferences', MDE_ROLES.vulnerabilityRead, (context) =>
		references(context, machinesExposedToCve(context.runtime.store, cveParam(context))),
	);
	// get-all-vulnerabilities-by-machines.md: $top at most 10,000, $skip.
	route('GET', '/api/vulnerabilities/machinesVulnerabilities', MDE_ROLES.vulnerabilityRead, (context) =>
		listEntities({
			context,
			items: machineVulnerabilityRows(context.runtime.store),
			schema: MACHINE_VULNERABILITY_SCHEMA,
			entitySet: 'Collection(microsoft.windowsDefenderATP.api.PublicAssetVulnerabilityDto)',
			maxTop: 10_000,
			serialize: (item) => item,
		}),
	);

	// get-machines-by-software.md, get-vuln-by-software.md, get-software-ver-distribution.md, get-missing-kbs-software.md
	route('GET', '/api/Software/:id/machineReferences', MDE_ROLES.softwareRead, (context) => references(context, machinesWithSoftware(context.runtime.store, softwareParam(context))));
	route('GET', '/api/Software/:id/vulnerabilities', MDE_ROLES.vulnerabilityRead, (context) =>
		collectionResult(context, VULNERABILITY_COLLECTION, vulnerabilitiesOfSoftware(context.runtime.store, softwareParam(context))),
	);
	route('GET', '/api/Software/:id/distributions', MDE_ROLES.softwareRead, (context) =>
		collectionResult(context, 'Distributions', versionDistribution(context.runtime.store, softwareParam(context))),
	);
	route('GET', '/api/Software/:id/getmissingkbs', MDE_ROLES.softwareRead, (context) =>
		collectionResult(context, PRODUCT_FIXES, missingKbsOfSoftware(context.runtime.store, softwareParam(context))),
	);

	// get-missing-kbs-machine.md
	route('GET', '/api/machines/:id/getmissingkbs', MDE_ROLES.softwareRead, (context) => collectionResult(context, PRODUCT_FIXES, missingKbsOfMachine(machineParam(context))));

	// get-recommendation-machines.md, list-recommendation-software.md (one product, Software.Read.All), get-recommendation-vulnerabilities.md
	route('GET', '/api/recommendations/:id/machineReferences', MDE_ROLES.recommendationRead, (context) =>
		references(context, machinesOfRecommendation(context.runtime.store, recommendationParam(context))),
	);
	route('GET', '/api/recommendations/:id/software', MDE_ROLES.softwareRead, (context) => {
		const software = softwareOfRecommendation(context.runtime.store, recommendationParam(context));
		if (!software) return context.fail(404, 'ResourceNotFound', `Recommendation ${context.params.id} is not about a software product`);
		return entity(context, 'Analytics.Contracts.PublicAPI.PublicProductDto', software);
	});
	route('GET', '/api/recommendations/:id/vulnerabilities', MDE_ROLES.vulnerabilityRead, (context) =>
		collectionResult(context, VULNERABILITY_COLLECTION, vulnerabilitiesOfRecommendation(context.runtime.store, recommendationParam(context))),
	);

	// get-remediation-all-activities.md ($top at most 10,000) and get-remediation-one-activity.md
	route('GET', '/api/remediationTasks', MDE_ROLES.remediationRead, (context) =>
		listEntities({ context, items: remediationTasks(context), schema: REMEDIATION_SCHEMA, entitySet: 'RemediationTasks', maxTop: 10_000, serialize: (item) => item }),
	);
	route('GET', '/api/remediationTasks/:id', MDE_ROLES.remediationRead, (context) => {
		const task = remediationTasks(context).find((candidate) => String(candidate.id).toLowerCase() === context.params.id.toLowerCase());
		if (!task) return context.fail(404, 'ResourceNotFound', `Remediation task ${context.params.id} was not found`);
		return entity(context, 'RemediationTasks/$entity', task);
	});

	// get-exposure-score.md, get-machine-group-exposure-score.md, get-device-secure-score.md
	route('GET', '/api/exposureScore', MDE_ROLES.scoreRead, (context) =>
		entity(context, 'ExposureScore/$entity', { time: now(context), score: meanExposure(context.runtime.store.machines) }),
	);
	route('GET', '/api/exposureScore/ByMachineGroups', MDE_ROLES.scoreRead, (context) => {
		const groups = [...new Set(context.runtime.store.machines.map((machine) => machine.rbacGroupName))].sort();
		const scores = groups.map((group) => ({
			time: now(context),
			score: meanExposure(context.runtime.store.machines.filter((machine) => machine.rbacGroupName === group)),
			rbacGroupName: group,
		}));
		return collectionResult(context, 'ExposureScore', scores);
	});
	route('GET', '/api/configurationScore', MDE_ROLES.scoreRead, (context) => {
		const { applicable, failing } = configurationChecks(context.runtime.store);
		return entity(context, 'ConfigurationScore/$entity', { time: now(context), score: applicable === 0 ? 0 : Math.round((1000 * (applicable - failing)) / applicable) });
	});

	// set-device-value.md: {DeviceValue: Normal | Low | High}, case-sensitive; 200 with the machine.
	route('POST', '/api/machines/:id/setDeviceValue', MDE_ROLES.machineWrite, (context) => {
		const machine = machineParam(context);
		const value = requiredString(context, bodyObject(context), 'DeviceValue');
		if (!DEVICE_VALUES.includes(value)) return context.fail(400, 'InvalidInput', `Invalid input DeviceValue: ${value}. Allowed values are 'Normal', 'Low' and 'High'.`);
		machine.deviceValue = value;
		return entity(context, 'Machines/$entity', mdeMachine(machine));
	});
}
