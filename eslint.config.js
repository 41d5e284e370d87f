// The import rules below are the architecture: arrows point inward
// (cli -> program -> commands -> core), AWS only in adapters, process only at the edge.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const sdk = { group: ['@aws-sdk/*', '@smithy/*'], message: 'AWS SDK imports belong in src/adapters/aws.' };
const nodeIo = {
  group: [
    'node:fs',
    'node:fs/*',
    'fs',
    'node:zlib',
    'node:child_process',
    'node:net',
    'node:http',
    'node:https',
  ],
  message: 'I/O belongs in src/adapters.',
};
// Commands are thin: what they share sits in these three; anything else another command needs
// belongs in core or output.
const otherCommand = {
  group: ['./*', '!./context.js', '!./key-options.js', '!./inventory-source.js'],
  message:
    'No command imports another command: only ./context.js, ./key-options.js and ./inventory-source.js.',
};
const commandPatterns = [
  sdk,
  nodeIo,
  { group: ['**/adapters/**'], message: 'Commands get adapters from src/deps.ts.' },
];
const noProcess = [
  { name: 'process', message: 'Only src/cli.ts and src/config/ read process; pass values in.' },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.local/**', '.venv-moto/**', 'bench/out/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  // Type-aware rules (floating promises, unsafe any, awaited non-promises...) for the product code.
  ...tseslint.configs.recommendedTypeChecked.map((config) => ({ ...config, files: ['src/**/*.ts'] })),
  {
    files: ['src/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // A caught error is rethrown (or handed on as a rejection) as it came, typed unknown.
      '@typescript-eslint/only-throw-error': ['error', { allowThrowingUnknown: true }],
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingUnknown: true }],
    },
  },
  {
    languageOptions: {
      globals: {
        console: 'readonly',
        process: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        URL: 'readonly',
        Buffer: 'readonly',
        AbortController: 'readonly',
        AbortSignal: 'readonly',
        TextEncoder: 'readonly',
        TextDecoder: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            sdk,
            nodeIo,
            {
              group: ['node:*', 'commander', 'csv-parse', 'csv-parse/*'],
              message: 'src/core is pure: no Node, CLI or parser imports.',
            },
            {
              group: ['**/adapters/**', '**/commands/**', '**/output/**', '**/config/**'],
              message: 'src/core imports nothing outside src/core.',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        ...noProcess,
        { name: 'console', message: 'Output goes through src/output.' },
      ],
    },
  },
  {
    files: ['src/adapters/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/commands/**', '**/output/**', '**/config/**', 'commander'],
              message: 'Adapters depend on core only.',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        ...noProcess,
        { name: 'console', message: 'Output goes through src/output.' },
      ],
    },
  },
  {
    // AWS adapters talk to AWS; reading and writing the user's files is src/adapters/fs's job.
    files: ['src/adapters/aws/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/commands/**', '**/output/**', '**/config/**', 'commander'],
              message: 'Adapters depend on core only.',
            },
          ],
          paths: ['node:fs', 'node:fs/promises', 'fs', 'fs/promises'].map((name) => ({
            name,
            message: 'File I/O belongs in src/adapters/fs.',
          })),
        },
      ],
    },
  },
  {
    files: ['src/adapters/fs/**/*.ts', 'src/adapters/stream/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/commands/**', '**/output/**', '**/config/**', 'commander'],
              message: 'Adapters depend on core only.',
            },
            { group: ['@aws-sdk/*', '@smithy/*'], message: 'AWS SDK imports belong in src/adapters/aws.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/commands/**/*.ts', 'src/program.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: commandPatterns }],
      'no-restricted-globals': [
        'error',
        ...noProcess,
        { name: 'console', message: 'Output goes through src/output.' },
      ],
    },
  },
  {
    files: ['src/commands/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [...commandPatterns, otherCommand] }] },
  },
  {
    files: ['src/output/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [sdk, nodeIo] }],
      'no-restricted-globals': ['error', ...noProcess],
    },
  },
  {
    files: ['src/config/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [sdk, nodeIo] }] },
  },
);
