/**
 * Operator control, smaller holes: Microsoft counts its limits per tenant, so a credential naming
 * the tenant by its domain and another naming it by its GUID share one rate budget.
 */
import { resolveEndpoints } from '../../nodes/Microsoft365Defender/transport/apis';
import { budgetFor } from '../../nodes/Microsoft365Defender/transport/pipeline/pacingPolicy';
import { useEmulator } from './context';

const env = useEmulator();

function connection(tenantId: string) {
	const credentials = { ...env.credentials.full, tenantId, rateLimits: 'documented' };
	return { credentials, endpoints: resolveEndpoints(credentials) };
}

describe('rate budget per tenant', () => {
	it('a tenant given as its domain and as its GUID gets one budget', async () => {
		const byDomain = await budgetFor(connection(env.emulator.tenantDomain), { api: 'mde', method: 'GET' });
		const byGuid = await budgetFor(connection(env.emulator.tenantId), { api: 'mde', method: 'GET' });
		expect(byDomain).toBe(byGuid);
		// The domain was resolved from the token Entra ID issued, not guessed.
		expect(env.emulator.requestLog({ api: 'token' }).length).toBe(1);
	});

	it('two tenants get two budgets', async () => {
		const mine = await budgetFor(connection(env.emulator.tenantId), { api: 'mde', method: 'GET' });
		const other = await budgetFor(connection('0e3f5c3a-1111-4222-8333-944445555666'), { api: 'mde', method: 'GET' });
		expect(mine).not.toBe(other);
	});
});
