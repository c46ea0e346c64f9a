import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { it } from 'node:test';
import { renderConfigDocs } from './config-docs.js';
import { configSpec } from './config-spec.js';

const docsPath = new URL('../../../../docs/configuration.md', import.meta.url);

void it('docs/configuration.md matches the configuration spec', () => {
  const actual = readFileSync(docsPath, 'utf8');
  assert.ok(
    actual === renderConfigDocs(),
    'docs/configuration.md is out of date: run `npm run docs:config` and commit it',
  );
});

void it('documents every setting with its flag', () => {
  const text = renderConfigDocs();
  for (const spec of Object.values(configSpec))
    assert.ok(text.includes(`| \`${spec.env}\` | \`${spec.flag}\` |`));
});
