import { accountActionOperation } from './accountAction';

export const { description, execute } = accountActionOperation({ operation: 'revokeAllSessions', action: 'revokeAllSessions', done: 'Revoked all sessions of' });
