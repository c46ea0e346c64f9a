/** Writes docs/openapi/ims.json from the IMS routes' schemas (no server listens). Run: `npm run docs:openapi`. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderImsOpenApi } from '@pims/server';

const target = fileURLToPath(new URL('../docs/openapi/ims.json', import.meta.url));
mkdirSync(dirname(target), { recursive: true });
writeFileSync(target, await renderImsOpenApi());
console.log(`wrote ${target}`);
