import { graphSecureScoreOperation } from './common';

/** Graph security-list-securescores.md: GET /v1.0/security/secureScores, newest day first. */
export const { description, execute } = graphSecureScoreOperation('getSecureScores', '/v1.0/security/secureScores');
