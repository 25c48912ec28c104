import { buildConfig } from '../../../nodes/Microsoft365Defender/trigger/config';
import { lateFilter } from '../../../nodes/Microsoft365Defender/trigger/filters';
import { EVENTS } from '../../../nodes/Microsoft365Defender/trigger/events';
import {
	matchesClientFilters,
	resolveSeverities,
	serverFilter,
	splitList,
	TriggerConfigurationError,
	type TriggerFilters,
} from '../../../nodes/Microsoft365Defender/trigger/filters';
import { simplifyItem } from '../../../nodes/Microsoft365Defender/trigger/simplify';
import {
	addMilliseconds,
	fromTicks,
	nextTick,
	normalizeTimestamp,
	odataLowerBound,
	toTicks,
} from '../../../nodes/Microsoft365Defender/trigger/timestamps';

describe('normalizeTimestamp', () => {
	it.each([
		['2026-01-31T08:00:00.1234567Z', '2026-01-31T08:00:00.1234567Z'],
		['2026-01-31T08:00:00Z', '2026-01-31T08:00:00.0000000Z'],
		['2026-01-31T08:00:00.12Z', '2026-01-31T08:00:00.1200000Z'],
		['2026-01-31T08:00:00.123456789Z', '2026-01-31T08:00:00.1234567Z'],
		['2026-01-31T08:00:00.1234567+00:00', '2026-01-31T08:00:00.1234567Z'],
		['2026-01-31T10:00:00.1234567+02:00', '2026-01-31T08:00:00.1234567Z'],
		['2026-01-31T00:30:00.5-01:00', '2026-01-31T01:30:00.5000000Z'],
		['2026-01-31T08:00:00', '2026-01-31T08:00:00.0000000Z'],
		['2026-01-31', '2026-01-31T00:00:00.0000000Z'],
		[new Date('2026-01-31T08:00:00.123Z'), '2026-01-31T08:00:00.1230000Z'],
	])('%p becomes %s', (input, expected) => {
		expect(normalizeTimestamp(input)).toBe(expected);
	});

	it.each([[''], ['yesterday'], ['2026-13-45T99:00:00Z'], [undefined], [null], [42], [new Date(Number.NaN)]])(
		'%p is not a timestamp',
		(input) => {
			expect(normalizeTimestamp(input)).toBeUndefined();
		},
	);

	it('sorts as text the way time sorts, below the millisecond too', () => {
		const ordered = ['2026-01-31T08:00:00.0000001Z', '2026-01-31T08:00:00.0000009Z', '2026-01-31T08:00:00.0010000Z', '2026-01-31T08:00:01.0000000Z'];
		expect([...ordered].reverse().sort()).toEqual(ordered);
	});

	it('does tick arithmetic exactly', () => {
		const t = '2026-01-31T08:00:00.1234567Z';
		expect(fromTicks(toTicks(t))).toBe(t);
		expect(nextTick(t)).toBe('2026-01-31T08:00:00.1234568Z');
		expect(nextTick('2026-01-31T08:00:00.9999999Z')).toBe('2026-01-31T08:00:01.0000000Z');
		expect(addMilliseconds(t, -15 * 60_000)).toBe('2026-01-31T07:45:00.1234567Z');
		expect(addMilliseconds('2026-01-01T00:00:00.0000000Z', -1)).toBe('2025-12-31T23:59:59.9990000Z');
		expect(odataLowerBound(t)).toBe('2026-01-31T08:00:00.123Z');
	});
});

describe('resolveSeverities', () => {
	it.each([
		[undefined, [], undefined],
		['medium', [], ['medium', 'high']],
		['informational', [], ['informational', 'low', 'medium', 'high']],
		['high', [], ['high']],
		[undefined, ['low', 'high'], ['low', 'high']],
		['medium', ['low', 'high'], ['high']],
		['informational', ['unknown', 'low'], ['low']],
	])('at least %p and any of %p gives %p', (minimum, anyOf, expected) => {
		expect(resolveSeverities(minimum, anyOf)).toEqual(expected);
	});

	it('refuses a combination nothing can satisfy', () => {
		expect(() => resolveSeverities('high', ['low'])).toThrow(TriggerConfigurationError);
		expect(() => resolveSeverities('extreme', [])).toThrow(/Unknown severity/);
	});
});

const noFilters: TriggerFilters = { statuses: [], serviceSources: [], tags: [], includeCreated: true };

describe('lateFilter', () => {
	it('asks for items created behind the main window and changed recently, bounds rounded outwards', () => {
		expect(
			lateFilter(EVENTS.newAlert, { ...noFilters, severities: ['high'] }, {
				since: '2026-01-31T08:00:00.1239999Z',
				createdFrom: '2026-01-30T07:45:00.0000000Z',
				createdBefore: '2026-01-31T07:45:00.0000001Z',
			}),
		).toBe(
			"lastUpdateDateTime ge 2026-01-31T08:00:00.123Z and createdDateTime ge 2026-01-30T07:45:00.000Z and createdDateTime lt 2026-01-31T07:45:00.001Z and severity eq 'high'",
		);
	});
});

describe('serverFilter', () => {
	it('filters the event timestamp from the window start, at millisecond precision rounded down', () => {
		expect(serverFilter(EVENTS.newIncident, noFilters, '2026-01-31T08:00:00.1239999Z')).toBe(
			'createdDateTime ge 2026-01-31T08:00:00.123Z',
		);
		expect(serverFilter(EVENTS.updatedAlert, noFilters, '2026-01-31T08:00:00.0000000Z')).toBe(
			'lastUpdateDateTime ge 2026-01-31T08:00:00.000Z',
		);
		expect(serverFilter(EVENTS.newIncident, noFilters, undefined)).toBeUndefined();
	});

	it('adds severity, status, owner and (alerts only) service source, escaped', () => {
		const filters: TriggerFilters = {
			...noFilters,
			severities: ['medium', 'high'],
			statuses: ['active'],
			assignedTo: "o'brien@contoso.com",
			serviceSources: ['microsoftDefenderForEndpoint'],
		};
		expect(serverFilter(EVENTS.updatedIncident, filters, '2026-01-31T08:00:00.0000000Z')).toBe(
			"lastUpdateDateTime ge 2026-01-31T08:00:00.000Z and (severity eq 'medium' or severity eq 'high') and status eq 'active' and assignedTo eq 'o''brien@contoso.com'",
		);
		expect(serverFilter(EVENTS.newAlert, filters, undefined)).toBe(
			"(severity eq 'medium' or severity eq 'high') and status eq 'active' and assignedTo eq 'o''brien@contoso.com' and serviceSource eq 'microsoftDefenderForEndpoint'",
		);
	});
});

describe('matchesClientFilters', () => {
	const incident = {
		id: '7',
		displayName: 'Ransomware activity on one endpoint',
		customTags: ['VIP'],
		systemTags: ['Ransomware'],
		createdDateTime: '2026-01-31T08:00:00.0000000Z',
		lastUpdateDateTime: '2026-01-31T08:00:00Z',
	};
	it.each([
		[{}, true],
		[{ titleContains: 'RANSOMWARE' }, true],
		[{ titleContains: 'phishing' }, false],
		[{ tags: ['vip'] }, true],
		[{ tags: ['ransomware', 'other'] }, true],
		[{ tags: ['other'] }, false],
		[{ titleContains: 'endpoint', tags: ['other'] }, false],
	])('incident with %p: %p', (filters, expected) => {
		expect(matchesClientFilters(EVENTS.newIncident, { ...noFilters, ...filters }, incident)).toBe(expected);
	});

	it('drops first versions from Updated events when asked to', () => {
		const filters = { ...noFilters, includeCreated: false };
		expect(matchesClientFilters(EVENTS.updatedIncident, filters, incident)).toBe(false);
		expect(matchesClientFilters(EVENTS.updatedIncident, filters, { ...incident, lastUpdateDateTime: '2026-01-31T08:05:00Z' })).toBe(true);
		expect(matchesClientFilters(EVENTS.updatedIncident, noFilters, incident)).toBe(true);
		expect(matchesClientFilters(EVENTS.newIncident, filters, incident)).toBe(true);
	});

	it('reads alert titles from "title"', () => {
		expect(matchesClientFilters(EVENTS.newAlert, { ...noFilters, titleContains: 'powershell' }, { id: 'a', title: 'Suspicious PowerShell' })).toBe(true);
	});
});

describe('buildConfig', () => {
	it('reads the defaults', () => {
		const config = buildConfig('newIncident', {}, {});
		expect(config.overlapMs).toBe(15 * 60_000);
		expect(config.startFrom).toBeUndefined();
		expect(config.simplify).toBe(false);
		expect(config.includeAlerts).toBe(false);
		expect(config.filters).toEqual({ ...noFilters, severities: undefined, assignedTo: undefined, titleContains: undefined });
	});

	it('keeps only the filters that apply to the event', () => {
		const filters = { incidentStatus: ['active'], alertStatus: ['new'], serviceSource: ['microsoftDefenderForCloud'], tags: ' a, b ,,', assignedTo: ' x@y ' };
		const incident = buildConfig('updatedIncident', filters, { includeAlerts: true, overlapMinutes: 30, startFrom: '2026-01-01T00:00:00+01:00' });
		expect(incident.filters).toMatchObject({ statuses: ['active'], serviceSources: [], tags: ['a', 'b'], assignedTo: 'x@y' });
		expect(incident.includeAlerts).toBe(true);
		expect(incident.overlapMs).toBe(30 * 60_000);
		expect(incident.startFrom).toBe('2025-12-31T23:00:00.0000000Z');
		const alert = buildConfig('newAlert', filters, { includeAlerts: true });
		expect(alert.filters).toMatchObject({ statuses: ['new'], serviceSources: ['microsoftDefenderForCloud'] });
		expect(alert.includeAlerts).toBe(false);
	});

	it('rejects what cannot work', () => {
		expect(() => buildConfig('newIncident', {}, { overlapMinutes: 0 })).toThrow(/at least 1 minute/);
		expect(() => buildConfig('newIncident', {}, { maxEventsPerPoll: 0 })).toThrow(/Max Events per Poll/);
		expect(() => buildConfig('newIncident', {}, { maxEventsPerPoll: 2.5 })).toThrow(/Max Events per Poll/);
		expect(buildConfig('newIncident', {}, {}).maxEvents).toBe(1000);
		expect(buildConfig('newIncident', {}, { maxEventsPerPoll: 250 }).maxEvents).toBe(250);
		expect(() => buildConfig('newIncident', {}, { startFrom: 'soon' })).toThrow(/not a date/);
		expect(() => buildConfig('somethingElse', {}, {})).toThrow(/Unknown event/);
	});

	it('splits tag lists', () => {
		expect(splitList('a, b,, c ')).toEqual(['a', 'b', 'c']);
		expect(splitList(['x ', ''])).toEqual(['x']);
		expect(splitList(undefined)).toEqual([]);
	});
});

describe('simplifyItem', () => {
	it('gives incidents and alerts the same core fields', () => {
		const incident = simplifyItem(EVENTS.newIncident, {
			id: '7',
			displayName: 'Incident',
			severity: 'high',
			status: 'active',
			createdDateTime: 'c',
			lastUpdateDateTime: 'u',
			assignedTo: null,
			incidentWebUrl: 'https://security.microsoft.com/incidents/7',
			classification: 'unknown',
			customTags: ['VIP'],
			systemTags: ['Ransomware'],
			alerts: [{ id: 'da1', title: 'Alert', alertWebUrl: 'https://security.microsoft.com/alerts/da1', mitreTechniques: ['T1059'] }],
			comments: [{ comment: 'long' }],
		});
		expect(incident).toEqual({
			id: '7',
			title: 'Incident',
			severity: 'high',
			status: 'active',
			createdDateTime: 'c',
			lastUpdateDateTime: 'u',
			assignedTo: null,
			webUrl: 'https://security.microsoft.com/incidents/7',
			classification: 'unknown',
			tags: ['VIP', 'Ransomware'],
			alertCount: 1,
			alerts: [{ id: 'da1', title: 'Alert', severity: undefined, status: undefined, createdDateTime: undefined, lastUpdateDateTime: undefined, assignedTo: null, webUrl: 'https://security.microsoft.com/alerts/da1', mitreTechniques: ['T1059'] }],
		});
		const alert = simplifyItem(EVENTS.newAlert, { id: 'da1', title: 'Alert', serviceSource: 'microsoftDefenderForEndpoint', evidence: [{}] });
		expect(alert).toMatchObject({ id: 'da1', title: 'Alert', serviceSource: 'microsoftDefenderForEndpoint' });
		expect(alert).not.toHaveProperty('evidence');
	});
});
