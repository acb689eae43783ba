export { FakeDiscord } from './fake-discord.ts';
export type {
  ButtonPressInput,
  FakeAttachment,
  FakeCallback,
  FakeDiscordOptions,
  FakeGuild,
  FakeMentions,
  FakeMessage,
  FakeScheduledEvent,
  RecordedFile,
  RecordedRequest,
  ScheduledEventChanges,
  ScheduledEventInput,
  ScheduledEventStatus,
  SlashCommandInput,
  SlashCommandOption,
} from './types.ts';
