/** Why the configuration could not be loaded. */
export enum ConfigErrorCode {
  Invalid = 'CONFIG_INVALID',
}

/** The environment did not parse; the message lists every bad variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly code = ConfigErrorCode.Invalid;
}
