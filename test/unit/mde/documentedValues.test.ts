import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { Microsoft365Defender } from '../../../nodes/Microsoft365Defender/Microsoft365Defender.node';

/*
 * Every Defender for Endpoint option list of the node against the values Microsoft documents, value by
 * value and with Microsoft's case. Pages: MicrosoftDocs/defender-docs, defender-endpoint/api/<page>.
 */

const properties = new Microsoft365Defender().description.properties;

/** The options of a field (or of a filter inside the Filters collection) of one resource and operation. */
function optionValues(resource: string, operation: string, name: string, inFilters = false): string[] {
	const shownFor = (property: INodeProperties) =>
		property.displayOptions?.show?.resource?.includes(resource) && property.displayOptions?.show?.operation?.includes(operation);
	const owner = properties.filter(shownFor);
	const field = inFilters
		? ((owner.find((property) => property.name === 'filters')?.options ?? []) as INodeProperties[]).find((option) => option.name === name)
		: owner.find((property) => property.name === name);
	if (!field) throw new Error(`No field ${name} on ${resource} / ${operation}`);
	return ((field.options ?? []) as INodePropertyOptions[]).map((option) => String(option.value));
}

const sorted = (values: string[]) => [...values].sort();

const DOCUMENTED: Array<{ page: string; property: string; values: string[]; fields: Array<[resource: string, operation: string, name: string, inFilters: boolean]> }> = [
	{
		page: 'machine.md',
		property: 'healthStatus',
		values: ['Active', 'Inactive', 'ImpairedCommunication', 'NoSensorData', 'NoSensorDataImpairedCommunication', 'Unknown'],
		fields: [['device', 'getAll', 'healthStatus', true]],
	},
	{ page: 'machine.md', property: 'riskScore', values: ['None', 'Informational', 'Low', 'Medium', 'High'], fields: [['device', 'getAll', 'riskScore', true]] },
	{ page: 'machine.md', property: 'exposureLevel', values: ['None', 'Low', 'Medium', 'High'], fields: [['device', 'getAll', 'exposureLevel', true]] },
	{
		page: 'machineaction.md',
		property: 'type',
		values: ['RunAntiVirusScan', 'Offboard', 'LiveResponse', 'CollectInvestigationPackage', 'Isolate', 'Unisolate', 'StopAndQuarantineFile', 'RestrictCodeExecution', 'UnrestrictCodeExecution'],
		fields: [['machineAction', 'getAll', 'type', true]],
	},
	{
		page: 'machineaction.md',
		property: 'status',
		values: ['Pending', 'InProgress', 'Succeeded', 'Failed', 'TimeOut', 'Cancelled'],
		fields: [['machineAction', 'getAll', 'status', true]],
	},
	{
		page: 'ti-indicator.md',
		property: 'indicatorType',
		values: ['FileSha1', 'FileSha256', 'FileMd5', 'CertificateThumbprint', 'IpAddress', 'DomainName', 'Url'],
		fields: [['indicator', 'getAll', 'indicatorType', true]],
	},
	{
		page: 'ti-indicator.md',
		property: 'action (every value an indicator can carry)',
		values: ['Warn', 'Block', 'Audit', 'Alert', 'AlertAndBlock', 'BlockAndRemediate', 'Allowed'],
		fields: [['indicator', 'getAll', 'action', true]],
	},
	{
		page: 'ti-indicator.md',
		property: '"Indicator Types": the actions the API supports',
		values: ['Allowed', 'Audit', 'Block', 'BlockAndRemediate', 'Warn'],
		fields: [
			['indicator', 'createOrUpdate', 'action', false],
			['indicator', 'importMany', 'action', false],
		],
	},
	{
		page: 'ti-indicator.md',
		property: 'severity',
		values: ['Informational', 'Low', 'Medium', 'High'],
		fields: [['indicator', 'getAll', 'severity', true]],
	},
	{ page: 'vulnerability.md', property: 'Severity', values: ['Low', 'Medium', 'High', 'Critical'], fields: [['vulnerability', 'getAll', 'severity', true]] },
	{
		page: 'recommendation.md',
		property: 'recommendationCategory',
		values: ['Accounts', 'Application', 'Network', 'OS', 'SecurityControls'],
		fields: [['recommendation', 'getAll', 'recommendationCategory', true]],
	},
	{
		page: 'recommendation.md',
		property: 'remediationType',
		values: ['ConfigurationChange', 'Update', 'Upgrade', 'Uninstall'],
		fields: [['recommendation', 'getAll', 'remediationType', true]],
	},
	{ page: 'recommendation.md', property: 'Status', values: ['Active', 'Exception'], fields: [['recommendation', 'getAll', 'status', true]] },
	{ page: 'isolate-machine.md', property: 'IsolationType', values: ['Full', 'Selective', 'UnManagedDevice'], fields: [['responseAction', 'isolate', 'isolationType', false]] },
	{ page: 'run-av-scan.md', property: 'ScanType', values: ['Quick', 'Full'], fields: [['responseAction', 'runAntivirusScan', 'scanType', false]] },
];

describe('Defender for Endpoint option lists equal the values Microsoft documents', () => {
	const cases = DOCUMENTED.flatMap((entry) => entry.fields.map((field) => ({ ...entry, field })));
	it.each(cases)('$page $property: $field.0 / $field.1 / $field.2', ({ values, field: [resource, operation, name, inFilters] }) => {
		const offered = optionValues(resource, operation, name, inFilters).filter((value) => value !== 'auto');
		expect(sorted(offered)).toEqual(sorted(values));
	});

	it('Create or Update offers the documented indicator types after Detect From Value', () => {
		expect(sorted(optionValues('indicator', 'createOrUpdate', 'indicatorType').filter((value) => value !== 'auto'))).toEqual(
			sorted(['FileSha1', 'FileSha256', 'FileMd5', 'CertificateThumbprint', 'IpAddress', 'DomainName', 'Url']),
		);
	});
});
