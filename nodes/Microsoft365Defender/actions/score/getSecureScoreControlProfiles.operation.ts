import { graphSecureScoreOperation } from './common';

/** Graph security-list-securescorecontrolprofiles.md: GET /v1.0/security/secureScoreControlProfiles. */
export const { description, execute } = graphSecureScoreOperation('getSecureScoreControlProfiles', '/v1.0/security/secureScoreControlProfiles');
