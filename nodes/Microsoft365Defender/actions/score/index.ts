import type { INodeProperties } from 'n8n-workflow';

import { operationSelector } from '../../descriptions/common';

import * as getDeviceSecureScore from './getDeviceSecureScore.operation';
import * as getExposureScore from './getExposureScore.operation';
import * as getExposureScoreByDeviceGroup from './getExposureScoreByDeviceGroup.operation';
import * as getSecureScoreControlProfiles from './getSecureScoreControlProfiles.operation';
import * as getSecureScores from './getSecureScores.operation';

export { getDeviceSecureScore, getExposureScore, getExposureScoreByDeviceGroup, getSecureScoreControlProfiles, getSecureScores };

export const description: INodeProperties[] = [
	operationSelector('score', 'getExposureScore', [
		{ name: 'Get Device Secure Score', value: 'getDeviceSecureScore', action: 'Get the device secure score', description: 'Microsoft Secure Score for Devices (configuration score) of the organization' },
		{ name: 'Get Exposure Score', value: 'getExposureScore', action: 'Get the exposure score', description: 'The organization\'s exposure score (Defender Vulnerability Management)' },
		{ name: 'Get Exposure Score by Device Group', value: 'getExposureScoreByDeviceGroup', action: 'Get the exposure score of each device group', description: 'One item per device group with its exposure score' },
		{ name: 'Get Secure Score Control Profiles', value: 'getSecureScoreControlProfiles', action: 'Get the secure score control profiles', description: 'The Microsoft Secure Score controls: what each is worth and how to improve it' },
		{ name: 'Get Secure Scores', value: 'getSecureScores', action: 'Get the secure score history', description: 'Microsoft Secure Score, one item per day (newest first), for reports' },
	]),
	...getExposureScore.description,
	...getExposureScoreByDeviceGroup.description,
	...getDeviceSecureScore.description,
	...getSecureScores.description,
	...getSecureScoreControlProfiles.description,
];
