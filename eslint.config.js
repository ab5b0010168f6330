// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import vue from 'eslint-plugin-vue';
import boundaries from 'eslint-plugin-boundaries';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import prettier from 'eslint-config-prettier';
import globals from 'globals';

/**
 * The layers of ARCHITECTURE.md (the project spec); each may import only from the layers listed for
 * it. Tests may import any layer.
 * - runs reaches the engine only through worker messages (shared/workerProtocol.ts): it starts the
 *   engine's worker entry (engine/worker.ts) by path and never imports it.
 * - src/main/index.ts belongs to no layer and is checked on its own (mainEntry below).
 */
const layers = [
  { type: 'shared', pattern: 'src/shared', allow: ['shared'] },
  { type: 'engine', pattern: 'src/main/engine', allow: ['shared', 'engine'] },
  { type: 'store', pattern: 'src/main/store', allow: ['shared', 'store'] },
  { type: 'runs', pattern: 'src/main/runs', allow: ['shared', 'store', 'runs'] },
  { type: 'api', pattern: 'src/main/api', allow: ['shared', 'store', 'runs', 'api'] },
  { type: 'hosts', pattern: 'src/main/hosts', allow: ['shared', 'api', 'hosts'] },
  { type: 'preload', pattern: 'src/preload', allow: ['shared', 'preload'] },
  { type: 'renderer', pattern: 'src/renderer', allow: ['shared', 'renderer'] },
];

/** Electron's main entry: it may start the hosts and nothing below them. */
const mainEntry = { pattern: 'src/main/index.ts', allow: ['shared', 'hosts'] };

/** TypeScript sources import each other without extensions; the resolvers must try these. */
const sourceExtensions = ['.ts', '.tsx', '.mts', '.js', '.mjs', '.cjs', '.vue', '.json', '.node'];

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'node_modules/**',
      'coverage/**',
      'resources/**',
      '**/.tmp/**',
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
      // A file, not a folder: boundaries classifies single files by category, not as elements.
      'boundaries/files': [{ category: 'mainEntry', pattern: mainEntry.pattern }],
      'import/resolver': { node: { extensions: sourceExtensions } },
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
            {
              from: { file: { categories: 'mainEntry' } },
              allow: { to: { element: { types: { anyOf: mainEntry.allow } } } },
            },
          ],
        },
      ],
    },
  },
  {
    // No import cycles. import-x resolves with its own resolver (unrs-resolver) and the TypeScript
    // extensions: imports here are relative and extensionless, so no tsconfig paths are needed.
    // The rule skips type-only imports; test/main/engine/importCycles.test.ts checks those too.
    files: ['src/**/*.ts', 'src/**/*.vue', 'test/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createNodeResolver({ extensions: sourceExtensions })],
      'import-x/extensions': sourceExtensions,
      // The cycle search does not walk into single-file components: import-x cannot parse their
      // <script lang="ts"> (it hands vue-eslint-parser no TypeScript parser). Components' own
      // imports are still checked.
      'import-x/ignore': ['\\.vue$'],
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  prettier,
);
