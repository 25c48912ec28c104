import { useEmulator } from '../context';
import { runNode } from '../harness';

const env = useEmulator();

describe('Advanced Hunting: Run Query', () => {
	it('returns one item per row, all paired to the input item', async () => {
		const { items, error } = await runNode(
			{ resource: 'advancedHunting', operation: 'runQuery', query: 'DeviceProcessEvents | take 25', timespan: 'P7D' },
			{ credentials: env.credentials },
		);
		expect(error).toBeUndefined();
		expect(items).toHaveLength(25);
		expect(items.every((item) => JSON.stringify(item.pairedItem) === JSON.stringify({ item: 0 }))).toBe(true);
		expect(items[0].json).toHaveProperty('DeviceName');
		const call = env.emulator.requestLog({ api: 'graph' }).find((entry) => entry.path.includes('runHuntingQuery'));
		expect(call?.bucket).toBe('hunting');
	});

	it('turns a result of several MB (parsed in its own context) into ordinary items, in order', async () => {
		const { items, error } = await runNode(
			{ resource: 'advancedHunting', operation: 'runQuery', query: 'EmulatorRows | take 20000', output: 'rows' },
			{ credentials: env.credentials },
		);
		expect(error).toBeUndefined();
		expect(items).toHaveLength(20_000);
		expect(items.map((item) => item.json.RowNumber)).toEqual(Array.from({ length: 20_000 }, (_, index) => index + 1));
		expect(items.filter((item) => item.json.constructor !== Object || !(item.json instanceof Object))).toEqual([]);
		expect(items[19_999].pairedItem).toEqual({ item: 0 });
		expect(Object.keys(items[0].json)).toEqual(['RowNumber', 'DeviceName', 'Timestamp', 'Payload']);
	});

	it('returns the schema and rows in one item when asked', async () => {
		const { items } = await runNode(
			{
				resource: 'advancedHunting',
				operation: 'runQuery',
				query: 'EmulatorRows | take 3 | project RowNumber, DeviceName',
				output: 'table',
			},
			{ credentials: env.credentials },
		);
		expect(items).toHaveLength(1);
		expect(items[0].json.rowCount).toBe(3);
		expect((items[0].json.schema as Array<{ name: string }>).map((column) => column.name)).toEqual(['RowNumber', 'DeviceName']);
	});

	it('passes Microsoft\'s message for a bad query and checks a custom time range locally', async () => {
		const { error } = await runNode(
			{ resource: 'advancedHunting', operation: 'runQuery', query: 'DeviceProcessEvents | wher x' },
			{ credentials: env.credentials },
		);
		expect((error as { httpCode?: string }).httpCode).toBe('400');
		const { error: badSpan } = await runNode(
			{ resource: 'advancedHunting', operation: 'runQuery', query: 'DeviceInfo | take 1', timespan: 'custom', customTimespan: '3 days' },
			{ credentials: env.credentials },
		);
		expect(badSpan?.message).toMatch(/Custom Time Range "3 days" is not an ISO 8601 duration/);
	});

	it('names ThreatHunting.Read.All when the app lacks it', async () => {
		const { error } = await runNode(
			{ resource: 'advancedHunting', operation: 'runQuery', query: 'DeviceInfo | take 1' },
			{ credentials: env.credentials, credentialId: 'readOnly' },
		);
		expect(error?.description).toMatch(/"ThreatHunting\.Read\.All"/);
	});
});
