// @ts-check
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * The dependency rule of DESIGN.md §2, as import restrictions per package.
 * `allowed` lists the workspace packages a package may import; every other `@pims/*` is refused.
 */
const packages = ['contracts', 'core', 'server', 'gateway', 'console', 'client', 'cli', 'testkit'];
const allowed = {
  contracts: [],
  core: ['contracts'],
  server: ['contracts', 'core'],
  gateway: ['contracts'],
  console: ['contracts'],
  client: [],
  // `start`/`serve`/`db` load the server and gateway lazily (docs/decisions/0002-cli-loads-server-lazily.md).
  cli: ['client', 'core', 'server', 'gateway', 'contracts'],
  testkit: ['contracts', 'core', 'server', 'gateway', 'client'],
};

/** Tests of any package may also use the private test kit. */
function boundaryRule(name, files, extra = []) {
  return {
    files,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: packages
                .filter((other) => other !== name && !allowed[name].includes(other) && !extra.includes(other))
                .map((other) => `@pims/${other}`)
                .concat(['**/packages/*/src/**', '../../*/src/**']),
              message: 'This import breaks the dependency rule of DESIGN.md §2 (see eslint.config.js).',
            },
          ],
        },
      ],
    },
  };
}

const boundaryRules = packages.flatMap((name) => [
  boundaryRule(name, [`packages/${name}/**/*.ts`, `packages/${name}/**/*.tsx`]),
  boundaryRule(name, [`packages/${name}/**/*.test.ts`, `packages/${name}/**/*.test.tsx`], ['testkit']),
]);

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '.pims/**', 'packages/console/dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // node:test's test()/describe() return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            {
              from: 'package',
              package: 'node:test',
              name: ['test', 'it', 'describe', 'suite', 'before', 'after'],
            },
          ],
        },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  ...boundaryRules,
);
