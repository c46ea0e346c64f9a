/** Writes docs/openapi/{ims,console}.json from the routes' schemas (no server listens). Run: `npm run docs:openapi`. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderConsoleOpenApi, renderImsOpenApi } from '@pims/server';

const dir = fileURLToPath(new URL('../docs/openapi/', import.meta.url));
mkdirSync(dir, { recursive: true });
for (const [name, render] of [
  ['ims.json', renderImsOpenApi],
  ['console.json', renderConsoleOpenApi],
] as const) {
  writeFileSync(`${dir}${name}`, await render());
  console.log(`wrote docs/openapi/${name}`);
}
