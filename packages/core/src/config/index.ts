export { ConfigError } from './config-error.js';
export { renderConfigDocs } from './config-docs.js';
export { parseConfigFlags, type ConfigFlags } from './config-flags.js';
export {
  DEFAULT_DATA_DIR,
  DEFAULT_HOST,
  configSpec,
  settingDefaults,
  type ConfigSpec,
  type SettingName,
  type SettingSpec,
  type SettingValue,
} from './config-spec.js';
export {
  environments,
  logLevels,
  type Config,
  type Environment,
  type KeySource,
  type LogLevel,
} from './config-types.js';
export { resolveKeyMaterial, type KeyMaterial } from './key-files.js';
export {
  KEK_FILE_NAME,
  SECRET_KEY_FILE_NAME,
  SQLITE_FILE_NAME,
  loadConfig,
  type LoadConfigOptions,
  type LoadedConfig,
} from './load-config.js';
export { Secret } from './secret.js';
