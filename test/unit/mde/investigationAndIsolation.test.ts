import { isolationStateOf } from '../../../nodes/Microsoft365Defender/actions/device/getIsolationState.operation';
import { budgetForRoute, DOCUMENTED_LIMITS } from '../../../nodes/Microsoft365Defender/transport/pacing/routeBudgets';
import { HOUR } from '../../../nodes/Microsoft365Defender/transport/pacing/rateBudget';

describe('Start Investigation has its own budget', () => {
	it('counts POST /api/machines/{id}/startInvestigation against 50 calls an hour, apart from the 100 a minute of other MDE calls', () => {
		expect(budgetForRoute('mde', '/api/machines/1e5bc9d7e413ddd7902c2932e418702b84d0cc07/startInvestigation')).toBe('mdeStartInvestigation');
		expect(DOCUMENTED_LIMITS.mdeStartInvestigation).toEqual([{ limit: 50, windowMs: HOUR }]);
		expect(budgetForRoute('mde', '/api/investigations')).toBe('mde');
	});
});

describe('isolation state from the isolate and release actions', () => {
	const action = (type: string, status: string, minute: number, id = `${type}-${minute}`) => ({
		id,
		type,
		status,
		scope: type === 'Isolate' ? 'Full' : null,
		creationDateTimeUtc: new Date(Date.UTC(2024, 0, 1, 0, minute)).toISOString(),
	});

	it('takes the newest action that did not fail, whatever order the API lists them in', () => {
		const actions = [action('Isolate', 'Succeeded', 1), action('Unisolate', 'Failed', 3), action('Unisolate', 'Cancelled', 4), action('Isolate', 'TimeOut', 5)];
		for (const listed of [actions, [...actions].reverse()]) {
			expect(isolationStateOf(listed)).toMatchObject({ isolationState: 'Isolated', isolationType: 'Full', decidingAction: { id: 'Isolate-1' } });
		}
		expect(isolationStateOf([...actions, action('Unisolate', 'InProgress', 6)])).toMatchObject({ isolationState: 'Pending', pendingAction: 'Release', decidingAction: { id: 'Unisolate-6' } });
		expect(isolationStateOf([...actions, action('Unisolate', 'Succeeded', 7), action('Isolate', 'Pending', 6)])).toMatchObject({ isolationState: 'NotIsolated', decidingAction: { id: 'Unisolate-7' } });
		expect(isolationStateOf([action('Isolate', 'Failed', 1)])).toEqual({ isolationState: 'NotIsolated', pendingAction: null, isolationType: null, decidingAction: null });
	});
});
