/**
 * A setting is malformed, missing in production, or its key file can't be used. The message is one line that names
 * the variable (or flag, or path) and the expected form; it never contains a secret value.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  /** Environment variables (or flags) the error is about. */
  readonly settings: readonly string[];

  constructor(message: string, settings: readonly string[] = [], options?: { cause?: unknown }) {
    super(message, options);
    this.settings = Object.freeze([...settings]);
  }
}
