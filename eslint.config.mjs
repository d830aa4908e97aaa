// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'apps/api/src/dashboard/assets/**', '**/*.cjs', '**/*.js', '**/*.mjs'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // `const _: never = x` closes every exhaustive switch; a leading underscore marks a name unused on purpose.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Port methods are async so that a synchronous throw reaches the caller as a rejection.
      '@typescript-eslint/require-await': 'off',
      // Input validators and the log's text checks match control characters on purpose.
      'no-control-regex': 'off',
      // Event data is JSON typed `unknown`; String() on its scalars is the intended rendering.
      '@typescript-eslint/no-base-to-string': 'off',
      // Flags the "default, then assign in try or a callback" pattern, which reads clearer than the alternatives.
      'no-useless-assignment': 'off',
    },
  },
  {
    files: ['tests/**/*.ts', '**/*.spec.ts', '**/*.testing.ts'],
    rules: {
      // HTTP answers (supertest's body) and raw SQL rows are untyped by nature; the assertions are the type check.
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      // Fakes throw what drivers throw (plain objects with a code), and a test may load a CommonJS tool.
      '@typescript-eslint/only-throw-error': 'off',
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
);
