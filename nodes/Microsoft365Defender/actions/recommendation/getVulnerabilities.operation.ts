import { apiPath } from '../../transport/paths';
import { drillDownOperation, RECOMMENDATION_ID, recommendationLocator } from '../vulnerabilityManagement';

/** get-recommendation-vulnerabilities.md: GET /api/recommendations/{id}/vulnerabilities (Vulnerability.Read.All). */
export const { description, execute } = drillDownOperation({
	resource: 'recommendation',
	operation: 'getVulnerabilities',
	locator: recommendationLocator,
	format: RECOMMENDATION_ID,
	sourceField: 'recommendationId',
	path: (recommendation) => apiPath`/api/recommendations/${recommendation}/vulnerabilities`,
	permission: 'Vulnerability.Read.All',
});
