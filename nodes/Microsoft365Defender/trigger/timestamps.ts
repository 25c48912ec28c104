/**
 * Graph writes timestamps with up to 7 fractional digits (100 ns "ticks"), e.g.
 * 2026-01-31T08:00:00.1234567Z, while JavaScript dates stop at milliseconds. Two versions of an
 * incident can differ below the millisecond, so the trigger keeps timestamps as text in one fixed
 * form, `YYYY-MM-DDTHH:MM:SS.fffffffZ` (UTC, 7 digits), which sorts the same as time does, and
 * does arithmetic on BigInt ticks.
 */

const TICKS_PER_MS = 10_000n;

const ISO = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})?$/i;

/** The fixed form of a timestamp, or undefined when the value is not one. */
export function normalizeTimestamp(value: unknown): string | undefined {
	if (value instanceof Date) {
		return Number.isNaN(value.getTime()) ? undefined : `${value.toISOString().slice(0, 23)}0000Z`;
	}
	if (typeof value !== 'string') return undefined;
	const text = value.trim();
	const match = ISO.exec(text);
	if (!match) {
		// Anything else Date understands (an n8n date picker value, "2026-01-31"), at millisecond precision.
		const parsed = text === '' ? Number.NaN : Date.parse(text);
		return Number.isNaN(parsed) ? undefined : `${new Date(parsed).toISOString().slice(0, 23)}0000Z`;
	}
	const [, date, time, fraction = '', zone] = match;
	if (Number.isNaN(Date.parse(`${date}T${time}Z`))) return undefined;
	const digits = fraction.padEnd(7, '0').slice(0, 7);
	if (zone === undefined || zone.toUpperCase() === 'Z' || /^[+-]00:?00$/.test(zone)) {
		return `${date}T${time}.${digits}Z`;
	}
	// An offset other than UTC: shift through ticks so the sub-millisecond digits survive.
	const local = toTicks(`${date}T${time}.${digits}Z`);
	const sign = zone.startsWith('-') ? -1n : 1n;
	const hours = BigInt(zone.slice(1, 3));
	const minutes = BigInt(zone.slice(-2));
	return fromTicks(local - sign * (hours * 60n + minutes) * 60_000n * TICKS_PER_MS);
}

/** 100 ns ticks since 1970 of a timestamp in the fixed form. */
export function toTicks(normalized: string): bigint {
	const ms = Date.parse(`${normalized.slice(0, 23)}Z`);
	if (Number.isNaN(ms)) throw new Error(`Not a timestamp: ${normalized}`);
	return BigInt(ms) * TICKS_PER_MS + BigInt(normalized.slice(23, 27));
}

export function fromTicks(ticks: bigint): string {
	const ms = ticks / TICKS_PER_MS - (ticks % TICKS_PER_MS < 0n ? 1n : 0n);
	const rest = ticks - ms * TICKS_PER_MS;
	return `${new Date(Number(ms)).toISOString().slice(0, 23)}${rest.toString().padStart(4, '0')}Z`;
}

export function addMilliseconds(normalized: string, ms: number): string {
	return fromTicks(toTicks(normalized) + BigInt(Math.trunc(ms)) * TICKS_PER_MS);
}

/** The next representable instant: "strictly after `normalized`" as an inclusive bound. */
export function nextTick(normalized: string): string {
	return fromTicks(toTicks(normalized) + 1n);
}

export function laterOf(a: string, b: string): string {
	return a >= b ? a : b;
}

/**
 * An OData DateTimeOffset literal at millisecond precision, rounded down, so that a `ge` filter
 * never excludes what the exact bound includes (the rest is filtered here).
 */
export function odataLowerBound(normalized: string): string {
	return `${normalized.slice(0, 23)}Z`;
}

/** An OData DateTimeOffset literal at millisecond precision, rounded up: a `lt` bound that never excludes what the exact bound includes. */
export function odataUpperBound(normalized: string): string {
	const rounded = normalized.slice(23, 27) === '0000' ? normalized : addMilliseconds(`${normalized.slice(0, 23)}0000Z`, 1);
	return `${rounded.slice(0, 23)}Z`;
}
