import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'cdk.out/', '.local/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    // The layer rule (README.md, "The layer rule"): the inner layers never reach an adapter, an AWS
    // SDK or the Lambda tooling, so every use case runs on the in-memory fakes as well as on AWS.
    files: ['shared/domain/**', 'shared/ports/**', 'shared/use-cases/**', 'shared/events/**', 'shared/web/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/adapters/**'], message: 'Inner layers use ports; adapters are built in the deps factories.' },
            { group: ['@aws-sdk/*', '@smithy/*', '@aws-lambda-powertools/*', '@middy/*'], message: 'Inner layers stay free of AWS and Lambda tooling; reach it through a port.' },
          ],
        },
      ],
    },
  },
  {
    // The bench and the harness it shares with the tests stand alone: test/ may change without them.
    files: ['bench/**', 'harness/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['**/test/**'], message: 'bench/ and harness/ never import test/ (docs/testing.md, "The harness").' }] }] },
  },
);
