export { DiscordAdapter, type DiscordAdapterOptions } from './discord-adapter.ts';
export { BOT_PERMISSIONS, inviteUrl } from './invite-url.ts';
