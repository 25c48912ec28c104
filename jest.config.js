/** @type {import('jest').Config} */
const project = (name, extra = {}) => ({
	displayName: name,
	testEnvironment: 'node',
	roots: ['<rootDir>/test/' + name],
	testMatch: ['**/*.test.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }],
	},
	...extra,
});

module.exports = {
	projects: [
		project('unit'),
		project('integration', { testTimeout: 60_000 }),
		project('e2e', { testTimeout: 600_000 }),
	],
};
