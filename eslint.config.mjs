// @ts-check
import js from '@eslint/js';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

const APPS = ['gateway', 'router', 'delivery', 'admin'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.cache/**', '.liaison/**', 'coverage/**', 'eslint.config.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'import-x/no-cycle': 'error',
      'import-x/no-self-import': 'error',
      // Apps never import each other; libs never import apps; only tests and tools reach into tools.
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            ...APPS.map((app) => ({
              target: `./apps/${app}`,
              from: APPS.filter((other) => other !== app).map((other) => `./apps/${other}`),
              message: 'apps never import other apps: move shared code into a lib',
            })),
            { target: './libs', from: ['./apps', './tools', './test'], message: 'libs never import apps, tools or tests' },
            { target: './apps', from: ['./tools', './test'], message: 'apps never import tools or tests' },
          ],
        },
      ],
    },
  },
  {
    // Nest's decorators and DI need runtime imports of classes used only in types.
    files: ['apps/**/*.ts', 'libs/**/*.ts'],
    rules: { '@typescript-eslint/consistent-type-imports': 'off' },
  },
  {
    files: ['**/*.spec.ts', 'test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      // node:test's describe/it return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite'] }] },
      ],
    },
  },
);
