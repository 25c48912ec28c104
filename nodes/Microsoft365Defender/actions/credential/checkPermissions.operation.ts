import { updateDisplayOptions, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { toNodeError } from '../../transport/errors';
import { connect } from '../../transport/request';
import { checkPermissions, CONSENT_DELAY_NOTE } from './permissionReport';

const properties: INodeProperties[] = [
	{
		displayName: 'Return',
		name: 'permissionsToReturn',
		type: 'options',
		options: [
			{ name: 'All Permissions', value: 'all', description: 'One item per permission the node uses, granted or missing' },
			{ name: 'Missing Permissions Only', value: 'missing', description: 'Only the permissions the app lacks' },
		],
		default: 'all',
	},
	{
		displayName: `Gets a fresh token per API and reads the application permissions (roles) it carries. ${CONSENT_DELAY_NOTE}`,
		name: 'consentNotice',
		type: 'notice',
		default: '',
	},
];

export const description = updateDisplayOptions({ show: { resource: ['credential'], operation: ['checkPermissions'] } }, properties);

/**
 * One item per permission, for workflows and AI agents that decide what they may run: granted
 * or missing, and the operations it unlocks. The node's Tenant option picks the tenant.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const onlyMissing = this.getNodeParameter('permissionsToReturn', itemIndex, 'all') === 'missing';
	let report;
	try {
		const { credentials } = await connect.call(this, itemIndex);
		report = await checkPermissions(credentials);
	} catch (error) {
		throw toNodeError(this.getNode(), error, itemIndex);
	}
	return report.permissions
		.filter((status) => !onlyMissing || !status.granted)
		.map((status) => ({
			tenant: report.tenant,
			tenantId: report.tenantId ?? null,
			api: status.apiName,
			permission: status.permission,
			granted: status.granted,
			...(status.grantedBy ? { grantedBy: status.grantedBy } : {}),
			operations: status.operations,
		}));
}
