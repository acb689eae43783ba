export { RedisInstallationStore } from './installation-store.ts';
export { SlackAdapter, type SlackAdapterOptions } from './slack-adapter.ts';
export { SLACK_BOT_SCOPES } from './slack-scopes.ts';
