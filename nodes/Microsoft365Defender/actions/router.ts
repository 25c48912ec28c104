import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { DEFAULT_CONCURRENCY } from '../descriptions/common';
import { cancelSignalOf } from '../transport/cancellation';
import { forEachConcurrently } from '../transport/concurrency';
import { toNodeError } from '../transport/errors';
import * as advancedHunting from './advancedHunting';
import { binaryDataOf } from './binaryData';
import * as alert from './alert';
import * as cloudAppsActivity from './cloudAppsActivity';
import * as cloudAppsAlert from './cloudAppsAlert';
import * as cloudAppsEntity from './cloudAppsEntity';
import * as cloudAppsFile from './cloudAppsFile';
import * as cloudAppsIpRange from './cloudAppsIpRange';
import * as credential from './credential';
import * as customApiCall from './customApiCall';
import * as detectionRule from './detectionRule';
import * as device from './device';
import * as email from './email';
import * as enrichment from './enrichment';
import * as incident from './incident';
import * as indicator from './indicator';
import * as investigation from './investigation';
import * as liveResponse from './liveResponse';
import * as liveResponseLibrary from './liveResponseLibrary';
import * as machineAction from './machineAction';
import * as recommendation from './recommendation';
import * as remediationActivity from './remediationActivity';
import * as responseAction from './responseAction';
import * as score from './score';
import * as software from './software';
import * as threatIntelligence from './threatIntelligence';
import * as user from './user';
import * as vulnerability from './vulnerability';
import type { OperationModule } from './securityItems';
import { applyOutputShape, outputShapeFor } from './simplify';

/** An operation that needs all input items at once (e.g. Import Many); it pairs its output items itself. */
export type AllItemsOperationModule = {
	description: INodeProperties[];
	executeAll: (this: IExecuteFunctions) => Promise<INodeExecutionData[]>;
};

const allItemsResources: Record<string, Record<string, AllItemsOperationModule>> = {
	indicator: { importMany: indicator.importMany },
	email: { remediate: email.remediate },
};

const resources: Record<string, Record<string, OperationModule>> = {
	incident: { get: incident.get, getAll: incident.getAll, update: incident.update, addComment: incident.addComment, getEvidence: incident.getEvidence },
	alert: { get: alert.get, getAll: alert.getAll, update: alert.update, addComment: alert.addComment },
	advancedHunting: { runQuery: advancedHunting.runQuery },
	credential: { checkPermissions: credential.checkPermissions },
	device: {
		get: device.get,
		getAll: device.getAll,
		find: device.find,
		addTag: device.addTag,
		removeTag: device.removeTag,
		getLoggedOnUsers: device.getLoggedOnUsers,
		getAlerts: device.getAlerts,
		getSoftware: device.getSoftware,
		getVulnerabilities: device.getVulnerabilities,
		getMissingKbs: device.getMissingKbs,
		getRecommendations: device.getRecommendations,
		setDeviceValue: device.setDeviceValue,
		getIsolationState: device.getIsolationState,
	},
	responseAction: {
		isolate: responseAction.isolate,
		releaseFromIsolation: responseAction.releaseFromIsolation,
		runAntivirusScan: responseAction.runAntivirusScan,
		collectInvestigationPackage: responseAction.collectInvestigationPackage,
		restrictAppExecution: responseAction.restrictAppExecution,
		removeAppRestriction: responseAction.removeAppRestriction,
		stopAndQuarantineFile: responseAction.stopAndQuarantineFile,
		offboard: responseAction.offboard,
	},
	indicator: {
		createOrUpdate: indicator.createOrUpdate,
		get: indicator.get,
		getAll: indicator.getAll,
		delete: indicator.deleteIndicator,
	},
	machineAction: {
		get: machineAction.get,
		getAll: machineAction.getAll,
		cancel: machineAction.cancel,
		getPackageUri: machineAction.getPackageUri,
		downloadPackage: machineAction.downloadPackage,
	},
	liveResponse: {
		runScript: liveResponse.runScript,
		getFile: liveResponse.getFile,
		putFile: liveResponse.putFile,
		runCommands: liveResponse.runCommands,
	},
	liveResponseLibrary: {
		getAll: liveResponseLibrary.getAll,
		upload: liveResponseLibrary.upload,
		delete: liveResponseLibrary.deleteFile,
	},
	enrichment: { file: enrichment.file, ip: enrichment.ip, domain: enrichment.domain, user: enrichment.user },
	vulnerability: { getAll: vulnerability.getAll, getAffectedDevices: vulnerability.getAffectedDevices, getAllByDevice: vulnerability.getAllByDevice },
	software: {
		getAll: software.getAll,
		getDevices: software.getDevices,
		getVulnerabilities: software.getVulnerabilities,
		getVersionDistribution: software.getVersionDistribution,
		getMissingKbs: software.getMissingKbs,
	},
	recommendation: {
		getAll: recommendation.getAll,
		getDevices: recommendation.getDevices,
		getSoftware: recommendation.getSoftware,
		getVulnerabilities: recommendation.getVulnerabilities,
	},
	investigation: { get: investigation.get, getAll: investigation.getAll, start: investigation.start },
	remediationActivity: { get: remediationActivity.get, getAll: remediationActivity.getAll },
	score: {
		getExposureScore: score.getExposureScore,
		getExposureScoreByDeviceGroup: score.getExposureScoreByDeviceGroup,
		getDeviceSecureScore: score.getDeviceSecureScore,
		getSecureScores: score.getSecureScores,
		getSecureScoreControlProfiles: score.getSecureScoreControlProfiles,
	},
	cloudAppsAlert: {
		get: cloudAppsAlert.get,
		getAll: cloudAppsAlert.getAll,
		closeBenign: cloudAppsAlert.closeBenign,
		closeFalsePositive: cloudAppsAlert.closeFalsePositive,
		closeTruePositive: cloudAppsAlert.closeTruePositive,
		markAsRead: cloudAppsAlert.markAsRead,
		markAsUnread: cloudAppsAlert.markAsUnread,
	},
	cloudAppsActivity: { get: cloudAppsActivity.get, getAll: cloudAppsActivity.getAll, sendFeedback: cloudAppsActivity.sendFeedback },
	cloudAppsFile: { get: cloudAppsFile.get, getAll: cloudAppsFile.getAll },
	cloudAppsEntity: { get: cloudAppsEntity.get, getAll: cloudAppsEntity.getAll, getTree: cloudAppsEntity.getTree },
	cloudAppsIpRange: { getAll: cloudAppsIpRange.getAll, create: cloudAppsIpRange.create, update: cloudAppsIpRange.update, delete: cloudAppsIpRange.deleteIpRange },
	customApiCall: { request: customApiCall.request },
	email: { get: email.get, getAll: email.getAll },
	detectionRule: { get: detectionRule.get, getAll: detectionRule.getAll, create: detectionRule.create, update: detectionRule.update, delete: detectionRule.deleteRule },
	threatIntelligence: {
		getHost: threatIntelligence.getHost,
		getArticle: threatIntelligence.getArticle,
		getManyArticles: threatIntelligence.getManyArticles,
		getIntelProfile: threatIntelligence.getIntelProfile,
		getVulnerability: threatIntelligence.getVulnerability,
	},
	user: {
		getIdentityAccounts: user.getIdentityAccounts,
		disable: user.disable,
		enable: user.enable,
		forcePasswordReset: user.forcePasswordReset,
		revokeAllSessions: user.revokeAllSessions,
		requireSignInAgain: user.requireSignInAgain,
		markAsCompromised: user.markAsCompromised,
		dismissRisk: user.dismissRisk,
	},
};

function errorItem(error: Error, itemIndex: number): INodeExecutionData {
	const json: IDataObject = { error: error.message };
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		if (error.description) json.description = error.description;
		if (error instanceof NodeApiError && error.httpCode) json.httpCode = error.httpCode;
	}
	return { json, pairedItem: { item: itemIndex } };
}

/**
 * Each result object as one output item paired to its input item, in one pass: a hunting
 * query's 100,000 rows are wrapped once, not copied through intermediate arrays. Results are
 * always plain objects, so a column that happens to be named "json" stays data.
 */
function pairedItems(result: IDataObject | IDataObject[], itemIndex: number): INodeExecutionData[] {
	const rows = Array.isArray(result) ? result : [result];
	const items: INodeExecutionData[] = new Array(rows.length);
	for (let row = 0; row < rows.length; row++) {
		const binary = binaryDataOf(rows[row]);
		items[row] = binary ? { json: rows[row], binary, pairedItem: { item: itemIndex } } : { json: rows[row], pairedItem: { item: itemIndex } };
	}
	return items;
}

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const allItemsHandler = allItemsResources[resource]?.[operation];
	if (allItemsHandler) return [await allItemsHandler.executeAll.call(this)];
	const handler = resources[resource]?.[operation];
	if (!handler) {
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not known for "${resource}".`);
	}

	const concurrency = this.getNodeParameter('requestOptions.concurrency', 0, DEFAULT_CONCURRENCY) as number;
	const outputs: INodeExecutionData[][] = new Array(items.length);
	let done = 0;
	const signal = cancelSignalOf(this);
	await forEachConcurrently(items.length, concurrency, async (itemIndex) => {
		try {
			const shape = outputShapeFor.call(this, resource, operation, itemIndex);
			const result = await handler.execute.call(this, itemIndex);
			outputs[itemIndex] = pairedItems(applyOutputShape(shape, result), itemIndex);
		} catch (error) {
			const nodeError = toNodeError(this.getNode(), error, itemIndex);
			// Once stopped, the run ends; Continue On Fail is for failed items, not for a stop.
			if (!this.continueOnFail() || signal?.aborted) throw nodeError;
			outputs[itemIndex] = [errorItem(nodeError, itemIndex)];
		}
		done++;
		if (items.length >= 100 && done % 100 === 0) {
			this.logger.info(`Microsoft 365 Defender: ${resource} ${operation}: ${done} of ${items.length} items done`);
		}
	}, signal).catch((error: unknown) => {
		throw toNodeError(this.getNode(), error);
	});
	return [outputs.flat()];
}
