import type { EmulatorRuntime } from '../runtime';
import { Router } from '../server';
import { registerBatchRoute } from './batch';
import { graphApiProfile } from './common';
import { registerAlertRoutes } from './alerts';
import { registerHuntingRoutes } from './hunting';
import { registerIncidentRoutes } from './incidents';
import { registerSecureScoreRoutes } from './secureScores';

export { graphApiProfile };

export function createGraphRouter(runtime: EmulatorRuntime): Router {
	const router = new Router();
	registerBatchRoute(router, () => ({ runtime, profile: graphApiProfile, router }));
	registerIncidentRoutes(router);
	registerAlertRoutes(router);
	registerHuntingRoutes(router);
	registerSecureScoreRoutes(router);
	return router;
}
