/**
 * Issue 22, "Stop during a user action over 200 items": nothing is sent more than 2 s after Stop.
 * Account containment is one request per account (never in a $batch), so Stop cuts between accounts.
 */
import type { LoggedRequest } from '../emulator';
import { entraUsers, identityAccounts } from '../emulator/graph/identities';
import { credentialsFor, useEmulator } from './context';
import { arrivedAt, describeEntries, settledWithin, sleep, startCancellableRun, waitUntil } from './operatorControl.helpers';

const env = useEmulator();

const documentedCredentials = () => ({
	...env.credentials,
	documented: credentialsFor(env.emulator, env.emulator.apps.full, { rateLimits: 'documented' }),
});

const graphCalls = (filter: (entry: LoggedRequest) => boolean) => env.emulator.requestLog({ api: 'graph' }).filter(filter);

async function stopMidway(parameters: Record<string, unknown>, input: Array<Record<string, string>>, isAction: (entry: LoggedRequest) => boolean) {
	// Two items at a time and 150 ms per answer: the 200 actions would take about 15 s.
	env.emulator.injectFaults('graph', { latencyMs: 150 });
	const run = startCancellableRun({ ...parameters, requestOptions: { concurrency: 2 } }, { credentials: documentedCredentials(), credentialId: 'documented', input });
	expect(await waitUntil(() => graphCalls(isAction).length >= 4, 10_000)).toBe(true);
	const cancelledAt = run.cancel();
	const outcome = await settledWithin(run.settled, 4_000);
	await sleep(Math.max(0, cancelledAt + 4_000 - Date.now()));
	const late = graphCalls(isAction).filter((entry) => arrivedAt(entry) > cancelledAt + 2_000);
	expect(describeEntries(late, cancelledAt)).toEqual([]);
	expect(outcome).not.toBe('still running');
	expect((outcome as { at: number }).at - cancelledAt).toBeLessThan(3_000);
	// Far fewer than 200: the rest were never sent.
	expect(graphCalls(isAction).length).toBeLessThan(50);
}

describe('Stop during account containment over 200 items', () => {
	it('Disable (Entra ID): no account is disabled more than 2 s after Stop', async () => {
		const users = entraUsers(env.emulator.store);
		const input = Array.from({ length: 200 }, (_, index) => ({ user: users[index % users.length].user.aadUserId }));
		await stopMidway(
			{ resource: 'user', operation: 'disable', identityProvider: 'entraID', user: '={{ $json.user }}' },
			input,
			(entry) => entry.method === 'PATCH' && entry.path.startsWith('/v1.0/users/'),
		);
	}, 20_000);

	it('Revoke All Sessions (Okta, Defender for Identity): no invokeAction more than 2 s after Stop', async () => {
		const withOkta = identityAccounts(env.emulator.store).filter((account) => account.accounts.some((entry) => entry.identityProvider === 'okta'));
		const input = Array.from({ length: 200 }, (_, index) => {
			const account = withOkta[index % withOkta.length];
			return { identity: account.id, account: account.accounts.find((entry) => entry.identityProvider === 'okta')!.identifier };
		});
		await stopMidway(
			{ resource: 'user', operation: 'revokeAllSessions', identityProvider: 'okta', identityAccountId: '={{ $json.identity }}', accountId: '={{ $json.account }}' },
			input,
			(entry) => entry.method === 'POST' && entry.path.endsWith('/invokeAction'),
		);
	}, 20_000);
});
