import { apiPath } from '../../transport/paths';
import { drillDownOperation, SOFTWARE_ID, softwareLocator } from '../vulnerabilityManagement';

/** get-vuln-by-software.md: GET /api/Software/{id}/vulnerabilities. */
export const { description, execute } = drillDownOperation({
	resource: 'software',
	operation: 'getVulnerabilities',
	locator: softwareLocator,
	format: SOFTWARE_ID,
	sourceField: 'softwareId',
	path: (software) => apiPath`/api/Software/${software}/vulnerabilities`,
	permission: 'Vulnerability.Read.All',
});
