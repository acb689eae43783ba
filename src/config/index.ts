export { PROVIDER_NAMES, type ProviderName, providerListSchema } from '../model/provider-list.ts';
export type { Config } from './config.ts';
export {
  BUNDLED_MANIFEST_PATH,
  ConfigError,
  ConfigErrorCode,
  DEFAULT_DATA_DIR,
  describeConfig,
  loadConfig,
} from './config.ts';
export { configuredPlatforms } from './configured-platforms.ts';
export { loadWarmPrompts, type WarmPrompt, warmPromptsFileSchema } from './warm-prompts.ts';
