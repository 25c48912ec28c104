import { accountActionOperation } from './accountAction';

export const { description, execute } = accountActionOperation({ operation: 'dismissRisk', action: 'dismissUserRisk', done: 'Dismissed the risk of' });
