import { relatedOperation } from './related';

/** get-missing-kbs-machine.md: GET /api/machines/{id}/getmissingkbs. */
export const { description, execute } = relatedOperation('getMissingKbs', 'getmissingkbs', 'Software.Read.All');
