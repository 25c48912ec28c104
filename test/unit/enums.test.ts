import { ALERT } from '../../nodes/Microsoft365Defender/actions/alert/kind';
import { INCIDENT } from '../../nodes/Microsoft365Defender/actions/incident/kind';
import { updateFieldOptions } from '../../nodes/Microsoft365Defender/actions/securityItems';
import { ALERT_FILTER_STATUSES, INCIDENT_STATUSES, SERVICE_SOURCES, SEVERITIES } from '../../nodes/Microsoft365Defender/descriptions/enums';
import * as documented from '../emulator/store/types';

/**
 * The node's option lists against Microsoft's member lists (kept in the emulator in Microsoft's
 * order, from api-reference/v1.0/resources/security-incident.md and security-alert.md): every
 * documented member but the sentinel is offered, nothing undocumented is.
 */
const values = (options: Array<{ value: unknown }>) => options.map((option) => String(option.value)).sort();
const withoutSentinel = (members: readonly string[]) => members.filter((member) => member !== 'unknownFutureValue').sort();

describe('enum options follow Microsoft\'s pages', () => {
	it('incident status, alert status, severity and service source offer exactly the documented members', () => {
		expect(values(INCIDENT_STATUSES)).toEqual(withoutSentinel(documented.INCIDENT_STATUSES));
		expect(values(ALERT_FILTER_STATUSES)).toEqual(withoutSentinel(documented.ALERT_STATUSES));
		expect(values(SEVERITIES)).toEqual(withoutSentinel(documented.SEVERITIES));
		expect(values(SERVICE_SOURCES)).toEqual(withoutSentinel(documented.SERVICE_SOURCES));
		expect(values(ALERT.statuses)).toEqual(values(ALERT_FILTER_STATUSES));
	});

	it('an update offers the statuses a caller may set: not Awaiting Action, which only Defender Experts set', () => {
		const statusOf = (kind: typeof INCIDENT) => updateFieldOptions(kind).find((property) => property.name === 'status');
		expect(values((statusOf(INCIDENT)?.options ?? []) as Array<{ value: unknown }>)).toEqual(['active', 'inProgress', 'redirected', 'resolved']);
		expect(values((statusOf(ALERT)?.options ?? []) as Array<{ value: unknown }>)).toEqual(['inProgress', 'new', 'resolved']);
	});
});
