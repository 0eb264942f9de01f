// typescript-eslint's recommended rules on the plugin, its tests and scripts.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'playground/.tmp/**', 'playground/build/**', 'playground/dist/**', 'playground/.strapi/**', 'test-output/**', '.tmp/**', '.compat/**', 'bench/quick/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['admin/src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  {
    files: ['**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: globals.node },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
