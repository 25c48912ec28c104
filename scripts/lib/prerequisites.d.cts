/** Types for prerequisites.cjs (used by its unit test). */
export interface Prerequisite {
	name: string;
	for: string[];
	present: () => boolean;
	packages: string[];
	why: string;
}

export const PREREQUISITES: Prerequisite[];
export function missingFor(projects: string[], prerequisites?: Prerequisite[]): Prerequisite[];
export function installCommand(missing: Prerequisite[]): string;
export function ensurePrerequisites(
	projects: string[],
	options?: { prerequisites?: Prerequisite[]; isRoot?: boolean; hasAptGet?: boolean; run?: (command: string) => void; log?: (line: string) => void },
): string[];
