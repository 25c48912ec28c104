import {
	NodeOperationError,
	type IDataObject,
	type INodeExecutionData,
	type IPollFunctions,
} from 'n8n-workflow';

import { processCache } from '../runtime';
import { toNodeError } from '../transport/errors';
import { defenderApiRequestAllItems } from '../transport/request';
import { buildConfig, type TriggerConfig } from './config';
import { matchesClientFilters, serverFilter, TriggerConfigurationError } from './filters';
import { simplifyItem } from './simplify';
import { applyPoll, planPoll, readState, toCandidates, type PollState } from './state';
import { normalizeTimestamp } from './timestamps';

/** How many items a manual "Fetch Test Event" looks through for one that passes the filters. */
const MANUAL_SCAN_LIMIT = 200;
/** Updated events: the last hour of changes, then the last day, each read up to this many items. */
const MANUAL_RECENT_CHANGE_WINDOWS_MS = [60 * 60_000, 24 * 60 * 60_000];
const MANUAL_RECENT_SCAN_LIMIT = 1000;

/**
 * Polls of one trigger node that are still running in this process. n8n starts the next poll on
 * schedule even if the previous one has not finished; two polls working from the same saved state
 * would emit the same events, so the later one is skipped.
 */
const runningPolls = processCache<true>('runningPolls');

function readConfig(this: IPollFunctions): TriggerConfig {
	try {
		return buildConfig(
			this.getNodeParameter('event'),
			this.getNodeParameter('filters', {}) as IDataObject,
			this.getNodeParameter('options', {}) as IDataObject,
		);
	} catch (error) {
		if (error instanceof TriggerConfigurationError) {
			throw new NodeOperationError(this.getNode(), error.message, {
				description: `Check the "${error.parameter}" parameter.`,
			});
		}
		throw toNodeError(this.getNode(), error);
	}
}

async function fetchItems(this: IPollFunctions, config: TriggerConfig, since: string | undefined, limit?: number) {
	const { definition } = config;
	return await defenderApiRequestAllItems.call(
		this,
		{
			api: 'graph',
			method: 'GET',
			path: definition.collectionPath,
			query: {
				$filter: serverFilter(definition, config.filters, since),
				$top: Math.min(definition.pageSize, limit ?? definition.pageSize),
				$expand: config.includeAlerts ? 'alerts' : undefined,
			},
			permission: definition.permission,
		},
		{ limit },
	);
}

function toOutput(config: TriggerConfig, items: IDataObject[]): INodeExecutionData[][] {
	return [items.map((item) => ({ json: config.simplify ? simplifyItem(config.definition, item) : item }))];
}

/** Replaces the node's static data in place (n8n persists that object) with the new state. */
function saveState(staticData: IDataObject, state: PollState): void {
	for (const key of Object.keys(staticData)) delete staticData[key];
	Object.assign(staticData, { ...state, seen: { ...state.seen } });
}

/** The newest item of `items` that passes the client-side filters, by the event's timestamp. */
function latestMatching(config: TriggerConfig, items: IDataObject[]): IDataObject | undefined {
	let best: { item: IDataObject; timestamp: string } | undefined;
	for (const item of items) {
		if (!matchesClientFilters(config.definition, config.filters, item)) continue;
		const timestamp = normalizeTimestamp(item[config.definition.timestampField]);
		if (timestamp && (!best || timestamp > best.timestamp)) best = { item, timestamp };
	}
	return best?.item;
}

/**
 * "Fetch Test Event": the newest item that matches, without reading or moving the cursor.
 * Graph lists newest-created first, so for New events the first items are the latest. For
 * Updated events the most recently changed one can be an old incident, so the last hour, then
 * the last day, of changes is looked at first.
 */
async function fetchTestEvent(this: IPollFunctions, config: TriggerConfig): Promise<INodeExecutionData[][]> {
	const { definition } = config;
	let scanned = 0;
	if (definition.change === 'updated') {
		for (const windowMs of MANUAL_RECENT_CHANGE_WINDOWS_MS) {
			const since = normalizeTimestamp(new Date(Date.now() - windowMs));
			const recent = await fetchItems.call(this, config, since, MANUAL_RECENT_SCAN_LIMIT);
			scanned += recent.length;
			const item = latestMatching(config, recent);
			if (item) return toOutput(config, [item]);
		}
	}
	const items = await fetchItems.call(this, config, undefined, MANUAL_SCAN_LIMIT);
	scanned += items.length;
	const item = latestMatching(config, items);
	if (!item) {
		throw new NodeOperationError(this.getNode(), 'No data with the current filter could be found', {
			description: `None of the ${scanned} most recent ${definition.kind}s Graph returned matches the filters. Loosen them, or wait for a matching ${definition.kind}.`,
		});
	}
	return toOutput(config, [item]);
}

export async function pollDefender(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	const config = readConfig.call(this);
	if (this.getMode() === 'manual') return await fetchTestEvent.call(this, config);

	const pollKey = `${this.getWorkflow().id ?? ''}:${this.getNode().id}`;
	if (runningPolls.get(pollKey)) {
		this.logger.info('Microsoft 365 Defender Trigger: the previous poll is still running, skipping this one');
		return null;
	}
	runningPolls.set(pollKey, true);
	try {
		const staticData = this.getWorkflowStaticData('node');
		const settings = { definition: config.definition, overlapMs: config.overlapMs, startFrom: config.startFrom };
		const plan = planPoll(readState(staticData, config.definition.event), settings, new Date());
		// Any failure up to here throws before the state is touched: the next poll repeats this window.
		const items = await fetchItems.call(this, config, plan.since);
		const candidates = toCandidates(config.definition, items, (item) =>
			matchesClientFilters(config.definition, config.filters, item),
		);
		const { events, state } = applyPoll(plan, settings, candidates);
		saveState(staticData, state);
		return events.length > 0 ? toOutput(config, events) : null;
	} finally {
		runningPolls.delete(pollKey);
	}
}
