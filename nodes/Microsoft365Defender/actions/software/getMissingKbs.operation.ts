import { apiPath } from '../../transport/paths';
import { drillDownOperation, SOFTWARE_ID, softwareLocator } from '../vulnerabilityManagement';

/** get-missing-kbs-software.md: GET /api/Software/{id}/getmissingkbs. */
export const { description, execute } = drillDownOperation({
	resource: 'software',
	operation: 'getMissingKbs',
	locator: softwareLocator,
	format: SOFTWARE_ID,
	sourceField: 'softwareId',
	path: (software) => apiPath`/api/Software/${software}/getmissingkbs`,
	permission: 'Software.Read.All',
});
