import { mdeTimestamp } from './common';
import type { LiveResponseSession, MachineActionStatus } from './state';

/**
 * The `commands` of a LiveResponse machine action (run-live-response.md, response example):
 * index, startTime, endTime, commandStatus ("Created", "Completed" or "Failed"), errors and the
 * command as sent. Microsoft stops at the first failed command; the ones after it stay Created.
 */
export function serializeCommands(session: LiveResponseSession, status: MachineActionStatus, createdMs: number, sinceMs: number): Array<Record<string, unknown>> {
	return session.commands.map((command, index) => {
		const failed = session.failure?.index === index && status === 'Failed';
		const completed = status === 'Succeeded' || (status === 'Failed' && session.failure !== undefined && index < session.failure.index);
		const ran = failed || completed;
		return {
			index,
			startTime: ran ? mdeTimestamp(createdMs) : null,
			endTime: ran ? mdeTimestamp(sinceMs) : null,
			commandStatus: failed ? 'Failed' : completed ? 'Completed' : 'Created',
			errors: failed && session.failure ? [session.failure.error] : [],
			command: { type: command.type, params: command.params.map((param) => ({ ...param })) },
		};
	});
}
