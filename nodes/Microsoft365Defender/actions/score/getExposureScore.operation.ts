import { mdeScoreOperation } from './common';

/** get-exposure-score.md: GET /api/exposureScore. */
export const { description, execute } = mdeScoreOperation('getExposureScore', '/api/exposureScore');
