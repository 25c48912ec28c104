import { InvalidPathValueError } from '../../../nodes/Microsoft365Defender/transport/paths';

/** The validation error `run` throws; fails the test when it throws none or another kind. */
export function failure(run: () => unknown): InvalidPathValueError {
	try {
		run();
	} catch (error) {
		if (error instanceof InvalidPathValueError) return error;
		throw error;
	}
	throw new Error('expected a validation error');
}
