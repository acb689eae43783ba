export type { Config } from './config.ts';
export {
  BUNDLED_MANIFEST_PATH,
  ConfigError,
  ConfigErrorCode,
  DEFAULT_DATA_DIR,
  describeConfig,
  loadConfig,
} from './config.ts';
export { PROVIDER_NAMES, type ProviderName, providerListSchema } from './provider-list.ts';
