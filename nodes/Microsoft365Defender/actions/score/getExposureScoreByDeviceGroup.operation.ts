import { mdeScoreListOperation } from './common';

/** get-machine-group-exposure-score.md: GET /api/exposureScore/ByMachineGroups. */
export const { description, execute } = mdeScoreListOperation('getExposureScoreByDeviceGroup', '/api/exposureScore/ByMachineGroups');
