/** Renders `docs/errors.md` from the catalogue (written by `npm run docs:errors`, checked by a drift test). */
import { errorCatalogue, errorCodes, type ErrorCode, type ErrorDialect } from './catalogue.js';

const sections: { dialect: ErrorDialect; title: string; intro: string; wireColumn: string }[] = [
  {
    dialect: 'ims',
    title: 'IMS token endpoints',
    intro:
      'Body `{"error": <error>, "error_description": <description>}`; every answer carries `Cache-Control: no-store` ' +
      'and `Pragma: no-cache`.',
    wireColumn: '`error`',
  },
  {
    dialect: 'partner',
    title: 'Partner API gateway',
    intro:
      'Body `{"code": <code>, "message": <description>}` with an `X-Request-Id` header; a 401 adds ' +
      '`WWW-Authenticate: Bearer error="invalid_token"`.',
    wireColumn: '`code`',
  },
  {
    dialect: 'console',
    title: 'Console API',
    intro:
      'Body `{"code": <code>, "message": <description>, "details"?: …}`; the catalogue code is the wire code.',
    wireColumn: '`code`',
  },
  {
    dialect: 'any',
    title: 'Any dialect',
    intro:
      'Rendered in the format of the endpoint that failed: IMS `error` is `server_error`, the Partner API `code` is ' +
      'the HTTP status, the console `code` is the catalogue code. Any unexpected error renders as `internal_error` ' +
      '(storage outages as `storage_unavailable`) and never carries its original message.',
    wireColumn: 'IMS / Partner / console',
  },
];

function cell(text: string): string {
  return text.replaceAll('|', '\\|');
}

function wireOf(code: ErrorCode, dialect: ErrorDialect): string {
  const entry: { status: number; wire?: string } = errorCatalogue[code];
  if (dialect === 'any') return `\`server_error\` / \`${entry.status}\` / \`${code}\``;
  return `\`${entry.wire ?? code}\``;
}

export function renderErrorDocs(): string {
  const lines = [
    '# Error codes',
    '',
    '<!-- Generated from packages/contracts/src/errors/catalogue.ts by `npm run docs:errors`. Do not edit. -->',
    '',
    'Every error the platform answers with has a stable code, an HTTP status and a fixed description that never',
    'echoes input. 429 answers carry `Retry-After` (seconds).',
  ];
  for (const section of sections) {
    lines.push('', `## ${section.title}`, '', section.intro, '');
    lines.push(`| Code | Status | ${section.wireColumn} | Description |`, '| --- | --- | --- | --- |');
    for (const code of errorCodes) {
      const entry = errorCatalogue[code];
      if (entry.dialect !== section.dialect) continue;
      lines.push(
        `| \`${code}\` | ${entry.status} | ${wireOf(code, section.dialect)} | ${cell(entry.description)} |`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
