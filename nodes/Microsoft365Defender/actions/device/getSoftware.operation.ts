import { relatedOperation } from './related';

export const { description, execute } = relatedOperation('getSoftware', 'software', 'Software.Read.All');
