import type { IDataObject } from 'n8n-workflow';

import { eventDefinition, type EventDefinition } from './events';
import { resolveSeverities, splitList, TriggerConfigurationError, type TriggerFilters } from './filters';
import { DEFAULT_MAX_EVENTS_PER_POLL, DEFAULT_OVERLAP_MINUTES } from './state';
import { normalizeTimestamp } from './timestamps';

export interface TriggerConfig {
	definition: EventDefinition;
	filters: TriggerFilters;
	overlapMs: number;
	/** Most events one poll (one execution) emits; the rest follow in the next polls. */
	maxEvents: number;
	startFrom?: string;
	includeAlerts: boolean;
	simplify: boolean;
}

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);

/** The node's parameters as the polling logic needs them; throws TriggerConfigurationError. */
export function buildConfig(event: unknown, filters: IDataObject, options: IDataObject): TriggerConfig {
	const definition = eventDefinition(event);
	const isIncident = definition.kind === 'incident';

	const overlapMinutes = options.overlapMinutes === undefined ? DEFAULT_OVERLAP_MINUTES : Number(options.overlapMinutes);
	if (!Number.isFinite(overlapMinutes) || overlapMinutes < 1) {
		throw new TriggerConfigurationError('overlapMinutes', 'The look-back overlap must be at least 1 minute.');
	}

	const maxEvents = options.maxEventsPerPoll === undefined ? DEFAULT_MAX_EVENTS_PER_POLL : Number(options.maxEventsPerPoll);
	if (!Number.isInteger(maxEvents) || maxEvents < 1) {
		throw new TriggerConfigurationError('maxEventsPerPoll', 'Max Events per Poll must be a whole number of at least 1.');
	}

	let startFrom: string | undefined;
	if (options.startFrom !== undefined && options.startFrom !== '') {
		startFrom = normalizeTimestamp(options.startFrom);
		if (!startFrom) {
			throw new TriggerConfigurationError('startFrom', `"${String(options.startFrom)}" is not a date. Use an ISO 8601 date such as 2026-01-31T08:00:00Z.`);
		}
	}

	const assignedTo = typeof filters.assignedTo === 'string' ? filters.assignedTo.trim() : '';
	const titleContains = typeof filters.titleContains === 'string' ? filters.titleContains.trim() : '';
	return {
		definition,
		filters: {
			severities: resolveSeverities(
				typeof filters.minimumSeverity === 'string' ? filters.minimumSeverity : undefined,
				strings(filters.severity),
			),
			statuses: strings(isIncident ? filters.incidentStatus : filters.alertStatus),
			serviceSources: isIncident ? [] : strings(filters.serviceSource),
			assignedTo: assignedTo || undefined,
			titleContains: titleContains || undefined,
			tags: splitList(filters.tags),
			includeCreated: options.includeCreated !== false,
		},
		overlapMs: Math.round(overlapMinutes * 60_000),
		maxEvents,
		startFrom,
		includeAlerts: isIncident && options.includeAlerts === true,
		simplify: options.simplify === true,
	};
}
