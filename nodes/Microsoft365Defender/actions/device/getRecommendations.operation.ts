import { relatedOperation } from './related';

/** get-security-recommendations.md: GET /api/machines/{id}/recommendations. */
export const { description, execute } = relatedOperation('getRecommendations', 'recommendations', 'SecurityRecommendation.Read.All');
