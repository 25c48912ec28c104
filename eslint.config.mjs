import communityNodes from '@n8n/eslint-plugin-community-nodes';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';
import tseslint from 'typescript-eslint';

const recommended = communityNodes.configs.recommendedWithoutN8nCloudSupport;

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
		files: ['credentials/**/*.ts', 'nodes/**/*.ts'],
		plugins: { ...recommended.plugins, 'n8n-nodes-base': n8nNodesBase },
		rules: {
			...recommended.rules,
			// @azure/msal-node is this package's one runtime dependency, on purpose: it is for self-hosted n8n.
			'@n8n/community-nodes/no-runtime-dependencies': 'off',
			...n8nNodesBase.configs.nodes.rules,
			// These two predate NodeConnectionTypes, which the community-nodes rules ask for.
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
		},
	},
	{
		// The transport throws its own typed errors; toNodeError turns them into NodeApiError /
		// NodeOperationError at the boundary, where the node and item are known. It also manages
		// one token per audience (Graph, Defender for Endpoint) with renewal on 401, which
		// httpRequestWithAuthentication cannot do.
		files: ['nodes/*/transport/**/*.ts'],
		rules: {
			'@n8n/community-nodes/require-node-api-error': 'off',
			'@n8n/community-nodes/no-http-request-with-manual-auth': 'off',
		},
	},
	{
		files: ['credentials/**/*.ts'],
		rules: {
			...n8nNodesBase.configs.credentials.rules,
			// That rule is for n8n's own docs slugs; a community credential links a full URL.
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
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
