import { loadConfig, type Config, type ConfigFlags } from '@pims/core';

/** Loads the configuration from the environment and flags; prints each dev-default warning once on stderr. */
export function loadConfigOrExit(flags?: ConfigFlags): Readonly<Config> {
  const { config, warnings } = loadConfig({ env: process.env, flags });
  for (const warning of warnings) process.stderr.write(`warning: ${warning}\n`);
  return config;
}
