import { Router } from '../server';
import { registerAlertRoutes } from './alerts';
import { registerHuntingRoutes } from './hunting';
import { registerIncidentRoutes } from './incidents';

export { graphApiProfile } from './common';

export function createGraphRouter(): Router {
	const router = new Router();
	registerIncidentRoutes(router);
	registerAlertRoutes(router);
	registerHuntingRoutes(router);
	return router;
}
