import { apiPath } from '../../transport/paths';
import { drillDownOperation, RECOMMENDATION_ID, recommendationLocator } from '../vulnerabilityManagement';

/** get-recommendation-machines.md: GET /api/recommendations/{id}/machineReferences. */
export const { description, execute } = drillDownOperation({
	resource: 'recommendation',
	operation: 'getDevices',
	locator: recommendationLocator,
	format: RECOMMENDATION_ID,
	sourceField: 'recommendationId',
	path: (recommendation) => apiPath`/api/recommendations/${recommendation}/machineReferences`,
	permission: 'SecurityRecommendation.Read.All',
});
