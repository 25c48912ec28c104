/**
 * How many (message, recipient) pairs one remediate call carries. Graph's remediate page names no
 * maximum; Defender for Office 365's remediation page (MicrosoftDocs/defender-docs,
 * defender-office-365/remediate-malicious-email-delivered-office-365.md) advises batches of 50,000
 * or fewer and allows only 50 active remediations per organization, so pairs are packed into as
 * few calls as that advice allows rather than one call per item.
 */
export const MAX_PAIRS_PER_REMEDIATION = 50_000;

export interface RemediationPair {
	networkMessageId: string;
	recipientEmailAddress: string;
}

/** One call's worth of settings: items agreeing on them share calls. */
export interface RemediationSettings {
	displayName: string;
	description: string;
	severity: string;
	action: string;
	remediateSendersCopy: boolean;
}

export interface PlannedCall<T> {
	settings: RemediationSettings;
	pairs: RemediationPair[];
	/** The entries each pair came from (several items may ask for the same pair). */
	entries: T[][];
}

const pairKey = (pair: RemediationPair) => `${pair.networkMessageId.toLowerCase()}\n${pair.recipientEmailAddress.toLowerCase()}`;

/**
 * Groups entries by their settings, drops repeated pairs within a group (each pair goes in exactly
 * one call), and cuts each group into calls of at most `maxPairs` pairs, in input order.
 */
export function planRemediationCalls<T extends { settings: RemediationSettings; pair: RemediationPair }>(
	entries: T[],
	maxPairs = MAX_PAIRS_PER_REMEDIATION,
): Array<PlannedCall<T>> {
	const groups = new Map<string, { settings: RemediationSettings; pairs: Map<string, { pair: RemediationPair; entries: T[] }> }>();
	for (const entry of entries) {
		const groupKey = JSON.stringify(entry.settings);
		let group = groups.get(groupKey);
		if (!group) {
			group = { settings: entry.settings, pairs: new Map() };
			groups.set(groupKey, group);
		}
		const key = pairKey(entry.pair);
		const existing = group.pairs.get(key);
		if (existing) existing.entries.push(entry);
		else group.pairs.set(key, { pair: entry.pair, entries: [entry] });
	}
	const calls: Array<PlannedCall<T>> = [];
	for (const group of groups.values()) {
		const unique = [...group.pairs.values()];
		for (let start = 0; start < unique.length; start += maxPairs) {
			const slice = unique.slice(start, start + maxPairs);
			calls.push({ settings: group.settings, pairs: slice.map((entry) => entry.pair), entries: slice.map((entry) => entry.entries) });
		}
	}
	return calls;
}

/** The remediation's bulk id, from the Action-center link Microsoft returns in Location. */
export function bulkIdOf(location: string | undefined): string | undefined {
	if (!location) return undefined;
	let text = location;
	try {
		text = decodeURIComponent(location);
	} catch {
		// Not percent-encoded after all: read it as it is.
	}
	return /"bulkId"\s*:\s*\[\s*"([^"]+)"/.exec(text)?.[1];
}
