import type { IExecuteFunctions, ILoadOptionsFunctions, IPollFunctions } from 'n8n-workflow';

import type { DefenderContext } from './types';

/** Where each node keeps its Tenant option: the action node's Request Options, the trigger's Options. */
export const ACTION_TENANT_PARAMETER = 'requestOptions.tenant';
export const TRIGGER_TENANT_PARAMETER = 'options.tenant';

function text(value: unknown): string {
	return typeof value === 'string' ? value.trim() : '';
}

/**
 * The Tenant option for this item (it may be an expression, so one workflow can loop over
 * customers' tenants); '' means the credential's own tenant.
 */
export function tenantOptionOf(context: DefenderContext, itemIndex?: number): string {
	if ('getInputData' in context) {
		return text((context as IExecuteFunctions).getNodeParameter(ACTION_TENANT_PARAMETER, itemIndex ?? 0, ''));
	}
	if ('__emit' in context) return text((context as IPollFunctions).getNodeParameter(TRIGGER_TENANT_PARAMETER, ''));
	// A list search ("From list") runs in the editor, where an expression over items has no value
	// yet: it lists the credential's tenant then.
	try {
		const tenant = text((context as ILoadOptionsFunctions).getCurrentNodeParameter(ACTION_TENANT_PARAMETER));
		return tenant.startsWith('=') ? '' : tenant;
	} catch {
		return '';
	}
}
