import { accountActionOperation } from './accountAction';

export const { description, execute } = accountActionOperation({ operation: 'markAsCompromised', action: 'markUserAsCompromised', done: 'Confirmed the compromise of' });
