import { mdeScoreOperation } from './common';

/** get-device-secure-score.md: GET /api/configurationScore (Microsoft Secure Score for Devices). */
export const { description, execute } = mdeScoreOperation('getDeviceSecureScore', '/api/configurationScore');
