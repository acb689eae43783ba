export type { Config } from './config.ts';
export { ConfigError, ConfigErrorCode, describeConfig, loadConfig } from './config.ts';
