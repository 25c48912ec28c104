import { accountActionOperation } from './accountAction';

export const { description, execute } = accountActionOperation({ operation: 'requireSignInAgain', action: 'requireUserToSignInAgain', done: 'Required a new sign-in from' });
