/**
 * The trigger's Tenant option (a multi-tenant app watching a customer's tenant): it emits that
 * tenant's incidents, and its position belongs to that tenant, so another tenant starts afresh.
 */
import { credentialsFor, useEmulator } from '../context';
import { activateTrigger } from './pollHarness';

const env = useEmulator({ incidentCount: 10 });

const MINUTE = 60_000;
const advance = (ms: number) => {
	const offset = env.emulator.now().getTime() - Date.now();
	env.emulator.setClockOffset(offset + ms);
};

describe('trigger with the Tenant option', () => {
	it("emits the customer tenant's new incidents, and keeps its position per tenant", async () => {
		const { multiTenantApp } = env.emulator.describe().identities;
		const customer = env.emulator.otherTenantId;
		const trigger = activateTrigger({ event: 'newIncident', options: { tenant: customer } }, credentialsFor(env.emulator, multiTenantApp));
		expect((await trigger.poll()).error).toBeUndefined();
		advance(MINUTE);
		const customerIncident = env.emulator.addIncident({ tenantId: customer, displayName: 'Fabrikam: new incident' }).incident;
		const homeIncident = env.emulator.addIncident({ displayName: 'Contoso: new incident' }).incident;

		const next = await trigger.poll();
		expect(next.error).toBeUndefined();
		expect(next.items?.map((item) => item.json.id)).toEqual([customerIncident.id]);
		expect(trigger.staticData().tenant).toBe(customer);

		// Back to the credential's own tenant: the customer's position does not apply there, so
		// the trigger starts from now and does not emit the home tenant's incident from before.
		(trigger.node.parameters.options as Record<string, string>).tenant = '';
		const switched = await trigger.poll();
		expect(switched.error).toBeUndefined();
		expect(switched.items).toBeNull();
		expect(trigger.staticData().tenant).toBeUndefined();
		advance(MINUTE);
		const later = env.emulator.addIncident({ displayName: 'Contoso: later incident' }).incident;
		const after = await trigger.poll();
		expect(after.items?.map((item) => item.json.id)).toEqual([later.id]);
		expect(homeIncident.id).not.toBe(later.id);
	});
});
