// One lint setup for the whole tree: typescript-eslint's recommended rules, plus the
// architecture rules that keep the core/shell split honest.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'resources/**', 'e2e-artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        console: 'readonly', process: 'readonly', Buffer: 'readonly', setTimeout: 'readonly',
        clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', URL: 'readonly',
        window: 'readonly', document: 'readonly', performance: 'readonly', fetch: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    // Services never import Electron; only the shell folder may.
    files: ['src/main/**/*.ts'],
    ignores: ['src/main/electron/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'Only src/main/electron may import electron.' }] }],
    },
  },
  {
    // The contract and the domain core are imported by main, worker and renderer alike:
    // pure TypeScript, no Node, no Electron, no main- or renderer-side code.
    files: ['src/shared/**/*.ts'],
    ignores: ['src/shared/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: ['electron', 'fs', 'path', 'os', 'child_process', 'better-sqlite3', 'sharp', 'react'],
        patterns: ['node:*', '**/main/**', '**/renderer/**', '**/preload/**'],
      }],
    },
  },
  {
    // The renderer knows only the API contract: no Node built-ins, no main-side code.
    files: ['src/renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: ['electron', 'fs', 'path', 'child_process', 'better-sqlite3', 'sharp'],
        patterns: ['node:*', '**/main/**'],
      }],
    },
  },
);
