import type { Emulator } from '../../emulator';
import { expectGraphError, getToken, graph, startTestEmulator } from './helpers';

let emulator: Emulator;
let token: string;

beforeAll(async () => {
	emulator = await startTestEmulator();
	token = await getToken(emulator, emulator.apps.full);
});

afterAll(async () => {
	await emulator.close();
});

const hunt = (body: unknown) => graph(emulator, token, '/v1.0/security/runHuntingQuery', { method: 'POST', body });

describe('runHuntingQuery', () => {
	it('returns schema and results in the documented shape', async () => {
		const response = await hunt({
			Query: 'DeviceProcessEvents | where InitiatingProcessFileName =~ "explorer.exe" | project Timestamp, FileName, InitiatingProcessFileName | order by Timestamp desc | limit 2',
		});
		expect(response.status).toBe(200);
		expect(response.body['@odata.context']).toBe(`${emulator.graphUrl}/v1.0/$metadata#microsoft.graph.security.huntingQueryResults`);
		expect(response.body.schema).toEqual([
			{ name: 'Timestamp', type: 'DateTime' },
			{ name: 'FileName', type: 'String' },
			{ name: 'InitiatingProcessFileName', type: 'String' },
		]);
		expect(response.body.results).toHaveLength(2);
		expect(response.body.results[0].Timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}Z$/);
		expect(Date.parse(response.body.results[0].Timestamp)).toBeGreaterThanOrEqual(Date.parse(response.body.results[1].Timestamp));
	});

	it('supports where/has/contains/startswith/in, ago(), summarize count() by, top, distinct, count', async () => {
		const devices = emulator.store.machines.map((machine) => machine.computerDnsName);
		const summarized = await hunt({ Query: 'DeviceProcessEvents | where Timestamp > ago(7d) and FileName in ("powershell.exe", "cmd.exe") | summarize count() by DeviceName | top 5 by count_ desc' });
		expect(summarized.status).toBe(200);
		expect(summarized.body.schema).toEqual([{ name: 'DeviceName', type: 'String' }, { name: 'count_', type: 'Int64' }]);
		expect(summarized.body.results.length).toBeLessThanOrEqual(5);
		expect(devices).toContain(summarized.body.results[0].DeviceName);

		const has = await hunt({ Query: 'DeviceProcessEvents | where ProcessCommandLine has "sekurlsa" | take 3 | project DeviceId, SHA1' });
		expect(has.status).toBe(200);
		const mimikatz = emulator.store.files.find((file) => file.fileName === 'mimikatz.exe');
		for (const row of has.body.results) expect(row.SHA1).toBe(mimikatz?.sha1);

		const count = await hunt({ Query: 'DeviceInfo | where DeviceName startswith "win" and OSPlatform contains "windows" | count' });
		expect(count.body.schema).toEqual([{ name: 'Count', type: 'Int64' }]);
		expect(count.body.results[0].Count).toBeGreaterThan(0);

		const distinct = await hunt({ Query: 'DeviceInfo | distinct DeviceName' });
		expect(distinct.body.results).toHaveLength(emulator.store.machines.length);

		const alertInfo = await hunt({ Query: "AlertInfo | where Severity == 'High' | summarize Alerts = count(), Titles = dcount(Title) by ServiceSource" });
		expect(alertInfo.status).toBe(200);
		expect(alertInfo.body.schema.map((column: { name: string }) => column.name)).toEqual(['ServiceSource', 'Alerts', 'Titles']);
	});

	it('applies Timespan to the source table', async () => {
		const all = await hunt({ Query: 'EmailEvents | count' });
		const lastDay = await hunt({ Query: 'EmailEvents | count', Timespan: 'P1D' });
		expect(lastDay.body.results[0].Count).toBeLessThan(all.body.results[0].Count);
		expectGraphError(await hunt({ Query: 'EmailEvents | count', Timespan: 'yesterday' }), 400, 'BadRequest');
	});

	it('serves EmulatorRows of arbitrary size and refuses results over 100,000 rows', async () => {
		const big = await hunt({ Query: 'EmulatorRows | take 100000' });
		expect(big.status).toBe(200);
		expect(big.body.results).toHaveLength(100_000);
		expect(big.body.results[99_999]).toMatchObject({ RowNumber: 100_000, DeviceName: expect.any(String), Payload: expect.any(String) });
		const tooBig = await hunt({ Query: 'EmulatorRows | take 100001' });
		expectGraphError(tooBig, 400, 'BadRequest');
		expect(tooBig.body.error.message).toContain('100000');
	});

	it('reports syntax and semantic errors as 400 BadRequest pointing at the problem', async () => {
		const syntax = await hunt({ Query: 'DeviceInfo | where DeviceName == ' });
		expectGraphError(syntax, 400, 'BadRequest');
		expect(syntax.body.error.message).toMatch(/Query could not be parsed at .* on line \[1,\d+\]/);
		const table = await hunt({ Query: 'NoSuchTable | take 1' });
		expect(table.body.error.message).toContain("Failed to resolve table or column expression named 'NoSuchTable'");
		const column = await hunt({ Query: 'DeviceInfo | where Nope == 1' });
		expect(column.body.error.message).toContain("Failed to resolve scalar expression named 'Nope'");
		expectGraphError(await hunt({}), 400, 'BadRequest');
		expectGraphError(await hunt({ Query: '' }), 400, 'BadRequest');
	});

	it('counts hunting calls in their own bucket', async () => {
		emulator.clearRequestLog();
		await hunt({ Query: 'DeviceInfo | take 1' });
		expect(emulator.requestLog({ api: 'graph' })[0]).toMatchObject({ bucket: 'hunting', status: 200, route: 'POST /v1.0/security/runHuntingQuery' });
	});
});
