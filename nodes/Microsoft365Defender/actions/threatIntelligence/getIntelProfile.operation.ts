import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { readText, showFor, tiGet, withoutContext } from './common';

/** GET /intelProfiles/{id} (security-intelligenceprofile-get.md): a threat actor or tool. */
export const description = showFor('getIntelProfile', [
	{ displayName: 'Intel Profile ID', name: 'intelProfileId', type: 'string', default: '', required: true, placeholder: '9b01de37bf66d1760954a16dc2b52fed2a7bd4e093dfc8a4905e108e4843da80' },
]);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	return withoutContext(await tiGet.call(this, 'intelProfiles', 'Intel Profile ID', readText.call(this, 'intelProfileId', 'Intel Profile ID', itemIndex), itemIndex));
}
