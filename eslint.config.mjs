// Lint: typescript-eslint + eslint-plugin-vue, and the layer rules of DESIGN.md enforced as import bans.
import js from '@eslint/js';
import globals from 'globals';
import pluginVue from 'eslint-plugin-vue';
import tseslint from 'typescript-eslint';

const nodeBuiltins = {
  group: ['node:*', 'fs', 'path', 'os', 'crypto', 'http', 'child_process'],
  message: 'This layer must not use Node APIs.',
};
const electron = {
  group: ['electron', 'electron/*', 'electron-log', 'electron-log/*'],
  message: 'Only the Electron shell (src/main/*.ts outside core) may import electron.',
};

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'release/**', 'node_modules/**', '.cache/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...pluginVue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'] } },
  },
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'vue/multi-word-component-names': 'off',
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
      'vue/html-indent': 'off',
      'vue/html-closing-bracket-newline': 'off',
      'vue/multiline-html-element-content-newline': 'off',
    },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            nodeBuiltins,
            electron,
            { group: ['**/main/**', '**/renderer/**', '**/preload/**'], message: 'shared is pure: it imports nothing from other layers.' },
            {
              group: ['vue', 'pinia', 'naive-ui', 'axios', 'better-sqlite3', 'fastify', 'lossless-json'],
              message: 'shared is pure: zod only.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/main/core/**/*.ts', 'src/main/web/**/*.ts', 'src/main/sim/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            electron,
            { group: ['**/renderer/**', '**/preload/**'], message: 'The backend never imports the renderer or preload.' },
            {
              group: ['**/main/index', '**/ipc', '**/protocol', '**/window', '**/electron-logger'],
              message: 'The core never imports the Electron shell.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/renderer/**/*.{ts,vue}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            nodeBuiltins,
            electron,
            { group: ['**/main/**'], message: 'The renderer talks to the core only through the DeskApi client.' },
            { group: ['**/preload/**'], allowTypeImports: true, message: 'The renderer only knows the bridge type.' },
            { group: ['axios'], message: 'The renderer talks to the core only through the DeskApi client.' },
          ],
        },
      ],
    },
  },
);
