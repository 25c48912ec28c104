import { accountActionOperation } from './accountAction';

export const { description, execute } = accountActionOperation({ operation: 'enable', action: 'enable', done: 'Enabled' });
