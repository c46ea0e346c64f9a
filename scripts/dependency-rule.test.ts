/**
 * The dependency rule of DESIGN.md §2 is enforced by ESLint: these cases prove the rule fires for forbidden imports
 * and stays quiet for allowed ones, so a broken config can't pass silently.
 */
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { REPO_ROOT } from '@pims/testkit';

// The probe files don't exist, so they are linted without type information; the import rule needs none.
const eslint = new ESLint({ cwd: REPO_ROOT, overrideConfig: [tseslint.configs.disableTypeChecked] });

async function boundaryErrors(file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: resolve(REPO_ROOT, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

const cases: Array<[file: string, specifier: string, allowed: boolean]> = [
  ['packages/gateway/src/x.ts', '@pims/core', false],
  ['packages/gateway/src/x.ts', '@pims/server', false],
  ['packages/gateway/src/x.ts', '@pims/contracts', true],
  ['packages/client/src/x.ts', '@pims/contracts', false],
  ['packages/client/src/x.ts', '@pims/core', false],
  ['packages/contracts/src/x.ts', '@pims/core', false],
  ['packages/core/src/x.ts', '@pims/server', false],
  ['packages/core/src/x.ts', '@pims/contracts', true],
  ['packages/console/src/x.ts', '@pims/core', false],
  ['packages/server/src/x.ts', '@pims/core', true],
  ['packages/server/src/x.ts', '@pims/gateway', false],
  ['packages/cli/src/x.ts', '@pims/client', true],
  ['packages/core/src/x.ts', '@pims/testkit', false],
  ['packages/core/src/x.test.ts', '@pims/testkit', true],
  ['packages/gateway/src/x.ts', '../../core/src/index.js', false],
];

for (const [file, specifier, allowed] of cases) {
  test(`${file} ${allowed ? 'may' : 'may not'} import ${specifier}`, async () => {
    const errors = await boundaryErrors(file, `import { x } from '${specifier}';\nexport const y = x;\n`);
    if (allowed) assert.deepEqual(errors, []);
    else assert.equal(errors.length, 1, `expected the dependency rule to refuse ${specifier} in ${file}`);
  });
}
