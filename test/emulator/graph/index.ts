import type { EmulatorRuntime } from '../runtime';
import { Router } from '../server';
import { registerBatchRoute } from './batch';
import { registerDetectionRuleRoutes } from './detectionRules';
import { graphApiProfile } from './common';
import { registerAlertRoutes } from './alerts';
import { registerAnalyzedEmailRoutes } from './analyzedEmails';
import { registerHuntingRoutes } from './hunting';
import { registerIdentityRoutes } from './identities';
import { registerIncidentRoutes } from './incidents';
import { registerSecureScoreRoutes } from './secureScores';
import { registerThreatIntelligenceRoutes } from './threatIntelligence';

export { graphApiProfile };

export function createGraphRouter(runtime: EmulatorRuntime): Router {
	const router = new Router();
	registerBatchRoute(router, () => ({ runtime, profile: graphApiProfile, router }));
	registerIncidentRoutes(router);
	registerAlertRoutes(router);
	registerHuntingRoutes(router);
	registerSecureScoreRoutes(router);
	registerIdentityRoutes(router);
	registerAnalyzedEmailRoutes(router);
	registerThreatIntelligenceRoutes(router);
	registerDetectionRuleRoutes(router);
	return router;
}
