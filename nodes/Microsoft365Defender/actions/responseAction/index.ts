import type { INodeProperties } from 'n8n-workflow';

import { operationSelector } from '../../descriptions/common';

import * as collectInvestigationPackage from './collectInvestigationPackage.operation';
import * as isolate from './isolate.operation';
import * as offboard from './offboard.operation';
import * as releaseFromIsolation from './releaseFromIsolation.operation';
import * as removeAppRestriction from './removeAppRestriction.operation';
import * as restrictAppExecution from './restrictAppExecution.operation';
import * as runAntivirusScan from './runAntivirusScan.operation';
import * as stopAndQuarantineFile from './stopAndQuarantineFile.operation';

export {
	collectInvestigationPackage,
	isolate,
	offboard,
	releaseFromIsolation,
	removeAppRestriction,
	restrictAppExecution,
	runAntivirusScan,
	stopAndQuarantineFile,
};

export const description: INodeProperties[] = [
	operationSelector('responseAction', 'isolate', [
		{ name: 'Collect Investigation Package', value: 'collectInvestigationPackage', action: 'Collect an investigation package from a device', description: 'Collect forensic data from a device' },
		{ name: 'Isolate', value: 'isolate', action: 'Isolate a device', description: 'Cut a device off the network (acts on a real device)' },
		{ name: 'Offboard', value: 'offboard', action: 'Offboard a device', description: 'Offboard a device from Defender for Endpoint (acts on a real device; the API cannot undo it)' },
		{ name: 'Release From Isolation', value: 'releaseFromIsolation', action: 'Release a device from isolation', description: 'Reconnect an isolated device' },
		{ name: 'Remove App Restriction', value: 'removeAppRestriction', action: 'Remove the app restriction of a device', description: 'Let all applications run again' },
		{ name: 'Restrict App Execution', value: 'restrictAppExecution', action: 'Restrict app execution on a device', description: 'Let only Microsoft-signed applications run on a device' },
		{ name: 'Run Antivirus Scan', value: 'runAntivirusScan', action: 'Run a quick or full antivirus scan on a device', description: 'Start a Microsoft Defender Antivirus scan' },
		{ name: 'Stop and Quarantine File', value: 'stopAndQuarantineFile', action: 'Stop and quarantine a file', description: 'Stop a file\'s processes and quarantine it' },
	]),
	...isolate.description,
	...releaseFromIsolation.description,
	...runAntivirusScan.description,
	...collectInvestigationPackage.description,
	...restrictAppExecution.description,
	...removeAppRestriction.description,
	...stopAndQuarantineFile.description,
	...offboard.description,
];
