export { FakeDiscord } from './fake-discord.ts';
export type {
  ButtonPressInput,
  FakeAttachment,
  FakeCallback,
  FakeDiscordOptions,
  FakeGuild,
  FakeMentions,
  FakeMessage,
  RecordedFile,
  RecordedRequest,
  SlashCommandInput,
} from './types.ts';
