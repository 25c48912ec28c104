import {
	NodeOperationError,
	type IDataObject,
	type INodeExecutionData,
	type IPollFunctions,
} from 'n8n-workflow';

import { processCache } from '../runtime';
import { toNodeError } from '../transport/errors';
import { defenderApiRequest, defenderApiRequestAllItems, type ApiRequest } from '../transport/request';
import { tenantOptionOf } from '../transport/tenant';
import { buildConfig, type TriggerConfig } from './config';
import { lateFilter, matchesClientFilters, serverFilter, TriggerConfigurationError } from './filters';
import { simplifyItem } from './simplify';
import {
	applyPoll,
	EPOCH,
	isFresh,
	planPoll,
	readState,
	toCandidates,
	type Candidate,
	type Lane,
	type PollPlan,
	type PollSettings,
	type PollState,
} from './state';
import { normalizeTimestamp } from './timestamps';

/** How many items a manual "Fetch Test Event" looks through, newest first, for one that passes the filters. */
const MANUAL_SCAN_LIMIT = 200;

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

type Order = 'asc' | 'desc';

function listRequest(
	config: TriggerConfig,
	field: string,
	order: Order,
	filter: string | undefined,
	top: number,
	expand = config.includeAlerts,
): ApiRequest {
	const { definition } = config;
	return {
		api: 'graph',
		method: 'GET',
		path: definition.collectionPath,
		query: {
			$filter: filter,
			// Graph lists newest first by default; the trigger never relies on that and asks for its order.
			$orderby: `${field} ${order}`,
			$top: top,
			$expand: expand ? 'alerts' : undefined,
		},
		permission: definition.permission,
	};
}

/**
 * Microsoft's "now" for a first activation: the newest value of `field` Graph lists (any item,
 * filters or not), or EPOCH when the collection is empty. n8n's clock is never used.
 */
async function microsoftNow(this: IPollFunctions, config: TriggerConfig, field: string): Promise<string> {
	const page = await defenderApiRequest.call(this, listRequest(config, field, 'desc', undefined, 1, false));
	const newest = Array.isArray(page.value) ? (page.value as IDataObject[])[0] : undefined;
	return normalizeTimestamp(newest?.[field]) ?? EPOCH;
}

/**
 * Reads one lane's window page by page, oldest first, keeping only the items that can become
 * events (the others are reduced to their id and timestamps), and stops once more than `limit`
 * are fresh: the rest is for the next poll.
 */
async function fetchLane(
	this: IPollFunctions,
	config: TriggerConfig,
	plan: PollPlan,
	settings: PollSettings,
	lane: Lane,
	limit: number,
): Promise<Array<Candidate<IDataObject>>> {
	const { definition } = config;
	const late = lane === 'late' ? plan.late : undefined;
	const filter = late ? lateFilter(definition, config.filters, late) : serverFilter(definition, config.filters, plan.since);
	const field = late ? 'lastUpdateDateTime' : definition.timestampField;
	const first = listRequest(config, field, 'asc', filter, definition.pageSize);
	const candidates: Array<Candidate<IDataObject>> = [];
	const freshIds = new Set<string>();
	let next: ApiRequest | undefined = first;
	while (next) {
		const page: IDataObject = await defenderApiRequest.call(this, next);
		const values = Array.isArray(page.value) ? (page.value as IDataObject[]) : [];
		for (const candidate of toCandidates(definition, values, (item) => matchesClientFilters(definition, config.filters, item), lane)) {
			if (isFresh(plan, settings, candidate, lane)) {
				freshIds.add(candidate.id);
				candidates.push(candidate);
			} else {
				candidates.push({ ...candidate, item: {}, matches: false });
			}
		}
		if (freshIds.size > limit) break;
		const nextLink = page['@odata.nextLink'];
		next = typeof nextLink === 'string' && values.length > 0 ? { ...first, path: undefined, query: undefined, url: nextLink } : undefined;
	}
	return candidates;
}

function toOutput(config: TriggerConfig, items: IDataObject[]): INodeExecutionData[][] {
	return [items.map((item) => ({ json: config.simplify ? simplifyItem(config.definition, item) : item }))];
}

/** Replaces the node's static data in place (n8n persists that object) with the new state. */
function saveState(staticData: IDataObject, state: PollState, tenant: string): void {
	for (const key of Object.keys(staticData)) delete staticData[key];
	Object.assign(staticData, { ...state, seen: { ...state.seen } }, tenant ? { tenant } : {});
}

/**
 * "Fetch Test Event": the newest item that matches, without reading or moving the cursor. Graph
 * is asked for the order explicitly: newest createdDateTime first for New events, newest
 * lastUpdateDateTime first for Updated events (an old incident changed a minute ago comes first).
 */
async function fetchTestEvent(this: IPollFunctions, config: TriggerConfig): Promise<INodeExecutionData[][]> {
	const { definition } = config;
	const filter = serverFilter(definition, config.filters, undefined);
	const request = listRequest(config, definition.timestampField, 'desc', filter, Math.min(definition.pageSize, MANUAL_SCAN_LIMIT));
	const items = await defenderApiRequestAllItems.call(this, request, { limit: MANUAL_SCAN_LIMIT });
	const item = items.find((candidate) => matchesClientFilters(definition, config.filters, candidate));
	if (!item) {
		throw new NodeOperationError(this.getNode(), 'No data with the current filter could be found', {
			description: `None of the ${items.length} most recent ${definition.kind}s Graph returned matches the filters. Loosen them, or wait for a matching ${definition.kind}.`,
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
		const settings: PollSettings = {
			definition: config.definition,
			overlapMs: config.overlapMs,
			startFrom: config.startFrom,
			maxEvents: config.maxEvents,
		};
		const { definition } = config;
		// The position belongs to one tenant: with another tenant (Tenant option) the trigger starts afresh.
		const tenant = tenantOptionOf(this).toLowerCase();
		const previous = String(staticData.tenant ?? '') === tenant ? readState(staticData, definition.event, config.overlapMs) : undefined;
		const baseline = !previous && !config.startFrom;
		const now = baseline ? await microsoftNow.call(this, config, definition.timestampField) : EPOCH;
		const lateNow =
			baseline && definition.change === 'new' ? await microsoftNow.call(this, config, 'lastUpdateDateTime') : undefined;
		const plan = planPoll(previous, settings, now, lateNow);
		// Any failure up to here throws before the state is touched: the next poll repeats this window.
		const cap = plan.baseline ? Infinity : config.maxEvents;
		const late = plan.late ? await fetchLane.call(this, config, plan, settings, 'late', cap) : undefined;
		const lateFresh = late?.filter((candidate) => candidate.matches).length ?? 0;
		// The late lane filled the cap: the main lane waits for the next poll (its cursor stays).
		const main = lateFresh < cap ? await fetchLane.call(this, config, plan, settings, 'main', cap - lateFresh) : undefined;
		const { events, state } = applyPoll(plan, settings, main, late);
		saveState(staticData, state, tenant);
		return events.length > 0 ? toOutput(config, events) : null;
	} finally {
		runningPolls.delete(pollKey);
	}
}
