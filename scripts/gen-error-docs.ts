/** Writes docs/errors.md from the error catalogue. Run: `npm run docs:errors`. */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderErrorDocs } from '@pims/contracts';

const target = fileURLToPath(new URL('../docs/errors.md', import.meta.url));
writeFileSync(target, renderErrorDocs());
console.log(`wrote ${target}`);
