import tseslint from 'typescript-eslint';

// n8n's community-node rules run in `npm run scan` (scripts/scan.mjs) as n8n's scanner applies
// them, with scan-allowlist.json the one place for exceptions; this config is TypeScript hygiene.
export default tseslint.config(
	{ ignores: ['dist/**', 'node_modules/**', '.n8n-host/**', '.emulator/**', 'coverage/**', 'bench-results/**'] },
	...tseslint.configs.recommended,
	{
		files: ['**/*.ts'],
		rules: {
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
		},
	},
	{
		files: ['scripts/**/*.mjs', 'scripts/**/*.cjs', 'gulpfile.js', 'jest.config.js'],
		languageOptions: {
			globals: { process: 'readonly', console: 'readonly', require: 'readonly', module: 'writable', __dirname: 'readonly', __filename: 'readonly' },
		},
		rules: { '@typescript-eslint/no-require-imports': 'off' },
	},
);
