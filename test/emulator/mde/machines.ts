import type { EntitySchema } from '../graph/odata';
import type { RequestContext, Router } from '../server';
import type { Machine } from '../store/types';
import {
	bodyObject,
	collectionResult,
	entity,
	isIpAddress,
	listEntities,
	MACHINE_ID,
	requireMachine,
	requiredString,
} from './common';
import { MDE_ROLES, mdeRoute } from './permissions';
import {
	alertsOfMachine,
	logonUserEntity,
	logonUsersOf,
	mdeAlert,
	mdeMachine,
	recommendationsOfMachine,
	softwareOfMachine,
	vulnerabilitiesOfMachine,
} from './relations';

/**
 * machine.md (MicrosoftDocs/defender-docs, defender-endpoint/api): healthStatus, riskScore, exposureLevel,
 * deviceValue and onboardingStatus values as the page lists them (the page writes `onboarded` in lower
 * case beside PascalCase values; filters on enums match regardless of case). osPlatform is a String there,
 * with no list of values.
 */
export const MACHINE_SCHEMA: EntitySchema = {
	typeName: 'microsoft.windowsDefenderATP.api.PublicMachine',
	properties: {
		id: { type: 'string', filterable: true, sortable: true },
		computerDnsName: { type: 'string', filterable: true, sortable: true },
		firstSeen: { type: 'datetime', sortable: true },
		lastSeen: { type: 'datetime', filterable: true, sortable: true },
		osPlatform: { type: 'string', filterable: true, sortable: true },
		version: { type: 'string', filterable: true },
		osProcessor: { type: 'string' },
		lastIpAddress: { type: 'string', filterable: true },
		lastExternalIpAddress: { type: 'string' },
		osBuild: { type: 'number' },
		healthStatus: {
			type: 'enum',
			enumTypeName: 'microsoft.windowsDefenderATP.api.HealthStatus',
			enumValues: ['Active', 'Inactive', 'ImpairedCommunication', 'NoSensorData', 'NoSensorDataImpairedCommunication', 'Unknown'],
			filterable: true,
			sortable: true,
		},
		onboardingStatus: {
			type: 'enum',
			enumTypeName: 'microsoft.windowsDefenderATP.api.OnboardingStatus',
			enumValues: ['Onboarded', 'CanBeOnboarded', 'Unsupported', 'InsufficientInfo'],
			filterable: true,
		},
		deviceValue: { type: 'enum', enumTypeName: 'microsoft.windowsDefenderATP.api.DeviceValue', enumValues: ['Low', 'Normal', 'High'], filterable: true },
		rbacGroupId: { type: 'number', filterable: true },
		rbacGroupName: { type: 'string' },
		riskScore: {
			type: 'enum',
			enumTypeName: 'microsoft.windowsDefenderATP.api.RiskScore',
			enumValues: ['None', 'Informational', 'Low', 'Medium', 'High'],
			filterable: true,
			sortable: true,
		},
		exposureLevel: {
			type: 'enum',
			enumTypeName: 'microsoft.windowsDefenderATP.api.ExposureLevel',
			enumValues: ['None', 'Low', 'Medium', 'High'],
			filterable: true,
			sortable: true,
		},
		isAadJoined: { type: 'boolean' },
		aadDeviceId: { type: 'string', filterable: true },
		machineTags: { type: 'stringCollection', filterable: true },
	},
};

const MACHINE_READ = MDE_ROLES.machineRead;

/** `findbyip(ip='10.1.2.3',timestamp=2024-01-01T00:00:00Z)` as the last path segment. */
const FIND_BY_IP = /^findbyip\((.*)\)$/i;

function findByIp(context: RequestContext, argumentsText: string) {
	const args: Record<string, string> = {};
	for (const part of argumentsText.split(',')) {
		const index = part.indexOf('=');
		if (index < 0) return context.fail(400, 'InvalidInput', `Invalid input ${argumentsText}.`);
		args[part.slice(0, index).trim().toLowerCase()] = part.slice(index + 1).trim().replace(/^'(.*)'$/, '$1');
	}
	const ip = args.ip;
	if (!ip) return context.fail(400, 'MissingRequiredParameter', 'Parameter ip is missing.');
	if (!isIpAddress(ip)) return context.fail(400, 'InvalidIpAddress', `IP address ${ip} is invalid.`);
	const timestampText = args.timestamp;
	if (!timestampText) return context.fail(400, 'MissingRequiredParameter', 'Parameter timestamp is missing.');
	const timestamp = Date.parse(timestampText);
	if (Number.isNaN(timestamp)) return context.fail(400, 'InvalidInput', `Invalid input timestamp: ${timestampText}.`);
	const now = context.runtime.clock.nowMs();
	if (timestamp < now - 30 * 86_400_000 || timestamp > now + 15 * 60_000) {
		return context.fail(400, 'InvalidInput', 'The given timestamp must be in the past 30 days.');
	}
	// A device reports its IP while it is seen: 15 minutes either side of the timestamp.
	const window = 15 * 60_000;
	const found = context.runtime.store.machines.filter(
		(machine) =>
			(machine.lastIpAddress === ip || machine.ipAddresses.some((address) => address.ipAddress === ip)) &&
			Date.parse(machine.firstSeen) <= timestamp + window &&
			Date.parse(machine.lastSeen) >= timestamp - window,
	);
	return collectionResult(context, 'Machines', found.map(mdeMachine));
}

function checkMachineId(context: RequestContext, id: string): void {
	if (!MACHINE_ID.test(id)) context.fail(404, 'ResourceNotFound', `Machine ${id} was not found`);
}

function machineOf(context: RequestContext): Machine {
	checkMachineId(context, context.params.id);
	return requireMachine(context, context.params.id);
}

export function registerMachineRoutes(router: Router): void {
	const route = mdeRoute(router);

	route('GET', '/api/machines', MACHINE_READ, (context) =>
		listEntities({
			context,
			items: context.runtime.store.machines,
			schema: MACHINE_SCHEMA,
			entitySet: 'Machines',
			maxTop: 10_000,
			serialize: mdeMachine,
		}),
	);

	route('GET', '/api/machines/findbytag', MACHINE_READ, (context) => {
		const tag = context.query.get('tag');
		if (!tag) return context.fail(400, 'MissingRequiredParameter', 'Parameter tag is missing.');
		const startsWith = (context.query.get('useStartsWithFilter') ?? 'false').toLowerCase() === 'true';
		const wanted = tag.toLowerCase();
		const found = context.runtime.store.machines.filter((machine) =>
			machine.machineTags.some((candidate) => (startsWith ? candidate.toLowerCase().startsWith(wanted) : candidate.toLowerCase() === wanted)),
		);
		return collectionResult(context, 'Machines', found.map(mdeMachine));
	});

	route('GET', '/api/machines/:id', MACHINE_READ, (context) => {
		const findCall = FIND_BY_IP.exec(context.params.id);
		if (findCall) return findByIp(context, findCall[1]);
		return entity(context, 'Machines/$entity', mdeMachine(machineOf(context)));
	});

	route('GET', '/api/machines/:id/logonusers', MDE_ROLES.userRead, (context) => {
		const machine = machineOf(context);
		const { store } = context.runtime;
		return collectionResult(context, 'Users', logonUsersOf(store, machine).map((user) => logonUserEntity(store, machine, user)));
	});

	route('GET', '/api/machines/:id/alerts', MDE_ROLES.alertRead, (context) => {
		const machine = machineOf(context);
		const { store } = context.runtime;
		return collectionResult(context, 'Alerts', alertsOfMachine(store, machine.id).map((alert) => mdeAlert(store, alert)));
	});

	route('GET', '/api/machines/:id/software', MDE_ROLES.softwareRead, (context) =>
		collectionResult(context, 'Software', softwareOfMachine(context.runtime.store, machineOf(context))),
	);

	route('GET', '/api/machines/:id/vulnerabilities', MDE_ROLES.vulnerabilityRead, (context) =>
		collectionResult(
			context,
			'Collection(Analytics.Contracts.PublicAPI.PublicVulnerabilityDto)',
			vulnerabilitiesOfMachine(context.runtime.store, machineOf(context)),
		),
	);

	route('GET', '/api/machines/:id/recommendations', MDE_ROLES.recommendationRead, (context) =>
		collectionResult(context, 'Recommendations', recommendationsOfMachine(context.runtime.store, machineOf(context))),
	);

	route('POST', '/api/machines/:id/tags', MDE_ROLES.machineWrite, (context) => {
		const machine = machineOf(context);
		const body = bodyObject(context);
		const value = requiredString(context, body, 'Value').trim();
		const action = requiredString(context, body, 'Action');
		if (value.length > 200) return context.fail(400, 'InvalidInput', `Invalid input Value: a tag has at most 200 characters.`);
		if (action === 'Add') {
			if (!machine.machineTags.includes(value)) machine.machineTags.push(value);
		} else if (action === 'Remove') {
			machine.machineTags = machine.machineTags.filter((tag) => tag !== value);
		} else {
			return context.fail(400, 'InvalidInput', `Invalid input Action: ${action}. Allowed values are 'Add' or 'Remove'.`);
		}
		return entity(context, 'Machines/$entity', mdeMachine(machine));
	});
}
