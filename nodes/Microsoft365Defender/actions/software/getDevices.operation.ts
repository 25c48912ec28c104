import { apiPath } from '../../transport/paths';
import { drillDownOperation, SOFTWARE_ID, softwareLocator } from '../vulnerabilityManagement';

/** get-machines-by-software.md: GET /api/Software/{id}/machineReferences. */
export const { description, execute } = drillDownOperation({
	resource: 'software',
	operation: 'getDevices',
	locator: softwareLocator,
	format: SOFTWARE_ID,
	sourceField: 'softwareId',
	path: (software) => apiPath`/api/Software/${software}/machineReferences`,
	permission: 'Software.Read.All',
});
