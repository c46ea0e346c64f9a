/** Command-line flags (`--ims-port 8190`, `--ims-port=8190`, `--trust-proxy`) as raw setting values. */
import { ConfigError } from './config-error.js';
import { configSpec, type SettingName } from './config-spec.js';

export type ConfigFlags = readonly string[] | Readonly<Record<string, string | number | boolean | undefined>>;

const settingNames = Object.keys(configSpec) as SettingName[];
const byFlag = new Map<string, SettingName>(settingNames.map((name) => [configSpec[name].flag, name]));

function isSwitch(name: SettingName): boolean {
  const spec: { switch?: boolean } = configSpec[name];
  return spec.switch === true;
}

function parseArgv(argv: readonly string[]): Map<SettingName, string> {
  const values = new Map<SettingName, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const eq = arg.indexOf('=');
    let flag = eq === -1 ? arg : arg.slice(0, eq);
    let value: string | undefined = eq === -1 ? undefined : arg.slice(eq + 1);
    let name = byFlag.get(flag);
    if (name === undefined && flag.startsWith('--no-') && value === undefined) {
      name = byFlag.get(`--${flag.slice('--no-'.length)}`);
      if (name !== undefined && isSwitch(name)) value = 'false';
      else name = undefined;
    }
    if (name === undefined) {
      throw new ConfigError(
        arg.startsWith('-')
          ? `unknown option ${flag} (see docs/configuration.md)`
          : `unexpected argument ${JSON.stringify(arg.slice(0, 40))} (options look like --name value)`,
        [flag],
      );
    }
    flag = configSpec[name].flag;
    if (value === undefined) {
      const next = argv[i + 1];
      if (isSwitch(name) && (next === undefined || next.startsWith('--'))) value = 'true';
      else if (next === undefined || next.startsWith('--')) {
        throw new ConfigError(`${flag} needs a value: ${configSpec[name].expected}`, [flag]);
      } else {
        value = next;
        i++;
      }
    }
    if (values.has(name)) throw new ConfigError(`${flag} is given more than once`, [flag]);
    values.set(name, value);
  }
  return values;
}

function parseRecord(
  flags: Readonly<Record<string, string | number | boolean | undefined>>,
): Map<SettingName, string> {
  const values = new Map<SettingName, string>();
  for (const [key, value] of Object.entries(flags)) {
    if (value === undefined) continue;
    const name = (settingNames as string[]).includes(key)
      ? (key as SettingName)
      : byFlag.get(`--${key.replace(/^-+/, '')}`);
    if (name === undefined)
      throw new ConfigError(`unknown option --${key.replace(/^-+/, '')} (see docs/configuration.md)`, [key]);
    values.set(name, String(value));
  }
  return values;
}

/** Raw values by setting name. Throws ConfigError for an unknown, repeated or value-less flag. */
export function parseConfigFlags(flags: ConfigFlags | undefined): Map<SettingName, string> {
  if (flags === undefined) return new Map();
  return Array.isArray(flags)
    ? parseArgv(flags as readonly string[])
    : parseRecord(flags as Readonly<Record<string, string | number | boolean | undefined>>);
}
