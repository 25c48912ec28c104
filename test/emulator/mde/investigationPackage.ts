import { createZip } from '../storage/zip';
import { mdeTimestamp } from './common';
import type { MachineActionRecord } from './state';

/**
 * The zip a Collect Investigation Package action produces. Its folders are the ones Microsoft
 * lists for a Windows device (defender-endpoint/respond-machine-alerts.md, "Collect investigation
 * package from devices"): Autoruns, Installed programs, Network connections, Processes, Scheduled
 * tasks, Services, System Information, Users and Groups, ... and CollectionSummaryReport.xls.
 */
export function investigationPackageZip(record: MachineActionRecord): Buffer {
	const header = `Collected from ${record.computerDnsName} (${record.machineId}) by machine action ${record.id} at ${mdeTimestamp(record.createdMs)}\n`;
	const text = (content: string) => Buffer.from(header + content);
	return createZip([
		{ name: 'Autoruns/Run.txt', content: text('HKLM\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\n  SecurityHealth  C:\\Windows\\system32\\SecurityHealthSystray.exe\n') },
		{ name: 'Installed programs/InstalledPrograms.csv', content: text('Name,Version,Publisher\nMicrosoft Edge,120.0.2210.91,Microsoft Corporation\n') },
		{ name: 'Network connections/ActiveNetConnections.txt', content: text('Proto  Local Address  Foreign Address  State\nTCP    10.0.0.4:49710  52.168.112.66:443  ESTABLISHED\n') },
		{ name: 'Processes/Processes.csv', content: text('Name,Id,Path\nexplorer.exe,4120,C:\\Windows\\explorer.exe\n') },
		{ name: 'System Information/SystemInformation.txt', content: text(`Host Name: ${record.computerDnsName}\n`) },
		{ name: 'CollectionSummaryReport.xls', content: text('Artifact\tStatus\nAutoruns\tCollected\nProcesses\tCollected\n') },
	]);
}
