import { relatedOperation } from './related';

export const { description, execute } = relatedOperation('getLoggedOnUsers', 'logonusers', 'User.Read.All');
