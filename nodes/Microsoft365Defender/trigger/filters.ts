import type { IDataObject } from 'n8n-workflow';

import { allOf, anyOf, odataString } from '../transport/odata';
import type { EventDefinition } from './events';
import { normalizeTimestamp, odataLowerBound, odataUpperBound } from './timestamps';

/** Severities from least to most severe; `unknown` ranks below everything. */
export const SEVERITY_ORDER = ['unknown', 'informational', 'low', 'medium', 'high'] as const;

export interface TriggerFilters {
	/** Severities sent to Graph, or undefined for any. Never empty (see resolveSeverities). */
	severities?: string[];
	statuses: string[];
	serviceSources: string[];
	assignedTo?: string;
	/** Client-side, case-insensitive substring of the title. */
	titleContains?: string;
	/** Client-side: the item carries at least one of these tags (custom or system), case-insensitive. */
	tags: string[];
	/** Updated events only: also fire for an item's first version (lastUpdateDateTime = createdDateTime). */
	includeCreated: boolean;
}

export class TriggerConfigurationError extends Error {
	constructor(
		readonly parameter: string,
		message: string,
	) {
		super(message);
		this.name = 'TriggerConfigurationError';
	}
}

/**
 * "At least" and "any of" together: the severities that satisfy both. Undefined means no
 * severity filter; an empty intersection is a configuration error rather than a silent trigger.
 */
export function resolveSeverities(minimum: string | undefined, anyOfList: string[]): string[] | undefined {
	let allowed: string[] | undefined;
	if (minimum) {
		const rank = SEVERITY_ORDER.indexOf(minimum as (typeof SEVERITY_ORDER)[number]);
		if (rank < 0) throw new TriggerConfigurationError('minimumSeverity', `Unknown severity "${minimum}"`);
		allowed = SEVERITY_ORDER.slice(Math.max(rank, 1));
	}
	if (anyOfList.length > 0) {
		allowed = allowed ? anyOfList.filter((severity) => allowed?.includes(severity)) : [...anyOfList];
		if (allowed.length === 0) {
			throw new TriggerConfigurationError(
				'severity',
				`No severity is both at least "${minimum}" and one of ${anyOfList.join(', ')}: the trigger could never fire.`,
			);
		}
	}
	return allowed;
}

/** The server-side filter: the event's timestamp from `since` on, plus the attribute filters. */
export function serverFilter(
	definition: EventDefinition,
	filters: TriggerFilters,
	since: string | undefined,
): string | undefined {
	return allOf([
		since ? `${definition.timestampField} ge ${odataLowerBound(since)}` : undefined,
		anyOf('severity', filters.severities ?? []),
		anyOf('status', filters.statuses),
		filters.assignedTo ? `assignedTo eq ${odataString(filters.assignedTo)}` : undefined,
		definition.kind === 'alert' ? anyOf('serviceSource', filters.serviceSources) : undefined,
	]);
}

/**
 * New events, the late lane: items created in [createdFrom, createdBefore) (behind the main
 * window) that Graph published or changed from `since` on (lastUpdateDateTime), plus the
 * attribute filters. The upper bound is rounded up so nothing at its edge falls between lanes.
 */
export function lateFilter(
	definition: EventDefinition,
	filters: TriggerFilters,
	late: { since: string; createdFrom: string; createdBefore: string },
): string | undefined {
	return allOf([
		`lastUpdateDateTime ge ${odataLowerBound(late.since)}`,
		`createdDateTime ge ${odataLowerBound(late.createdFrom)}`,
		`createdDateTime lt ${odataUpperBound(late.createdBefore)}`,
		serverFilter(definition, filters, undefined),
	]);
}

const asStrings = (value: unknown): string[] =>
	Array.isArray(value) ? value.filter((entry): entry is string => typeof entry === 'string') : [];

/** What Graph cannot filter on: title, tags, and (Updated events) whether it is a first version. */
export function matchesClientFilters(definition: EventDefinition, filters: TriggerFilters, item: IDataObject): boolean {
	if (filters.titleContains) {
		const title = String(item[definition.titleField] ?? '').toLowerCase();
		if (!title.includes(filters.titleContains.toLowerCase())) return false;
	}
	if (filters.tags.length > 0) {
		const carried = new Set([...asStrings(item.customTags), ...asStrings(item.systemTags)].map((tag) => tag.toLowerCase()));
		if (!filters.tags.some((tag) => carried.has(tag.toLowerCase()))) return false;
	}
	if (definition.change === 'updated' && !filters.includeCreated) {
		const created = normalizeTimestamp(item.createdDateTime);
		if (created !== undefined && created === normalizeTimestamp(item.lastUpdateDateTime)) return false;
	}
	return true;
}

/** "a, b ,c" (or a list) as trimmed, non-empty entries. */
export function splitList(value: unknown): string[] {
	const parts = Array.isArray(value) ? value.map(String) : String(value ?? '').split(',');
	return parts.map((part) => part.trim()).filter(Boolean);
}
