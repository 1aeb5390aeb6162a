// Lint: TypeScript-aware recommended rules plus the import boundaries of ARCHITECTURE.md.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import earshot from './tools/eslint/boundaries.js';

const root = import.meta.dirname;

export default tseslint.config(
  {
    ignores: ['**/node_modules/**', 'dist/**', 'server/dist/**', 'out/**', 'test-results/**', '**/*.d.ts'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    plugins: { earshot },
    rules: {
      'earshot/boundaries': ['error', { root }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
);
