/** @type {import('jest').Config} */
/** A project; `timeoutMs` is its tests' timeout (set by test/projectTimeout.ts: Jest ignores a project's own `testTimeout`). */
const project = (name, { timeoutMs, ...extra } = {}) => ({
	displayName: name,
	testEnvironment: 'node',
	roots: ['<rootDir>/test/' + name],
	testMatch: ['**/*.test.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }],
	},
	...(timeoutMs ? { globals: { projectTestTimeoutMs: timeoutMs }, setupFilesAfterEnv: ['<rootDir>/test/projectTimeout.ts'] } : {}),
	...extra,
});

module.exports = {
	projects: [
		project('unit'),
		project('integration', { timeoutMs: 60_000 }),
		project('e2e', { timeoutMs: 600_000 }),
	],
};
