/**
 * Issue 20, point 4: Microsoft allows 25 live response sessions at once per tenant
 * (defender-endpoint/api/run-live-response.md, "Limitations"), so the node's gate is keyed by the
 * canonical tenant: a credential naming the tenant by its domain and one naming it by its GUID
 * share one 25 (the domain is resolved to the tenant id Entra ID puts in the token).
 */
import { liveResponseGate } from '../../../nodes/Microsoft365Defender/transport/pacing/sessionGate';
import { useEmulator } from '../context';
import { byId } from '../harness';
import { settledWithin, sleep, startCancellableRun, waitUntil } from '../operatorControl.helpers';

const env = useEmulator();

const startCalls = () => env.emulator.requestLog({ api: 'mde' }).filter((call) => call.method === 'POST' && call.path.endsWith('/runliveresponse'));

it('a tenant given as its GUID and as its domain shares one gate of 25 sessions', async () => {
	env.emulator.mde.setLiveResponseBehaviour({ pendingMs: 0, inProgressMs: 100, outcome: 'Succeeded' });
	const { clientId } = env.emulator.apps.full;
	// 25 sessions of this app in this tenant, started through a credential that names it by its GUID.
	const byGuid = liveResponseGate(env.emulator.tenantId, clientId);
	const places = await Promise.all(Array.from({ length: 25 }, () => byGuid.enter()));

	const machine = env.emulator.store.machines.find((candidate) => candidate.osPlatform.startsWith('Windows'));
	const byDomain = { ...env.credentials.full, tenantId: env.emulator.tenantDomain };
	const run = startCancellableRun(
		{
			resource: 'liveResponse',
			operation: 'runScript',
			deviceId: byId(String(machine?.id)),
			scriptName: 'collect-triage.ps1',
			comment: 'Incident 42: triage',
			waitForCompletion: true,
			pollIntervalSeconds: 0.1,
			waitTimeoutSeconds: 30,
		},
		{ credentials: { ...env.credentials, byDomain }, credentialId: 'byDomain' },
	);
	await sleep(2_000);
	// The 26th session of the tenant waits for a place instead of being sent (and refused with 429).
	expect(startCalls()).toHaveLength(0);

	places[0]();
	expect(await waitUntil(() => startCalls().length === 1, 5_000)).toBe(true);
	const outcome = await settledWithin(run.settled, 10_000);
	expect(outcome).not.toBe('still running');
	expect((outcome as { run?: { error?: unknown } }).run?.error).toBeUndefined();
	places.slice(1).forEach((leave) => leave());
}, 30_000);
