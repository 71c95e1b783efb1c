// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const providerBarrel = {
  name: '@cdktf/provider-aws',
  message: 'Import the resource by deep path (@cdktf/provider-aws/lib/iam-role): the barrel costs seconds per synth.',
};

export default tseslint.config(
  { ignores: ['node_modules/', 'cdktf.out/', 'assembly/', '.venv/', '.tools/', 'coverage/', 'test/fixtures/', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', { paths: [providerBarrel] }],
    },
  },
  {
    // The pure core: no cdktf, no AWS SDK, no console, no process exits. Adapters live at the edges.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [providerBarrel, { name: 'cdktf', message: 'src/core is pure: no cdktf.' }, { name: 'constructs', message: 'src/core is pure: no constructs.' }],
          patterns: [
            { group: ['@aws-sdk/*', '@smithy/*'], message: 'src/core is pure: the AWS SDK belongs in src/io adapters.' },
            { group: ['@cdktf/*'], message: 'src/core is pure: no cdktf.' },
            { group: ['../config/*', '../io/*', '../cli/*', '../lambda/*', '../../modules/*', '../../stacks/*', '**/src/config/**', '**/src/io/**', '**/src/cli/**'], message: 'src/core depends on nothing above it.' },
            { group: ['fs', 'node:fs', 'fs/*', 'node:fs/*', 'child_process', 'node:child_process'], message: 'src/core does no I/O: pass data in.' },
          ],
        },
      ],
      'no-console': 'error',
      'no-restricted-properties': ['error', { object: 'process', property: 'exit', message: 'src/core never exits the process.' }],
    },
  },
  {
    // cdktf stays inside modules/ and stacks/ so the construct layer can move to the cdktn fork.
    files: ['src/**/*.ts'],
    ignores: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [providerBarrel, { name: 'cdktf', message: 'cdktf imports belong in modules/ and stacks/ only.' }],
          patterns: [{ group: ['@cdktf/*'], message: 'cdktf imports belong in modules/ and stacks/ only.' }],
        },
      ],
    },
  },
  {
    files: ['**/*.test.ts', 'test/**/*.ts', 'scripts/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [providerBarrel] }] },
  },
);
