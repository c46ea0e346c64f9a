/** Renders `docs/configuration.md` from `configSpec` (written by `npm run docs:config`, checked by a drift test). */
import { configSpec, settingDefaults, type SettingName, type SettingSpec } from './config-spec.js';

function cell(text: string): string {
  return text.replaceAll('|', '\\|');
}

function defaultText(name: SettingName): string {
  const spec: SettingSpec<unknown> = configSpec[name];
  const fixed = (settingDefaults as Partial<Record<SettingName, string | number | boolean>>)[name];
  const text = fixed === undefined ? (spec.default ?? 'none') : `\`${String(fixed)}\``;
  return spec.devDefault ? `${text} (development default)` : text;
}

export function renderConfigDocs(): string {
  const lines = [
    '# Configuration',
    '',
    '<!-- Generated from packages/core/src/config/config-spec.ts by `npm run docs:config`. Do not edit. -->',
    '',
    'Every setting is an environment variable; the `pims` command takes the same setting as a flag, and a flag wins',
    'over the variable. Empty variables count as unset. A malformed value stops the process with one line naming the',
    'setting and the expected form (secret values are never shown).',
    '',
    'Development defaults print a warning at start. With `PIMS_ENVIRONMENT=production` the process refuses to start',
    'unless `PIMS_KEY_ENCRYPTION_KEY`, `PIMS_SECRET_KEY` and https `PIMS_IMS_URL` / `PIMS_API_URL` are set.',
    'Generate a key with `openssl rand -base64 32`. Pass secrets in the environment: flags show in the process list.',
    '',
    '| Variable | Flag | Default | Description |',
    '| --- | --- | --- | --- |',
  ];
  for (const name of Object.keys(configSpec) as SettingName[]) {
    const spec: SettingSpec<unknown> = configSpec[name];
    const description = `${spec.description} Expected: ${spec.expected}.`;
    lines.push(`| \`${spec.env}\` | \`${spec.flag}\` | ${cell(defaultText(name))} | ${cell(description)} |`);
  }
  return `${lines.join('\n')}\n`;
}
