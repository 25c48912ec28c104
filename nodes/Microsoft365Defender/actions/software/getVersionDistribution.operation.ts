import { apiPath } from '../../transport/paths';
import { drillDownOperation, SOFTWARE_ID, softwareLocator } from '../vulnerabilityManagement';

/** get-software-ver-distribution.md: GET /api/Software/{id}/distributions. */
export const { description, execute } = drillDownOperation({
	resource: 'software',
	operation: 'getVersionDistribution',
	locator: softwareLocator,
	format: SOFTWARE_ID,
	sourceField: 'softwareId',
	path: (software) => apiPath`/api/Software/${software}/distributions`,
	permission: 'Software.Read.All',
});
