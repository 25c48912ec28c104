import { accountActionOperation } from './accountAction';

export const { description, execute } = accountActionOperation({ operation: 'forcePasswordReset', action: 'forcePasswordReset', done: 'Forced a password reset on' });
