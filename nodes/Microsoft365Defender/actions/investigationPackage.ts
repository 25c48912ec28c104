import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { apiPath, fromField } from '../transport/paths';
import { downloadAsBinaryData, outputBinaryField, readBinaryFieldName, withBinaryData } from './binaryData';
import { mdeRequest, withoutContext } from './defenderForEndpoint';

/**
 * The investigation package of a Collect Investigation Package action: its short-lived link
 * (GET /api/machineactions/{id}/getPackageUri, defender-endpoint/api/get-package-sas-uri.md,
 * 2 calls per minute and 120 per hour) and the zip behind it, as binary data.
 */

export const packageOutputField = outputBinaryField('The investigation package (a zip file) is put in this binary field of the output item');

export const PACKAGE_ACTION_TYPE = 'CollectInvestigationPackage';

export async function investigationPackageLink(this: IExecuteFunctions, machineActionId: string, itemIndex: number): Promise<string> {
	const response = await mdeRequest.call(this, {
		method: 'GET',
		path: apiPath`/api/machineactions/${fromField('Machine Action', machineActionId)}/getPackageUri`,
		permission: 'Machine.Read.All',
		itemIndex,
	});
	// Microsoft's answer can carry the URL wrapped in quotes inside the JSON string.
	return String(response.value ?? '').trim().replace(/^"(.*)"$/, '$1');
}

/** Checks that the action is a package collection that has Succeeded, with a hint for what to do otherwise. */
export function assertPackageReady(this: IExecuteFunctions, action: IDataObject, itemIndex: number): void {
	if (action.type !== PACKAGE_ACTION_TYPE) {
		throw new NodeOperationError(this.getNode(), `Machine action ${String(action.id)} (type ${String(action.type)}) is not a ${PACKAGE_ACTION_TYPE} action: it has no investigation package.`, {
			description: 'Pick the Collect Investigation Package action of the device (Machine Action → Get Many, Type: Collect Investigation Package).',
			itemIndex,
		});
	}
	if (action.status !== 'Succeeded') {
		throw new NodeOperationError(this.getNode(), `The investigation package of machine action ${String(action.id)} is not ready: the action is ${String(action.status)}.`, {
			description:
				action.status === 'Pending' || action.status === 'InProgress'
					? 'Wait until the action has Succeeded (Collect Investigation Package with Wait for Completion and Download Package does both).'
					: 'Only a Succeeded collection has a package. Collect the package again.',
			itemIndex,
		});
	}
}

/** The action as an output item with its package in the binary field the user named. */
export async function withInvestigationPackage(this: IExecuteFunctions, action: IDataObject, itemIndex: number): Promise<IDataObject> {
	const field = readBinaryFieldName.call(this, itemIndex);
	const id = String(action.id);
	const link = await investigationPackageLink.call(this, id, itemIndex);
	const { binary, bytes } = await downloadAsBinaryData.call(
		this,
		link,
		{
			what: `the investigation package of machine action ${id}`,
			itemIndex,
			renewHint: 'Run the node again: Machine Action → Download Investigation Package gets a new link for the same package.',
		},
		`investigation-package-${String(action.machineId ?? id)}.zip`,
		'application/zip',
	);
	return withBinaryData(
		{ ...withoutContext(action), investigationPackage: { binaryField: field, fileName: binary.fileName, bytes } },
		{ [field]: binary },
	);
}

export const downloadPackageFields: INodeProperties[] = [
	{
		displayName: 'Download Package',
		name: 'downloadPackage',
		type: 'boolean',
		default: false,
		description: 'Whether to download the package once the collection has Succeeded and return it as binary data (a zip file). The download link goes to Microsoft\'s storage; no credential is sent there.',
		displayOptions: { show: { waitForCompletion: [true] } },
	},
	{ ...packageOutputField, displayOptions: { show: { waitForCompletion: [true], downloadPackage: [true] } } },
];
