import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { it } from 'node:test';
import { errorCodes } from './catalogue.js';
import { renderErrorDocs } from './error-docs.js';

const docsPath = new URL('../../../../docs/errors.md', import.meta.url);

void it('docs/errors.md matches the catalogue', () => {
  const actual = readFileSync(docsPath, 'utf8');
  assert.ok(
    actual === renderErrorDocs(),
    'docs/errors.md is out of date: run `npm run docs:errors` and commit it',
  );
});

void it('documents every code', () => {
  const text = renderErrorDocs();
  for (const code of errorCodes) assert.ok(text.includes(`| \`${code}\` |`), code);
});
