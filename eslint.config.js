// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import vue from 'eslint-plugin-vue';
import boundaries from 'eslint-plugin-boundaries';
import prettier from 'eslint-config-prettier';
import globals from 'globals';

/**
 * The layers of ../shared/spec/ARCHITECTURE.md; each may import only from the layers listed for it.
 * Tests may import any layer.
 */
const layers = [
  { type: 'shared', pattern: 'src/shared', allow: ['shared'] },
  { type: 'engine', pattern: 'src/main/engine', allow: ['shared', 'engine'] },
  { type: 'store', pattern: 'src/main/store', allow: ['shared', 'store'] },
  // runs hosts the engine inside worker_threads, so its worker entry imports the engine.
  { type: 'runs', pattern: 'src/main/runs', allow: ['shared', 'engine', 'store', 'runs'] },
  { type: 'api', pattern: 'src/main/api', allow: ['shared', 'store', 'runs', 'api'] },
  { type: 'hosts', pattern: 'src/main/hosts', allow: ['shared', 'api', 'hosts'] },
  { type: 'preload', pattern: 'src/preload', allow: ['shared', 'preload'] },
  { type: 'renderer', pattern: 'src/renderer', allow: ['shared', 'renderer'] },
];

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'node_modules/**',
      'coverage/**',
      'resources/**',
      '.tmp/**',
      '.devbundle/**',
      '.gl/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strict,
  ...vue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'] } },
  },
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'No default exports (ARCHITECTURE.md).' },
      ],
    },
  },
  {
    files: ['src/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // Vue single-file components and tool configs need their default export.
    files: ['**/*.vue', '*.config.ts', '*.config.js'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    files: ['src/**/*.ts', 'src/**/*.vue'],
    plugins: { boundaries },
    settings: {
      'boundaries/elements': layers.map(({ type, pattern }) => ({ type, pattern })),
      'import/resolver': { node: { extensions: ['.ts', '.js', '.vue'] } },
    },
    rules: {
      'boundaries/dependencies': [
        'error',
        {
          default: 'disallow',
          policies: [
            ...layers.map(({ type, allow }) => ({
              from: { element: { type } },
              allow: { to: { element: { types: { anyOf: allow } } } },
            })),
          ],
        },
      ],
    },
  },
  prettier,
);
