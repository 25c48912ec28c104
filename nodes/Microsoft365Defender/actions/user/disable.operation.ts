import { accountActionOperation } from './accountAction';

export const { description, execute } = accountActionOperation({ operation: 'disable', action: 'disable', done: 'Disabled' });
